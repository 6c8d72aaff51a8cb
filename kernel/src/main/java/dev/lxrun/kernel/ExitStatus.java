package dev.lxrun.kernel;

/** How a process ended: exit(code) or death by signal (with a core dump flag, as wait reports it). */
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

    /** The wait(2) status word: code << 8 for an exit, the signal (| 0x80 for a core dump) for a kill. */
    default int waitStatus() {
        return switch (this) {
            case Exited e -> (e.code() & 0xff) << 8;
            case Killed k -> k.signal() | (Signals.defaultAction(k.signal()) == Signals.DefaultAction.CORE ? 0x80 : 0);
        };
    }
}
