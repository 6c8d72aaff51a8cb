package dev.lxrun.kernel.exec;

/** execve failed before the old image was replaced: errno for the guest, a one-line message for a person. */
public final class ExecException extends Exception {
    private final int errno;

    public ExecException(int errno, String message) {
        super(message, null, false, false);
        this.errno = errno;
    }

    public int errno() { return errno; }
}
