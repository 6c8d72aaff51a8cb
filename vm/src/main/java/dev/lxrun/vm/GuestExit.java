package dev.lxrun.vm;

/** How a program run in the VM ended. */
public sealed interface GuestExit {
    /** The status a shell would report: the exit code, or 128 + the signal. */
    int shellStatus();

    record Exited(int code) implements GuestExit {
        public int shellStatus() {
            return code;
        }
    }

    record Killed(int signal, boolean coreDumped) implements GuestExit {
        public int shellStatus() {
            return 128 + signal;
        }
    }

    /** The program could not be started (chdir or execve failed in the guest). */
    record NotStarted(int errno, String step) implements GuestExit {
        public int shellStatus() {
            return errno == 2 ? 127 : 126;
        }
    }

    static GuestExit fromWaitStatus(int status) {
        int sig = status & 0x7f;
        if (sig == 0) return new Exited((status >> 8) & 0xff);
        return new Killed(sig, (status & 0x80) != 0);
    }
}
