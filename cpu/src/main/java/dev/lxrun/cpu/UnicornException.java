package dev.lxrun.cpu;

/** A Unicorn API call failed; the message carries Unicorn's own description. */
public class UnicornException extends RuntimeException {
    private final UcError error;

    public UnicornException(String message) {
        super(message);
        this.error = null;
    }

    public UnicornException(String call, UcError error, String ucMessage) {
        super(call + ": " + ucMessage);
        this.error = error;
    }

    /** The Unicorn error code, or null when the failure happened before calling Unicorn. */
    public UcError error() { return error; }
}
