package dev.lxrun.kernel.exec;

/**
 * execve failed: errno for the guest, a one-line message for a person. A fatal one failed after
 * Linux's point of no return (while mapping the new image): the caller's old image is gone on
 * Linux, so the process dies of SIGSEGV instead of seeing the errno.
 */
public final class ExecException extends Exception {
    private final int errno;
    private final boolean fatal;

    public ExecException(int errno, String message) {
        this(errno, message, false);
    }

    private ExecException(int errno, String message, boolean fatal) {
        super(message, null, false, false);
        this.errno = errno;
        this.fatal = fatal;
    }

    /** A failure past the point of no return. */
    public static ExecException fatal(int errno, String message) {
        return new ExecException(errno, message, true);
    }

    public int errno() { return errno; }

    /** Whether the process must die (SIGSEGV) rather than get the errno. */
    public boolean fatal() { return fatal; }
}
