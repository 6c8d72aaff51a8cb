package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.mm.AddressSpace;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.MemorySegment;

/**
 * msync: shared file mappings are host mappings of the file (see AddressSpace#mapHostMemory), so
 * the host's msync writes them back; private and anonymous ones have nothing to write. Checks
 * and errors are Linux's: EINVAL for an unaligned start, unknown flags or MS_ASYNC with MS_SYNC,
 * ENOMEM when part of the range is not mapped.
 */
final class SysMsync {
    private static final int MS_ASYNC = 1, MS_INVALIDATE = 2, MS_SYNC = 4;
    private static final int MSYNC = 26;

    private SysMsync() {}

    static long msync(Task t, long addr, long len, int flags) {
        if ((flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) != 0) return -Errno.EINVAL;
        if ((addr & (AddressSpace.PAGE - 1)) != 0) return -Errno.EINVAL;
        if ((flags & MS_ASYNC) != 0 && (flags & MS_SYNC) != 0) return -Errno.EINVAL;
        if (len < 0) return -Errno.ENOMEM;
        long end = addr + AddressSpace.pageUp(len);
        if (end < addr) return -Errno.ENOMEM;
        if (end == addr) return 0;
        AddressSpace mm = t.process.mm;
        long covered = addr;
        boolean hole = false;
        for (AddressSpace.Mapping m : mm.layout()) {
            if (m.end() <= covered || m.start() >= end) continue;
            if (m.start() > covered) hole = true;
            long from = Math.max(m.start(), addr), to = Math.min(m.end(), end);
            if (m.shared() && m.file() != null) {
                MemorySegment host = mm.direct(from, to - from, 0);
                if (host != null) {
                    long r = HostSyscall.call(MSYNC, host.address(), to - from, flags);
                    if (r < 0) return r;
                }
            }
            covered = Math.max(covered, m.end());
        }
        return hole || covered < end ? -Errno.ENOMEM : 0;
    }
}
