package dev.lxrun.syscalls;

/** Signal names by number (x86-64), as strace and kill -l print them. */
public final class Signames {
    private static final String[] NAMES = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
            "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM",
            "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
            "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};

    private Signames() {}

    public static String name(int sig) {
        if (sig > 0 && sig < NAMES.length) return NAMES[sig];
        if (sig >= 32 && sig <= 64) return sig == 34 ? "SIGRTMIN" : "SIGRT_" + (sig - 34);
        return Integer.toString(sig);
    }
}
