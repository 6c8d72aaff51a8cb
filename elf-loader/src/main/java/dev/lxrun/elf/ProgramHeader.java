package dev.lxrun.elf;

/** One Elf64_Phdr. */
public record ProgramHeader(int type, int flags, long offset, long vaddr, long filesz, long memsz, long align) {
    public static final int PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3, PT_NOTE = 4, PT_PHDR = 6, PT_TLS = 7,
            PT_GNU_STACK = 0x6474e551, PT_GNU_RELRO = 0x6474e552;
    public static final int PF_X = 1, PF_W = 2, PF_R = 4;

    /** The segment's flags as mmap protection bits. */
    public int prot() {
        int p = 0;
        if ((flags & PF_R) != 0) p |= MemoryTarget.PROT_READ;
        if ((flags & PF_W) != 0) p |= MemoryTarget.PROT_WRITE;
        if ((flags & PF_X) != 0) p |= MemoryTarget.PROT_EXEC;
        return p;
    }
}
