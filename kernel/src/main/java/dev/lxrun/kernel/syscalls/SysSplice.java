package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.FileDescription;
import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Moving data inside the kernel: splice and tee between host descriptors (one side a pipe, as
 * Linux requires and the host checks), and preadv2/pwritev2 with their per-call flags. Guest
 * offsets and buffers are host memory, passed as they are.
 */
final class SysSplice {
    private static final int PROT_READ = 1, PROT_WRITE = 2;
    private static final short POLLIN = 1, POLLOUT = 4;
    private static final int SPLICE_F_NONBLOCK = 2;
    private static final int PREADV2 = 327, PWRITEV2 = 328, SPLICE = 275, TEE = 276;
    /** RWF_HIPRI, RWF_DSYNC, RWF_SYNC, RWF_NOWAIT, RWF_APPEND: what the host kernel accepts. */
    private static final int RWF_SUPPORTED = 0x1f;

    private SysSplice() {}

    static long splice(Task t, int fdIn, long offInAddr, int fdOut, long offOutAddr, long len, int flags) {
        FileDescription in = t.process.fds.get(fdIn), out = t.process.fds.get(fdOut);
        if (in == null || out == null) return -Errno.EBADF;
        if (in.hostFd() < 0 || out.hostFd() < 0) return -Errno.EINVAL;
        long ready = waitBoth(t, in, out, flags);
        if (ready != 0) return ready;
        long offIn = HostArgs.address(t, offInAddr, 8, PROT_READ | PROT_WRITE);
        long offOut = HostArgs.address(t, offOutAddr, 8, PROT_READ | PROT_WRITE);
        long n = FileSizeLimit.allowedAt(t, out, offOutAddr, len);
        if (n < 0) return n;
        long moved = HostSyscall.call(SPLICE, in.hostFd(), offIn, out.hostFd(), offOut, n, flags);
        return SysFile.brokenPipe(t, FileSizeLimit.afterCut(t, len, n, moved));
    }

    static long tee(Task t, int fdIn, int fdOut, long len, int flags) {
        FileDescription in = t.process.fds.get(fdIn), out = t.process.fds.get(fdOut);
        if (in == null || out == null) return -Errno.EBADF;
        if (in.hostFd() < 0 || out.hostFd() < 0) return -Errno.EINVAL;
        long ready = waitBoth(t, in, out, flags);
        if (ready != 0) return ready;
        return SysFile.brokenPipe(t, HostSyscall.call(TEE, in.hostFd(), out.hostFd(), len, flags, 0, 0));
    }

    /**
     * vmsplice: the host's own call on the pipe behind the guest fd, with the guest's iovecs
     * turned into host addresses (guest memory is host memory). Each iovec is one host call, as
     * an iovec may span mappings; a short transfer ends the call with what was moved.
     */
    static long vmsplice(Task t, int fd, long iov, long nrSegs, int flags) {
        final int VMSPLICE = 278, UIO_MAXIOV = 1024;
        FileDescription f = t.process.fds.get(fd);
        if (f == null) return -Errno.EBADF;
        if (Long.compareUnsigned(nrSegs, UIO_MAXIOV) > 0) return -Errno.EINVAL;
        if (f.hostFd() < 0) return -Errno.EBADF;
        int acc = f.statusFlags() & 3;
        // Into the pipe when it is open for writing (the guest's memory is read), else out of it.
        boolean toPipe = acc == 1 || acc == 2;
        if ((flags & SPLICE_F_NONBLOCK) == 0) {
            long r = GuestIo.waitReady(t, f, toPipe ? POLLOUT : POLLIN);
            if (r != 0) return r;
        }
        var mm = t.process.mm;
        long total = 0;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment one = a.allocate(16);
            for (int i = 0; i < nrSegs; i++) {
                long base = mm.readLong(iov + 16L * i), len = mm.readLong(iov + 16L * i + 8);
                if (len < 0) return total > 0 ? total : -Errno.EINVAL;
                if (len == 0) continue;
                // Past the first iovec the call must not block: Linux returns what it moved.
                int callFlags = flags | (total > 0 ? SPLICE_F_NONBLOCK : 0);
                long r = GuestIo.transfer(t, base, len, toPipe ? PROT_READ : PROT_WRITE, seg -> {
                    one.set(ValueLayout.JAVA_LONG, 0, seg.address());
                    one.set(ValueLayout.JAVA_LONG, 8, seg.byteSize());
                    return HostSyscall.call(VMSPLICE, f.hostFd(), one.address(), 1, callFlags, 0, 0);
                });
                if (r < 0) return total > 0 ? total : (toPipe ? SysFile.brokenPipe(t, r) : r);
                total += r;
                if (r < len) break;
            }
        }
        return total;
    }

    /** A blocking splice waits for both ends in lxrun's interruptible way, then makes the host call. */
    private static long waitBoth(Task t, FileDescription in, FileDescription out, int flags) {
        if ((flags & SPLICE_F_NONBLOCK) != 0) return 0;
        long r = GuestIo.waitReady(t, in, POLLIN);
        return r != 0 ? r : GuestIo.waitReady(t, out, POLLOUT);
    }

    /**
     * preadv2/pwritev2: offset -1 means the file position, as readv/writev; flags go to the host
     * call made for each iovec (the guest's iovec array may span mappings, so it is split).
     */
    static long readv2(Task t, int fd, long iov, long iovcnt, long offset, int flags, boolean write) {
        if ((flags & ~RWF_SUPPORTED) != 0) return -Errno.EOPNOTSUPP;
        if (offset < -1) return -Errno.EINVAL;
        return SysFile.readv(t, fd, iov, iovcnt, write, offset, flags);
    }

    /** preadv2/pwritev2 with flags where the one-call path cannot go: each iovec a host call of its own. */
    static long readv2ByIovec(Task t, FileDescription f, long iov, long iovcnt, long offset, int flags, boolean write) {
        if (f.hostFd() < 0) return -Errno.EINVAL;
        var mm = t.process.mm;
        long total = 0;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment one = a.allocate(16);
            for (int i = 0; i < iovcnt; i++) {
                long base = mm.readLong(iov + 16L * i), len = mm.readLong(iov + 16L * i + 8);
                if (len < 0) return -Errno.EINVAL;
                if (len == 0) continue;
                long off = offset < 0 ? -1 : offset + total;
                long r = GuestIo.transfer(t, base, len, write ? PROT_READ : PROT_WRITE, seg -> {
                    one.set(ValueLayout.JAVA_LONG, 0, seg.address());
                    one.set(ValueLayout.JAVA_LONG, 8, seg.byteSize());
                    return HostSyscall.call(write ? PWRITEV2 : PREADV2, f.hostFd(), one.address(), 1, off, 0, flags);
                });
                if (r < 0) return total > 0 ? total : (write ? SysFile.brokenPipe(t, r) : r);
                total += r;
                if (r < len) break;
            }
        }
        return total;
    }
}
