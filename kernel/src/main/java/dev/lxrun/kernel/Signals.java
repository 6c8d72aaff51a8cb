package dev.lxrun.kernel;

/** Linux x86-64 signal numbers, their default actions and the text a shell prints for them. */
public final class Signals {
    public static final int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7,
            SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14,
            SIGTERM = 15, SIGSTKFLT = 16, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21,
            SIGTTOU = 22, SIGURG = 23, SIGXCPU = 24, SIGXFSZ = 25, SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28,
            SIGIO = 29, SIGPWR = 30, SIGSYS = 31, SIGRTMIN = 32, NSIG = 64;

    public static final long SIG_DFL = 0, SIG_IGN = 1;

    private Signals() {}

    public enum DefaultAction { TERMINATE, CORE, IGNORE, STOP, CONTINUE }

    public static DefaultAction defaultAction(int sig) {
        return switch (sig) {
            case SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGXCPU, SIGXFSZ, SIGSYS -> DefaultAction.CORE;
            case SIGCHLD, SIGURG, SIGWINCH -> DefaultAction.IGNORE;
            case SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU -> DefaultAction.STOP;
            case SIGCONT -> DefaultAction.CONTINUE;
            default -> DefaultAction.TERMINATE;
        };
    }

    /** glibc's strsignal text, which shells print when a job dies; null where bash stays silent. */
    public static String shellMessage(int sig) {
        return switch (sig) {
            case SIGINT, SIGPIPE -> null;
            case SIGHUP -> "Hangup";
            case SIGQUIT -> "Quit";
            case SIGILL -> "Illegal instruction";
            case SIGTRAP -> "Trace/breakpoint trap";
            case SIGABRT -> "Aborted";
            case SIGBUS -> "Bus error";
            case SIGFPE -> "Floating point exception";
            case SIGKILL -> "Killed";
            case SIGUSR1 -> "User defined signal 1";
            case SIGSEGV -> "Segmentation fault";
            case SIGUSR2 -> "User defined signal 2";
            case SIGALRM -> "Alarm clock";
            case SIGTERM -> "Terminated";
            case SIGSTKFLT -> "Stack fault";
            case SIGXCPU -> "CPU time limit exceeded";
            case SIGXFSZ -> "File size limit exceeded";
            case SIGVTALRM -> "Virtual timer expired";
            case SIGPROF -> "Profiling timer expired";
            case SIGIO -> "I/O possible";
            case SIGPWR -> "Power failure";
            case SIGSYS -> "Bad system call";
            default -> sig >= SIGRTMIN && sig <= NSIG ? "Real-time signal " + (sig - SIGRTMIN) : "Unknown signal " + sig;
        };
    }
}
