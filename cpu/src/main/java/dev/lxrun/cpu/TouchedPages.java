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
 *
 * <p>Linux 6.7's PAGEMAP_SCAN ioctl reports runs of touched pages and skips unpopulated page
 * tables wholesale, so a 32 TiB mapping with a few pages used costs microseconds; reading an
 * entry per page would move 64 GiB of pagemap for it. Older kernels get the per-page read.
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
        static final MethodHandle IOCTL = L.downcallHandle(L.defaultLookup().find("ioctl").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));
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
        if (!scanUnsupported && scan(address, length, action)) return;
        readEach(address, length, action);
    }

    // struct pm_scan_arg (12 u64) and struct page_region (start, end, categories), linux/fs.h.
    private static final long PAGEMAP_SCAN = 0xC0606610L; // _IOWR('f', 16, struct pm_scan_arg)
    private static final long PAGE_IS_PRESENT = 1 << 3, PAGE_IS_SWAPPED = 1 << 4;
    private static final int SCAN_ARG_BYTES = 96, REGION_BYTES = 24, REGIONS_PER_SCAN = 256;
    private static final ThreadLocal<MemorySegment> SCAN_BUFFER =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(SCAN_ARG_BYTES + (long) REGION_BYTES * REGIONS_PER_SCAN, 8));
    private static volatile boolean scanUnsupported;

    /**
     * forEachRun by PAGEMAP_SCAN; false, having called action for nothing, when the kernel lacks
     * the ioctl (then it is not tried again).
     */
    private static boolean scan(long address, long length, RunAction action) {
        if (FD < 0) return false;
        MemorySegment buf = SCAN_BUFFER.get();
        MemorySegment vec = buf.asSlice(SCAN_ARG_BYTES);
        long end = address + length, cursor = address, runStart = -1, runEnd = -1;
        while (cursor < end) {
            buf.asSlice(0, SCAN_ARG_BYTES).fill((byte) 0);
            buf.setAtIndex(JAVA_LONG, 0, SCAN_ARG_BYTES);
            buf.setAtIndex(JAVA_LONG, 2, cursor);
            buf.setAtIndex(JAVA_LONG, 3, end);
            buf.setAtIndex(JAVA_LONG, 5, vec.address());
            buf.setAtIndex(JAVA_LONG, 6, REGIONS_PER_SCAN);
            buf.setAtIndex(JAVA_LONG, 10, PAGE_IS_PRESENT | PAGE_IS_SWAPPED); // category_anyof_mask
            buf.setAtIndex(JAVA_LONG, 11, PAGE_IS_PRESENT | PAGE_IS_SWAPPED); // return_mask
            int n;
            try {
                n = (int) Libc.IOCTL.invokeExact(FD, PAGEMAP_SCAN, buf);
            } catch (Throwable t) {
                n = -1;
            }
            if (n < 0 && cursor == address) {
                scanUnsupported = true;
                return false;
            }
            if (n < 0) break;
            for (int i = 0; i < n; i++) {
                long s = vec.getAtIndex(JAVA_LONG, i * 3L), e = vec.getAtIndex(JAVA_LONG, i * 3L + 1);
                if (s == runEnd) {
                    runEnd = e;
                } else {
                    if (runStart >= 0) action.run(runStart - address, runEnd - runStart);
                    runStart = s;
                    runEnd = e;
                }
            }
            long walked = buf.getAtIndex(JAVA_LONG, 4);
            if (walked <= cursor) break;
            cursor = walked;
        }
        if (runStart >= 0) action.run(runStart - address, runEnd - runStart);
        if (cursor < end) {
            // The scan stopped early (it should not): the rest by the slow read, never by guessing.
            long from = cursor;
            readEach(from, end - from, (off, len) -> action.run(from - address + off, len));
        }
        return true;
    }

    /** forEachRun by reading one pagemap entry per page. */
    private static void readEach(long address, long length, RunAction action) {
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
