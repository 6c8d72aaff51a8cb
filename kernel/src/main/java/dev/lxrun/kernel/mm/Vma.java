package dev.lxrun.kernel.mm;

import java.lang.foreign.MemorySegment;

/**
 * One contiguous guest mapping [start, end) with uniform protection, backed by host memory
 * whose first byte corresponds to start. name is what /proc/PID/maps shows ("[heap]", a path, or "").
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

    Vma(long start, long end, int prot, int flags, MemorySegment host, String name) {
        this(start, end, prot, flags, host, name, false);
    }

    Vma(long start, long end, int prot, int flags, MemorySegment host, String name, boolean fileBacked) {
        this.start = start;
        this.end = end;
        this.prot = prot;
        this.flags = flags;
        this.host = host;
        this.name = name;
        this.fileBacked = fileBacked;
    }

    long length() { return end - start; }

    /** The part [from, to) of this mapping, sharing its host memory. */
    Vma slice(long from, long to) {
        return new Vma(from, to, prot, flags, host.asSlice(from - start, to - from), name, fileBacked);
    }

    Vma withProt(int newProt) {
        return new Vma(start, end, newProt, flags, host, name, fileBacked);
    }

    long hostAddress(long guest) { return host.address() + (guest - start); }
}
