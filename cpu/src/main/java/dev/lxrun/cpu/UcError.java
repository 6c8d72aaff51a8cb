package dev.lxrun.cpu;

/** uc_err values (unicorn.h). */
public enum UcError {
    OK, NOMEM, ARCH, HANDLE, MODE, VERSION, READ_UNMAPPED, WRITE_UNMAPPED, FETCH_UNMAPPED, HOOK,
    INSN_INVALID, MAP, WRITE_PROT, READ_PROT, FETCH_PROT, ARG, READ_UNALIGNED, WRITE_UNALIGNED,
    FETCH_UNALIGNED, HOOK_EXIST, RESOURCE, EXCEPTION, OVERFLOW, UNKNOWN;

    public static UcError of(int code) {
        UcError[] all = values();
        return code >= 0 && code < all.length - 1 ? all[code] : UNKNOWN;
    }

    /** True for the errors that mean the guest touched memory it may not (a fault, not an API misuse). */
    public boolean isMemoryFault() {
        return switch (this) {
            case READ_UNMAPPED, WRITE_UNMAPPED, FETCH_UNMAPPED, READ_PROT, WRITE_PROT, FETCH_PROT,
                 READ_UNALIGNED, WRITE_UNALIGNED, FETCH_UNALIGNED -> true;
            default -> false;
        };
    }
}
