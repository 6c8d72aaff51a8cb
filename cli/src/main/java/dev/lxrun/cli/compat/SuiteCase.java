package dev.lxrun.cli.compat;

import java.util.List;

/**
 * One program of a suite: its display name, the exact argv every mode runs, and whether only
 * the exit status is compared with native (statusOnly: suites such as LTP's, whose output holds
 * times, pids and temporary names, and whose verdict is the exit status).
 */
public record SuiteCase(String name, List<String> command, boolean statusOnly) {
    public SuiteCase {
        if (command.isEmpty()) throw new IllegalArgumentException("test " + name + " has no command");
        command = List.copyOf(command);
    }

    public SuiteCase(String name, List<String> command) {
        this(name, command, false);
    }

    public String commandLine() {
        return String.join(" ", command);
    }

    /** The group of a test named "FAMILY/TEST" (LTP's syscall directory), or "" for a plain name. */
    public String family() {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? "" : name.substring(0, slash);
    }
}
