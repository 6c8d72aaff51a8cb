package dev.lxrun.cpu;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Page-granular host memory from the host's mmap, used to back guest mappings. mmap rather
 * than an Arena because guest mappings are large and sparse: untouched pages cost nothing,
 * and parts can be returned to the host (munmap) when the guest unmaps them.
 */
public final class HostMemory {
    public static final long PAGE = 4096;
    private static final int PROT_READ = 1, PROT_WRITE = 2;
    private static final int MAP_PRIVATE = 0x02, MAP_ANONYMOUS = 0x20, MAP_NORESERVE = 0x4000;

    private static final class Libc {
        static final Linker L = Linker.nativeLinker();
        static final MethodHandle MMAP = L.downcallHandle(L.defaultLookup().find("mmap").orElseThrow(),
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
        static final MethodHandle MUNMAP = L.downcallHandle(L.defaultLookup().find("munmap").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        static final MethodHandle MREMAP = L.downcallHandle(L.defaultLookup().find("mremap").orElseThrow(),
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS));
        static final MethodHandle MINCORE = L.downcallHandle(L.defaultLookup().find("mincore").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS));
    }

    private HostMemory() {}

    /** Zero-filled, readable and writable host memory of length bytes (a multiple of PAGE). */
    public static MemorySegment allocate(long length) {
        return zeroPages(MemorySegment.NULL, length, 0);
    }

    /** Fresh zero pages of length bytes, at `at` with MAP_FIXED in extraFlags, else where the host puts them. */
    private static MemorySegment zeroPages(MemorySegment at, long length, int extraFlags) {
        checkPages(length);
        try {
            MemorySegment p = (MemorySegment) Libc.MMAP.invokeExact(at, length,
                    PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | extraFlags, -1, 0L);
            if (p.address() == -1L) throw new OutOfMemoryError("host mmap of " + length + " bytes failed");
            return p.reinterpret(length);
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * The host's own mapping of a file: MAP_PRIVATE gives copy-on-write pages that share the page
     * cache until written; MAP_SHARED writes go to the file as on Linux. length must not reach
     * whole pages past the end of the file (touching those would raise SIGBUS in the JVM).
     */
    public static MemorySegment mapFile(int fd, long offset, long length, boolean shared, boolean writable) {
        checkPages(length);
        final int MAP_SHARED = 0x01;
        int prot = PROT_READ | (writable || !shared ? PROT_WRITE : 0);
        try {
            MemorySegment p = (MemorySegment) Libc.MMAP.invokeExact(MemorySegment.NULL, length, prot,
                    shared ? MAP_SHARED : MAP_PRIVATE, fd, offset);
            if (p.address() == -1L) return null;
            return p.reinterpret(length);
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Moves the host pages at [from, from+length) to [to, to+length), replacing what was there,
     * and leaves nothing mapped at from (the host's mremap: page tables move, no bytes are copied).
     * Falls back to copying when the host cannot move them (a range spanning host mappings).
     */
    public static void moveTo(long from, long length, long to) {
        checkPages(length);
        final int MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2;
        try {
            MemorySegment p = (MemorySegment) Libc.MREMAP.invokeExact(MemorySegment.ofAddress(from), length, length,
                    MREMAP_MAYMOVE | MREMAP_FIXED, MemorySegment.ofAddress(to));
            if (p.address() == to) return;
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        MemorySegment.copy(MemorySegment.ofAddress(from).reinterpret(length), 0,
                MemorySegment.ofAddress(to).reinterpret(length), 0, length);
        release(from, length);
    }

    /**
     * Replaces [address, address+length) with fresh zero pages at the same address: what the
     * memory held goes back to the host, the address range stays reserved.
     */
    public static void reset(long address, long length) {
        final int MAP_FIXED = 0x10;
        zeroPages(MemorySegment.ofAddress(address), length, MAP_FIXED);
    }

    /** Returns [address, address+length) to the host. */
    public static void release(long address, long length) {
        if (length == 0) return;
        checkPages(length);
        try {
            int rc = (int) Libc.MUNMAP.invokeExact(MemorySegment.ofAddress(address), length);
            if (rc != 0) throw new IllegalStateException("host munmap failed");
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Copies src into dst (same length, page-aligned; dst all zero) page by page, skipping pages
     * of src the host never materialised (see TouchedPages): those read as zero, which dst
     * already is. Forking a process whose 8 MiB stack is mostly untouched then copies only what
     * was used. src must be anonymous memory: pages of a file mapping not yet read hold the
     * file's bytes without being materialised. Returns the number of bytes copied.
     */
    public static long copyResident(MemorySegment src, MemorySegment dst) {
        long length = src.byteSize();
        checkPages(length);
        long[] copied = {0};
        TouchedPages.forEachRun(src.address(), length, (off, len) -> {
            MemorySegment.copy(src, off, dst, off, len);
            copied[0] += len;
        });
        return copied[0];
    }

    /** How many pages of seg the host has materialised (its resident set), or 0 if unknown. */
    public static long residentPages(MemorySegment seg) {
        long length = seg.byteSize();
        if (length <= 0 || (seg.address() & (PAGE - 1)) != 0) return 0;
        long pages = (length + PAGE - 1) / PAGE;
        try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment vec = a.allocate(pages);
            int rc = (int) Libc.MINCORE.invokeExact(seg, (length + PAGE - 1) & -PAGE, vec);
            if (rc != 0) return 0;
            long n = 0;
            for (long i = 0; i < pages; i++) n += vec.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i) & 1;
            return n;
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            return 0;
        }
    }

    private static void checkPages(long length) {
        if (length <= 0 || (length & (PAGE - 1)) != 0) {
            throw new IllegalArgumentException("length must be a positive multiple of the page size: " + length);
        }
    }
}
