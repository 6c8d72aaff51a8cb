package dev.lxrun.elf;

/** The address space an ELF image is loaded into; the kernel's mm implements it. */
public interface MemoryTarget {
    int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;

    /** Maps zero-filled, page-aligned memory at exactly addr (replacing nothing the loader did not map). */
    void map(long addr, long length, int prot);

    /** Copies bytes into mapped memory regardless of its protection. */
    void write(long addr, byte[] data, int offset, int length);

    void protect(long addr, long length, int prot);

    /**
     * Maps length bytes (whole pages) of the image's own file from fileOffset (page-aligned) at
     * addr, privately (writes stay in this mapping) and writable until the loader protects it.
     * False when this target cannot map the file; the loader then maps memory and copies the
     * bytes in.
     */
    default boolean mapFile(long addr, long length, long fileOffset) {
        return false;
    }

    /** A free page-aligned range of length bytes, at hint when that is free; negative when none. */
    long findFree(long hint, long length);
}
