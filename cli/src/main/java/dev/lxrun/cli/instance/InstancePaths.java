package dev.lxrun.cli.instance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where a resident instance listens: a directory only the user can open (0700) under
 * $XDG_RUNTIME_DIR/lxrun, else ~/.cache/lxrun/run (LXRUN_INSTANCE_DIR overrides both), with one
 * socket per root: host.sock for the host's "/", root-HASH.sock for a --root DIR (FNV-1a of the
 * real path, the same name the C client computes). Next to each socket: NAME.lock (held by the
 * live instance), NAME.log (its output) and NAME.root (the root it serves, for `instance list`).
 */
public final class InstancePaths {
    private InstancePaths() {}

    public static Path directory() {
        String explicit = System.getenv("LXRUN_INSTANCE_DIR");
        if (explicit != null && !explicit.isEmpty()) return Path.of(explicit);
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isEmpty()) return Path.of(runtime, "lxrun");
        return Path.of(System.getProperty("user.home"), ".cache", "lxrun", "run");
    }

    /** The directory, created 0700 when missing; an existing one that others can open is refused. */
    static Path privateDirectory() throws IOException {
        Path d = directory();
        Files.createDirectories(d.getParent());
        if (!Files.isDirectory(d)) {
            try {
                Files.createDirectory(d, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // Made meanwhile by another lxrun.
            }
        }
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
        return d;
    }

    /** The socket's file name for a root (a real path). */
    public static String name(String root) {
        if (root.equals("/")) return "host";
        long h = 0xcbf29ce484222325L;
        for (byte b : root.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return String.format("root-%016x", h);
    }

    public static Path socket(String root) {
        return directory().resolve(name(root) + ".sock");
    }

    static Path sibling(String root, String suffix) {
        return directory().resolve(name(root) + suffix);
    }
}
