package dev.lxrun.elf;

/** Auxiliary vector keys (include/uapi/linux/auxvec.h and the x86 additions). */
public final class Auxv {
    public static final int AT_NULL = 0, AT_IGNORE = 1, AT_EXECFD = 2, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5,
            AT_PAGESZ = 6, AT_BASE = 7, AT_FLAGS = 8, AT_ENTRY = 9, AT_NOTELF = 10, AT_UID = 11, AT_EUID = 12,
            AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15, AT_HWCAP = 16, AT_CLKTCK = 17, AT_SECURE = 23,
            AT_BASE_PLATFORM = 24, AT_RANDOM = 25, AT_HWCAP2 = 26, AT_RSEQ_FEATURE_SIZE = 27, AT_RSEQ_ALIGN = 28,
            AT_EXECFN = 31, AT_SYSINFO_EHDR = 33, AT_MINSIGSTKSZ = 51;

    private Auxv() {}

    public static String name(int key) {
        return switch (key) {
            case AT_NULL -> "AT_NULL";
            case AT_IGNORE -> "AT_IGNORE";
            case AT_EXECFD -> "AT_EXECFD";
            case AT_PHDR -> "AT_PHDR";
            case AT_PHENT -> "AT_PHENT";
            case AT_PHNUM -> "AT_PHNUM";
            case AT_PAGESZ -> "AT_PAGESZ";
            case AT_BASE -> "AT_BASE";
            case AT_FLAGS -> "AT_FLAGS";
            case AT_ENTRY -> "AT_ENTRY";
            case AT_NOTELF -> "AT_NOTELF";
            case AT_UID -> "AT_UID";
            case AT_EUID -> "AT_EUID";
            case AT_GID -> "AT_GID";
            case AT_EGID -> "AT_EGID";
            case AT_PLATFORM -> "AT_PLATFORM";
            case AT_HWCAP -> "AT_HWCAP";
            case AT_CLKTCK -> "AT_CLKTCK";
            case AT_SECURE -> "AT_SECURE";
            case AT_BASE_PLATFORM -> "AT_BASE_PLATFORM";
            case AT_RANDOM -> "AT_RANDOM";
            case AT_HWCAP2 -> "AT_HWCAP2";
            case AT_RSEQ_FEATURE_SIZE -> "AT_RSEQ_FEATURE_SIZE";
            case AT_RSEQ_ALIGN -> "AT_RSEQ_ALIGN";
            case AT_EXECFN -> "AT_EXECFN";
            case AT_SYSINFO_EHDR -> "AT_SYSINFO_EHDR";
            case AT_MINSIGSTKSZ -> "AT_MINSIGSTKSZ";
            default -> "AT_" + key;
        };
    }
}
