package dev.lxrun.kernel.syscalls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Linux's overcommit check (mm/util.c __vm_enough_memory) for memory a mapping may have to back:
 * private writable mappings, shared anonymous ones and the heap, unless MAP_NORESERVE. lxrun
 * reserves guest memory with the host's MAP_NORESERVE, so without this check a guest could map
 * 32 TiB where Linux says ENOMEM, and a later fork would try to copy it. The host's own policy
 * (/proc/sys/vm/overcommit_memory) decides, as it would for a native program: 0 refuses a single
 * request larger than RAM + swap, 1 never refuses, 2 refuses beyond the commit limit.
 */
public final class MemoryCommit {
    private static final long PAGE = 4096;
    private static final int MODE = readInt(Path.of("/proc/sys/vm/overcommit_memory"), 0);
    /** RAM + swap in pages, read once: the heuristic's bound does not move while lxrun runs. */
    private static final long TOTAL_PAGES = (meminfoKib("MemTotal") + meminfoKib("SwapTotal")) / 4;

    private MemoryCommit() {}

    /** Whether Linux would refuse to commit bytes more (ENOMEM). */
    public static boolean refuses(long bytes) {
        if (bytes <= 0 || MODE == 1) return false;
        long pages = bytes / PAGE;
        if (MODE == 2) return pages > meminfoKib("CommitLimit") / 4 - meminfoKib("Committed_AS") / 4;
        return pages > TOTAL_PAGES;
    }

    /** Whether a mapping with these prot and flags is charged (VM_ACCOUNT). */
    static boolean charged(int prot, int flags, boolean anonymous) {
        final int MAP_SHARED = 0x01, MAP_NORESERVE = 0x4000, PROT_WRITE = 2;
        if ((flags & MAP_NORESERVE) != 0 && MODE != 2) return false;
        if ((flags & 0x0f) != MAP_SHARED) return (prot & PROT_WRITE) != 0;
        return anonymous; // shared anonymous memory is shmem, charged whatever its protection
    }

    private static long meminfoKib(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | NumberFormatException e) {
            // no figure: charge nothing against it
        }
        return Long.MAX_VALUE / 2;
    }

    private static int readInt(Path p, int fallback) {
        try {
            return Integer.parseInt(Files.readString(p).trim());
        } catch (IOException | NumberFormatException e) {
            return fallback;
        }
    }
}
