package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Credentials;
import dev.lxrun.kernel.Process;
import dev.lxrun.kernel.ProcessTree;
import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.mm.AddressSpace;
import dev.lxrun.kernel.mm.GuestFault;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.FileDescription;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Calls that reach into another guest process: process_vm_readv/process_vm_writev (copies
 * between two address spaces, page by page, stopping at the first page either side cannot give,
 * as Linux does: the bytes moved so far, or EFAULT when none) and kcmp.
 */
final class SysProcessVm {
    private static final long PAGE = AddressSpace.PAGE;
    private static final int UIO_MAXIOV = 1024;
    private static final long MAX_RW_COUNT = 0x7ffff000L;
    private static final int PROT_READ = 1, PROT_WRITE = 2;

    private SysProcessVm() {}

    static long processVm(Task t, int pid, long lvec, long liovcnt, long rvec, long riovcnt, long flags, boolean write) {
        if (flags != 0) return -Errno.EINVAL;
        if (Long.compareUnsigned(liovcnt, UIO_MAXIOV) > 0 || Long.compareUnsigned(riovcnt, UIO_MAXIOV) > 0) {
            return -Errno.EINVAL;
        }
        AddressSpace local = t.process.mm;
        long[] l = iovecs(local, lvec, (int) liovcnt, true);
        if (l.length == 1) return l[0];
        long total = 0;
        for (int i = 1; i < l.length; i += 2) total += l[i];
        if (total == 0) return 0;
        long[] r = iovecs(local, rvec, (int) riovcnt, false);
        if (r.length == 1) return r[0];
        Process target = lookup(t, pid);
        if (target == null || ProcessTree.isZombie(target) || target.mm == null) return -Errno.ESRCH;
        if (!mayAccess(t.process.creds, target.creds)) return -Errno.EPERM;
        AddressSpace remote = target.mm;

        long moved = 0;
        int li = 1;
        long lpos = 0;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment page = a.allocate(PAGE);
            for (int ri = 1; ri < r.length; ri += 2) {
                long rbase = r[ri - 1], rlen = r[ri], rpos = 0;
                while (rpos < rlen) {
                    while (li < l.length && lpos == l[li]) { li += 2; lpos = 0; }
                    if (li >= l.length) return moved;
                    long laddr = l[li - 1] + lpos, raddr = rbase + rpos;
                    long n = Math.min(Math.min(rlen - rpos, l[li] - lpos),
                            Math.min(PAGE - (raddr & (PAGE - 1)), PAGE - (laddr & (PAGE - 1))));
                    MemorySegment chunk = page.asSlice(0, n);
                    try {
                        if (write) {
                            local.copyOut(laddr, chunk, false);
                            remote.copyIn(raddr, chunk, true);
                        } else {
                            remote.copyOut(raddr, chunk, false);
                            local.copyIn(laddr, chunk, true);
                        }
                    } catch (GuestFault f) {
                        return moved > 0 ? moved : -Errno.EFAULT;
                    }
                    moved += n;
                    rpos += n;
                    lpos += n;
                }
            }
        }
        return moved;
    }

    /**
     * The iovec array as {base, len, base, len, ...} (lengths of the local side capped so the sum
     * stays within MAX_RW_COUNT, as import_iovec does), or {-errno}.
     */
    private static long[] iovecs(AddressSpace mm, long addr, int count, boolean local) {
        long[] out = new long[2 * count];
        long sum = 0;
        try {
            for (int i = 0; i < count; i++) {
                long base = mm.readLong(addr + 16L * i), len = mm.readLong(addr + 16L * i + 8);
                if (local) {
                    if (len < 0) return new long[] {-Errno.EINVAL};
                    len = Math.min(len, MAX_RW_COUNT - sum);
                    sum += len;
                }
                out[2 * i] = base;
                out[2 * i + 1] = len;
            }
        } catch (GuestFault f) {
            return new long[] {-Errno.EFAULT};
        }
        return out.length == 1 ? new long[] {out[0]} : out;
    }

    private static Process lookup(Task t, int pid) {
        if (pid <= 0) return null;
        Process p = t.process.kernel.process(pid);
        if (p != null) return p;
        Task task = t.process.kernel.task(pid);
        return task == null ? null : task.process;
    }

    /** ptrace_may_access with real credentials: privileged, or the target's ids all the caller's. */
    private static boolean mayAccess(Credentials me, Credentials other) {
        if (me.euid() == 0) return true;
        return me.uid() == other.uid() && me.uid() == other.euid() && me.uid() == other.suid()
                && me.gid() == other.gid() && me.gid() == other.egid() && me.gid() == other.sgid();
    }

    // ---- kcmp ----

    private static final int KCMP_FILE = 0, KCMP_VM = 1, KCMP_FILES = 2, KCMP_FS = 3, KCMP_SIGHAND = 4,
            KCMP_IO = 5, KCMP_SYSVSEM = 6, KCMP_EPOLL_TFD = 7;

    static long kcmp(Task t, int pid1, int pid2, int type, long idx1, long idx2) {
        Process a = lookup(t, pid1), b = lookup(t, pid2);
        if (a == null || b == null) return -Errno.ESRCH;
        if (!mayAccess(t.process.creds, a.creds) || !mayAccess(t.process.creds, b.creds)) return -Errno.EPERM;
        Object x, y;
        switch (type) {
            case KCMP_FILE -> {
                FileDescription fa = a.fds.get((int) idx1), fb = b.fds.get((int) idx2);
                if (fa == null || fb == null || idx1 != (int) idx1 || idx2 != (int) idx2) return -Errno.EBADF;
                x = fa;
                y = fb;
            }
            case KCMP_VM -> { x = a.mm; y = b.mm; }
            case KCMP_FILES -> { x = a.fds; y = b.fds; }
            case KCMP_FS -> { x = a.fs; y = b.fs; }
            // Signal handlers, I/O contexts and SysV undo lists are per process in lxrun.
            case KCMP_SIGHAND, KCMP_IO, KCMP_SYSVSEM -> { x = a; y = b; }
            case KCMP_EPOLL_TFD -> { return -Errno.EOPNOTSUPP; }
            default -> { return -Errno.EINVAL; }
        }
        if (x == y) return 0;
        int hx = System.identityHashCode(x), hy = System.identityHashCode(y);
        // Linux orders by obfuscated kernel pointers; distinct objects of equal hash have no order.
        return hx == hy ? 3 : (Integer.compareUnsigned(hx, hy) < 0 ? 1 : 2);
    }
}
