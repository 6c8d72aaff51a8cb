package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Rlimits;
import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.mm.AddressSpace;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.host.HostSyscall;

/**
 * mlock, mlock2, munlock, mlockall, munlockall. lxrun never swaps guest memory, so locking is
 * bookkeeping (VmLck), with Linux's checks: the range must be mapped (ENOMEM), RLIMIT_MEMLOCK
 * binds callers without CAP_IPC_LOCK (effective uid 0 here), a zero limit is EPERM for them.
 */
final class SysMemLock {
    private static final long PAGE = AddressSpace.PAGE;
    private static final int MLOCK_ONFAULT = 1;
    private static final int MCL_CURRENT = 1, MCL_FUTURE = 2, MCL_ONFAULT = 4;

    private SysMemLock() {}

    static long mlock(Task t, long addr, long len) {
        return mlock2(t, addr, len, 0);
    }

    static long mlock2(Task t, long addr, long len, int flags) {
        if ((flags & ~MLOCK_ONFAULT) != 0) return -Errno.EINVAL;
        if (!mayLock(t)) return -Errno.EPERM;
        long start = addr & -PAGE;
        long end = AddressSpace.pageUp(addr + len);
        if (Long.compareUnsigned(end, start) < 0 || (len != 0 && end == 0)) return -Errno.EINVAL;
        AddressSpace mm = t.process.mm;
        if (!capable(t)) {
            // Pages of the range that are locked already do not count again (count_mm_mlocked_page_nr).
            long already = lockedWithin(mm, start, end);
            long total = mm.locked.bytes() - already + (end - start);
            if (Long.compareUnsigned(total, t.process.rlimits.cur(Rlimits.MEMLOCK)) > 0) return -Errno.ENOMEM;
        }
        if (end == start) return 0;
        if (!mapped(mm, start, end)) return -Errno.ENOMEM;
        mm.locked.lock(start, end);
        if ((flags & MLOCK_ONFAULT) == 0) populate(mm, mm.layout(), start, end);
        return 0;
    }

    /** Above this, locking stays bookkeeping only: a guest must not make the host fault in terabytes. */
    private static final long POPULATE_LIMIT = 1L << 30;

    /**
     * mlock without MLOCK_ONFAULT faults its range in, as Linux's __mm_populate does, so mincore
     * sees it resident (LTP mlock201): MADV_POPULATE_READ on the host memory behind each mapping
     * that has any access, which maps the zero page for untouched private memory and costs no
     * copy. Ranges above POPULATE_LIMIT are left as they are. layout: the mappings to look at.
     */
    private static void populate(AddressSpace mm, java.util.List<AddressSpace.Mapping> layout, long start, long end) {
        final int MADV_POPULATE_READ = 22;
        if (end - start > POPULATE_LIMIT) return;
        for (AddressSpace.Mapping m : layout) {
            long from = Math.max(start, m.start()), to = Math.min(end, m.end());
            if (from >= to || (m.prot() & 7) == 0) continue;
            java.lang.foreign.MemorySegment host = mm.direct(from, to - from, 0);
            if (host != null) HostSyscall.call(HostSyscall.MADVISE, host.address(), to - from, MADV_POPULATE_READ);
        }
    }

    static long munlock(Task t, long addr, long len) {
        long start = addr & -PAGE;
        long end = AddressSpace.pageUp(addr + len);
        if (Long.compareUnsigned(end, start) < 0 || (len != 0 && end == 0)) return -Errno.EINVAL;
        if (end == start) return 0;
        AddressSpace mm = t.process.mm;
        if (!mapped(mm, start, end)) return -Errno.ENOMEM;
        mm.locked.unlock(start, end);
        return 0;
    }

    static long mlockall(Task t, int flags) {
        if (flags == 0 || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) != 0 || flags == MCL_ONFAULT) {
            return -Errno.EINVAL;
        }
        if (!mayLock(t)) return -Errno.EPERM;
        AddressSpace mm = t.process.mm;
        java.util.List<AddressSpace.Mapping> layout = mm.layout();
        if ((flags & MCL_CURRENT) != 0 && !capable(t)) {
            long total = 0;
            for (AddressSpace.Mapping m : layout) total += m.end() - m.start();
            if (Long.compareUnsigned(total, t.process.rlimits.cur(Rlimits.MEMLOCK)) > 0) return -Errno.ENOMEM;
        }
        mm.locked.setLockFuture((flags & MCL_FUTURE) != 0);
        if ((flags & MCL_CURRENT) != 0) {
            for (AddressSpace.Mapping m : layout) {
                mm.locked.lock(m.start(), m.end());
                if ((flags & MCL_ONFAULT) == 0) populate(mm, java.util.List.of(m), m.start(), m.end());
            }
        }
        return 0;
    }

    static long munlockall(Task t) {
        t.process.mm.locked.clear();
        return 0;
    }

    /** mmap's result, after locking the new mapping when it asked for MAP_LOCKED or the process for mlockall(MCL_FUTURE). */
    static long mapped(Task t, long result, long len, int flags) {
        final int MAP_LOCKED = 0x2000;
        AddressSpace mm = t.process.mm;
        if (result >= 0 && ((flags & MAP_LOCKED) != 0 || mm.locked.lockFuture())) {
            mm.locked.lock(result, result + AddressSpace.pageUp(len));
        }
        return result;
    }

    /** can_do_mlock: CAP_IPC_LOCK, or a non-zero RLIMIT_MEMLOCK. */
    private static boolean mayLock(Task t) {
        return capable(t) || t.process.rlimits.cur(Rlimits.MEMLOCK) != 0;
    }

    private static boolean capable(Task t) {
        return t.process.creds.euid() == 0;
    }

    /** Whether every page of [start, end) belongs to some mapping. */
    private static boolean mapped(AddressSpace mm, long start, long end) {
        long p = start;
        for (AddressSpace.Mapping m : mm.layout()) {
            if (m.end() <= p) continue;
            if (m.start() > p) return false;
            p = m.end();
            if (p >= end) return true;
        }
        return p >= end;
    }

    private static long lockedWithin(AddressSpace mm, long start, long end) {
        var probe = mm.locked.copy();
        long all = probe.bytes();
        probe.unlock(start, end);
        return all - probe.bytes();
    }
}
