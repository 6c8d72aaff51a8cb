package dev.lxrun.cli.compat;

import java.util.List;

/** One program of a suite: its display name and the exact argv every mode runs. */
public record SuiteCase(String name, List<String> command) {
    public SuiteCase {
        if (command.isEmpty()) throw new IllegalArgumentException("test " + name + " has no command");
        command = List.copyOf(command);
    }

    public String commandLine() {
        return String.join(" ", command);
    }
}
