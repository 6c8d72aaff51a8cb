package dev.lxrun.elf;

/** An ELF file lxrun cannot run; the message is one line fit for the user. */
public final class ElfException extends Exception {
    public enum Reason { NOT_ELF, WRONG_CLASS, WRONG_ENDIAN, WRONG_MACHINE, NOT_EXECUTABLE, TRUNCATED, MALFORMED,
        /** A read of the file failed or came short (EIO). */ READ_FAILED,
        /** A read at an offset no file has (EINVAL). */ BAD_OFFSET,
        /** The dynamic loader the program names is no x86-64 ELF (ELIBBAD). */ BAD_INTERPRETER }

    private final Reason reason;

    public ElfException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
