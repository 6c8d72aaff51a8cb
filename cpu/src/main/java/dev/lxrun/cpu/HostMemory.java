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
    }

    private HostMemory() {}

    /** Zero-filled, readable and writable host memory of length bytes (a multiple of PAGE). */
    public static MemorySegment allocate(long length) {
        checkPages(length);
        try {
            MemorySegment p = (MemorySegment) Libc.MMAP.invokeExact(MemorySegment.NULL, length,
                    PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0L);
            if (p.address() == -1L) throw new OutOfMemoryError("host mmap of " + length + " bytes failed");
            return p.reinterpret(length);
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
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

    private static void checkPages(long length) {
        if (length <= 0 || (length & (PAGE - 1)) != 0) {
            throw new IllegalArgumentException("length must be a positive multiple of the page size: " + length);
        }
    }
}
