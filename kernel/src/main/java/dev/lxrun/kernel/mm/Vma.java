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

    Vma(long start, long end, int prot, int flags, MemorySegment host, String name) {
        this(start, end, prot, flags, host, name, false, null);
    }

    Vma(long start, long end, int prot, int flags, MemorySegment host, String name, boolean fileBacked) {
        this(start, end, prot, flags, host, name, fileBacked, null);
    }

    Vma(long start, long end, int prot, int flags, MemorySegment host, String name, boolean fileBacked,
        AddressSpace.FileIdentity file) {
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
        return new Vma(from, to, prot, flags, host.asSlice(from - start, to - from), name, fileBacked, f);
    }

    Vma withProt(int newProt) {
        return new Vma(start, end, newProt, flags, host, name, fileBacked, file);
    }

    Vma withName(String newName, AddressSpace.FileIdentity newFile) {
        return new Vma(start, end, prot, flags, host, newName, fileBacked, newFile);
    }

    long hostAddress(long guest) { return host.address() + (guest - start); }
}
