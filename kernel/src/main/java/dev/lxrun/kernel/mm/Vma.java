package dev.lxrun.kernel.mm;

import java.lang.foreign.MemorySegment;

/**
 * One contiguous guest mapping [start, end) with uniform protection, backed by host memory
 * whose first byte corresponds to start. name is what /proc/PID/maps shows ("[heap]", a path, or "");
 * file, when not null, says which file and offset start corresponds to (maps' offset, dev, inode).
 */
final class Vma {
    final long start;
    final long end;
    final int prot;
    final int flags;
    final MemorySegment host;
    final String name;
    /** Backed by a host file mapping: untouched pages hold file data, not zeros. */
    final boolean fileBacked;
    final AddressSpace.FileIdentity file;
    /**
     * Every protection this mapping has had (or PROT_WRITE once the kernel wrote into it while
     * it was not writable): code that was never writable still holds its file's bytes, and only
     * memory that was ever executable can have translations to drop.
     */
    final int everProt;

    Vma(long start, long end, int prot, int flags, MemorySegment host, String name) {
        this(start, end, prot, flags, host, name, false, null);
    }

    Vma(long start, long end, int prot, int flags, MemorySegment host, String name, boolean fileBacked) {
        this(start, end, prot, flags, host, name, fileBacked, null);
    }

    Vma(long start, long end, int prot, int flags, MemorySegment host, String name, boolean fileBacked,
        AddressSpace.FileIdentity file) {
        this(start, end, prot, flags, host, name, fileBacked, file, prot);
    }

    private Vma(long start, long end, int prot, int flags, MemorySegment host, String name, boolean fileBacked,
                AddressSpace.FileIdentity file, int everProt) {
        this.everProt = everProt | prot;
        this.start = start;
        this.end = end;
        this.prot = prot;
        this.flags = flags;
        this.host = host;
        this.name = name;
        this.fileBacked = fileBacked;
        this.file = file;
    }

    long length() { return end - start; }

    /** The part [from, to) of this mapping, sharing its host memory (a file part starts further into the file). */
    Vma slice(long from, long to) {
        AddressSpace.FileIdentity f = file == null ? null : file.advancedBy(from - start);
        return new Vma(from, to, prot, flags, host.asSlice(from - start, to - from), name, fileBacked, f, everProt);
    }

    Vma withProt(int newProt) {
        return new Vma(start, end, newProt, flags, host, name, fileBacked, file, everProt);
    }

    /**
     * The protection a program loader gives memory it has just filled: nothing ran yet, so the
     * writes it made for loading do not count as the mapping having been writable.
     */
    Vma loadedAs(int newProt) {
        return new Vma(start, end, newProt, flags, host, name, fileBacked, file, newProt);
    }

    Vma withName(String newName, AddressSpace.FileIdentity newFile) {
        return new Vma(start, end, prot, flags, host, newName, fileBacked, newFile, everProt);
    }

    /**
     * The same mapping on other host memory holding the same bytes (code taken over from a kept
     * engine). That memory may be a host file mapping whose untouched pages are not resident, so
     * a fork copies it whole (fileBacked); translated: it may hold translations, which counts as executable.
     */
    Vma withHost(MemorySegment newHost, boolean translated) {
        return new Vma(start, end, prot, flags, newHost, name, true, file, everProt | (translated ? 4 : 0));
    }

    /** The same mapping, its bytes moved to other host memory (a kept region's, see ParkedRegion). */
    Vma movedTo(MemorySegment newHost) {
        return new Vma(start, end, prot, flags, newHost, name, fileBacked, file, everProt);
    }

    /**
     * Whether an engine may keep this mapping's place when the mapping goes (see ParkedRegion):
     * the host memory is this process's own, and whatever Unicorn translated of it is file code
     * that can be trusted to come back unchanged.
     */
    boolean keepable() {
        return (flags & AddressSpace.MAP_SHARED) == 0 && (!everExecutable() || keepsTranslatedFileCode());
    }

    /** A fork child's mapping of this one, on host (a copy, shared memory, or kept code). */
    Vma inChild(MemorySegment childHost, boolean childFileBacked) {
        return new Vma(start, end, prot, flags, childHost, name, childFileBacked, file, everProt);
    }

    Vma written() {
        return new Vma(start, end, prot, flags, host, name, fileBacked, file, everProt | 2);
    }

    boolean everExecutable() { return (everProt & 4) != 0; }

    /**
     * File bytes (see keepsFileBytes) that may have been translated: only such code keeps its
     * translations beyond its mapping or its process.
     */
    boolean keepsTranslatedFileCode() {
        return keepsFileBytes() && everExecutable();
    }

    /** Private, never written, and mapping a file part with a trusted stamp: its bytes are the file's. */
    boolean keepsFileBytes() {
        return (everProt & 2) == 0 && (flags & AddressSpace.MAP_SHARED) == 0 && file != null && file.stamp() != 0;
    }

}
