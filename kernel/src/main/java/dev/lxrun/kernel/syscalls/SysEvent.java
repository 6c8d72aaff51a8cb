package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.mm.AddressSpace;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.HostFile;
import dev.lxrun.vfs.host.HostPosix;
import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.MemorySegment;

/**
 * Event descriptors over the host's own: epoll, eventfd and timerfd objects are host objects
 * watching the host descriptors behind guest fds. struct epoll_event (packed, 12 bytes) and
 * struct itimerspec have the guest's layout already, and the 64-bit epoll user data comes back
 * untouched, so guest buffers are handed to the host as they are.
 */
final class SysEvent {
    private static final int O_CLOEXEC = 02000000, O_NONBLOCK = 04000;
    private static final int PROT_READ = 1, PROT_WRITE = 2;
    private static final long SLICE_MS = 50;

    private SysEvent() {}

    /** Installs a new host descriptor as a guest fd (close-on-exec as the flags say). */
    private static long install(Task t, long hostFd, int flags) {
        if (hostFd < 0) return hostFd;
        int fd = t.process.fds.install(new HostFile((int) hostFd), (flags & O_CLOEXEC) != 0, 0);
        if (fd < 0) HostPosix.close((int) hostFd);
        return fd;
    }

    // ---- inotify: host inotify instances; events name files relative to their watch, so pass as they are ----

    static long inotifyInit(Task t, int flags) {
        final int IN_CLOEXEC = O_CLOEXEC, IN_NONBLOCK = O_NONBLOCK, INOTIFY_INIT1 = 294;
        if ((flags & ~(IN_CLOEXEC | IN_NONBLOCK)) != 0) return -Errno.EINVAL;
        return install(t, HostSyscall.call(INOTIFY_INIT1, (flags & IN_NONBLOCK) | IN_CLOEXEC, 0, 0), flags);
    }

    /** The watched path is resolved in the guest's namespace and handed to the host as the file it names. */
    static long inotifyAddWatch(Task t, int fd, long pathAddr, int mask) {
        final int IN_DONT_FOLLOW = 0x02000000, INOTIFY_ADD_WATCH = 254;
        int h = hostFd(t, fd);
        if (h < 0) return h == -Errno.EPERM ? -Errno.EINVAL : h;
        return GuestPaths.withHostPath(t, pathAddr, (mask & IN_DONT_FOLLOW) == 0, false,
                path -> HostSyscall.call(INOTIFY_ADD_WATCH, h, path.address(), mask));
    }

    static long inotifyRmWatch(Task t, int fd, int wd) {
        final int INOTIFY_RM_WATCH = 255;
        int h = hostFd(t, fd);
        return h < 0 ? (h == -Errno.EPERM ? -Errno.EINVAL : h) : HostSyscall.call(INOTIFY_RM_WATCH, h, wd, 0);
    }

    private static int hostFd(Task t, int fd) {
        return HostArgs.fd(t, fd, Errno.EPERM);
    }

    private static long hostAddress(Task t, long addr, long len, int prot) {
        return HostArgs.address(t, addr, len, prot);
    }

    static long epollCreate(Task t, int size) {
        if (size <= 0) return -Errno.EINVAL;
        return epollCreate1(t, 0);
    }

    static long epollCreate1(Task t, int flags) {
        if ((flags & ~O_CLOEXEC) != 0) return -Errno.EINVAL;
        return install(t, HostSyscall.call(HostSyscall.EPOLL_CREATE1, O_CLOEXEC, 0, 0), flags);
    }

    static long epollCtl(Task t, int epfd, int op, int fd, long eventAddr) {
        final int EPOLL_CTL_DEL = 2;
        int ep = hostFd(t, epfd), target = hostFd(t, fd);
        if (ep < 0) return ep;
        if (target < 0) return target;
        long event = op == EPOLL_CTL_DEL && eventAddr == 0 ? 0 : hostAddress(t, eventAddr, 12, PROT_READ);
        return HostSyscall.call(HostSyscall.EPOLL_CTL, ep, op, target, event, 0, 0);
    }

    /** epoll_wait/epoll_pwait(2): waits in slices so a guest signal interrupts it. */
    static long epollWait(Task t, int epfd, long eventsAddr, int maxevents, long timeoutNs, long maskAddr, long sigsetsize) {
        int ep = hostFd(t, epfd);
        if (ep < 0) return ep;
        if (maxevents <= 0 || maxevents > (Integer.MAX_VALUE / 12)) return -Errno.EINVAL;
        long events = hostAddress(t, eventsAddr, 12L * maxevents, PROT_WRITE);
        long deadline = timeoutNs < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutNs;
        return SysPoll.withMask(t, maskAddr, sigsetsize, () -> {
            try {
                while (true) {
                    long leftMs = deadline == Long.MAX_VALUE ? SLICE_MS : Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
                    long r = HostSyscall.call(HostSyscall.EPOLL_WAIT, ep, events, maxevents, Math.min(leftMs, SLICE_MS), 0, 0);
                    if (r != 0 && r != -Errno.EINTR) return r;
                    if (deadline != Long.MAX_VALUE && System.nanoTime() >= deadline) return 0;
                    if (t.hasPendingSignal()) return -Errno.EINTR;
                    t.hostWaiting(true);
                }
            } finally {
                t.hostWaiting(false);
            }
        });
    }

    static long epollWaitMs(Task t, int epfd, long eventsAddr, int maxevents, int timeoutMs, long maskAddr, long size) {
        return epollWait(t, epfd, eventsAddr, maxevents, timeoutMs < 0 ? -1 : timeoutMs * 1_000_000L, maskAddr, size);
    }

    static long epollPwait2(Task t, int epfd, long eventsAddr, int maxevents, long tsAddr, long maskAddr, long size) {
        long ns = -1;
        if (tsAddr != 0) {
            long sec = t.process.mm.readLong(tsAddr), nsec = t.process.mm.readLong(tsAddr + 8);
            if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) return -Errno.EINVAL;
            ns = Math.min(sec, 1L << 32) * 1_000_000_000L + nsec;
        }
        return epollWait(t, epfd, eventsAddr, maxevents, ns, maskAddr, size);
    }

    static long eventfd2(Task t, int initval, int flags) {
        final int EFD_SEMAPHORE = 1;
        if ((flags & ~(O_CLOEXEC | O_NONBLOCK | EFD_SEMAPHORE)) != 0) return -Errno.EINVAL;
        return install(t, HostSyscall.call(HostSyscall.EVENTFD2, Integer.toUnsignedLong(initval), flags | O_CLOEXEC, 0), flags);
    }

    static long timerfdCreate(Task t, int clock, int flags) {
        if ((flags & ~(O_CLOEXEC | O_NONBLOCK)) != 0) return -Errno.EINVAL;
        return install(t, HostSyscall.call(HostSyscall.TIMERFD_CREATE, clock, flags | O_CLOEXEC, 0), flags);
    }

    static long timerfdSettime(Task t, int fd, int flags, long newAddr, long oldAddr) {
        int h = hostFd(t, fd);
        if (h < 0) return h;
        long nv = hostAddress(t, newAddr, 32, PROT_READ);
        long ov = oldAddr == 0 ? 0 : hostAddress(t, oldAddr, 32, PROT_WRITE);
        return HostSyscall.call(HostSyscall.TIMERFD_SETTIME, h, flags, nv, ov, 0, 0);
    }

    static long timerfdGettime(Task t, int fd, long currAddr) {
        int h = hostFd(t, fd);
        if (h < 0) return h;
        return HostSyscall.call(HostSyscall.TIMERFD_GETTIME, h, hostAddress(t, currAddr, 32, PROT_WRITE), 0);
    }

    /**
     * mincore on guest memory: residency of the host pages behind it, one host call per guest
     * mapping in the range. As Linux: the range must lie in user space (ENOMEM), length 0
     * succeeds at once, and a hole stops the walk with ENOMEM after the mappings before it.
     */
    static long mincore(Task t, long addr, long length, long vecAddr) {
        if ((addr & 4095) != 0) return -Errno.EINVAL;
        long end = addr + length;
        if (Long.compareUnsigned(length, AddressSpace.TASK_SIZE) > 0 || Long.compareUnsigned(end, AddressSpace.TASK_SIZE) > 0) {
            return -Errno.ENOMEM;
        }
        long pages = (length + 4095) >>> 12;
        if (pages == 0) return 0;
        long vec = hostAddress(t, vecAddr, pages, PROT_WRITE);
        for (long done = 0; done < pages; ) {
            long at = addr + (done << 12);
            long mappingEnd = t.process.mm.mappingEnd(at);
            if (mappingEnd < 0) return -Errno.ENOMEM;
            long n = Math.min(pages - done, (mappingEnd - at) >>> 12);
            MemorySegment mem = t.process.mm.direct(at, n << 12, 0);
            long r = HostSyscall.call(HostSyscall.MINCORE, mem.address(), n << 12, vec + done);
            if (r < 0) return r;
            done += n;
        }
        return 0;
    }
}
