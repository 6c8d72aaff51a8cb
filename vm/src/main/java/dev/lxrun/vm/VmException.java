package dev.lxrun.vm;

/** VM mode cannot run: no QEMU, no usable kernel, a boot that does not finish. The message is for the user, one line. */
public final class VmException extends Exception {
    public VmException(String message) {
        super(message);
    }

    public VmException(String message, Throwable cause) {
        super(message, cause);
    }
}
