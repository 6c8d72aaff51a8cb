package dev.lxrun.cli.distro;

/** A failed import or export, with the one line the user sees. */
public final class ImportException extends Exception {
    ImportException(String message) {
        super(message);
    }
}
