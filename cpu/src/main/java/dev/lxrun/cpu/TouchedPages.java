package dev.lxrun.cpu;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Which pages of the JVM's own anonymous memory were ever materialised, from /proc/self/pagemap:
 * a page counts when it is present or swapped out. mincore would miss the swapped ones, and a
 * swapped page read as "never touched" would lose its bytes. A page not counted reads as zero.
 * Where pagemap cannot be read every page counts, which is slower but never wrong.
 */
final class TouchedPages {
    /** What is done with each run of touched pages: offsets and lengths from the range's start. */
    interface RunAction {
        void run(long offset, long length);
    }

    private static final long PRESENT = 1L << 63, SWAPPED = 1L << 62;
    private static final int ENTRIES_PER_READ = 4096;
    private static final int FD = openPagemap();
    private static final ThreadLocal<MemorySegment> BUFFER =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(ENTRIES_PER_READ * 8L, 8));

    private static final class Libc {
        static final Linker L = Linker.nativeLinker();
        static final MethodHandle OPEN = L.downcallHandle(L.defaultLookup().find("open").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle PREAD = L.downcallHandle(L.defaultLookup().find("pread").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    }

    private TouchedPages() {}

    private static int openPagemap() {
        final int O_RDONLY = 0, O_CLOEXEC = 0x80000;
        try (Arena a = Arena.ofConfined()) {
            return (int) Libc.OPEN.invokeExact(a.allocateFrom("/proc/self/pagemap"), O_RDONLY | O_CLOEXEC);
        } catch (Throwable t) {
            return -1;
        }
    }

    /** Calls action for each maximal run of touched pages of [address, address+length) (page-aligned). */
    static void forEachRun(long address, long length, RunAction action) {
        long pages = length / HostMemory.PAGE;
        long run = -1;
        for (long first = 0; first < pages; first += ENTRIES_PER_READ) {
            int n = (int) Math.min(ENTRIES_PER_READ, pages - first);
            MemorySegment entries = read(address + first * HostMemory.PAGE, n);
            for (int i = 0; i < n; i++) {
                boolean touched = entries == null || (entries.getAtIndex(JAVA_LONG, i) & (PRESENT | SWAPPED)) != 0;
                long page = first + i;
                if (touched && run < 0) run = page;
                if (!touched && run >= 0) {
                    action.run(run * HostMemory.PAGE, (page - run) * HostMemory.PAGE);
                    run = -1;
                }
            }
        }
        if (run >= 0) action.run(run * HostMemory.PAGE, (pages - run) * HostMemory.PAGE);
    }

    /** n pagemap entries from the page at address on, or null when they cannot be read. */
    private static MemorySegment read(long address, int n) {
        if (FD < 0) return null;
        MemorySegment buf = BUFFER.get();
        long want = n * 8L, offset = (address / HostMemory.PAGE) * 8L, got = 0;
        try {
            while (got < want) {
                long r = (long) Libc.PREAD.invokeExact(FD, buf.asSlice(got), want - got, offset + got);
                if (r <= 0) return null;
                got += r;
            }
        } catch (Throwable t) {
            return null;
        }
        return buf;
    }
}
