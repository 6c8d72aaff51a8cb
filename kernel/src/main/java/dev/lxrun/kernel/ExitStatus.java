package dev.lxrun.kernel;

/** How a process ended: exit(code) or death by signal. */
public sealed interface ExitStatus {
    record Exited(int code) implements ExitStatus {}

    record Killed(int signal) implements ExitStatus {}

    /** The status a shell reports: the exit code, or 128 + signal. */
    default int shellStatus() {
        return switch (this) {
            case Exited e -> e.code() & 0xff;
            case Killed k -> 128 + k.signal();
        };
    }
}
