package dev.lxrun.elf;

/** The address space an ELF image is loaded into; the kernel's mm implements it. */
public interface MemoryTarget {
    int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;

    /** Maps zero-filled, page-aligned memory at exactly addr (replacing nothing the loader did not map). */
    void map(long addr, long length, int prot);

    /** Copies bytes into mapped memory regardless of its protection. */
    void write(long addr, byte[] data, int offset, int length);

    void protect(long addr, long length, int prot);

    /** A free page-aligned range of length bytes, at hint when that is free; negative when none. */
    long findFree(long hint, long length);
}
