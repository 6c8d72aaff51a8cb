package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.SigInfo;
import dev.lxrun.kernel.SignalDelivery;
import dev.lxrun.kernel.SignalFd;
import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.FileDescription;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** signalfd and signalfd4, and reading a signalfd (struct signalfd_siginfo per signal taken). */
final class SysSignalFd {
    private static final int SFD_CLOEXEC = 02000000, SFD_NONBLOCK = 04000;
    private static final long WAIT_SLICE_NS = 50_000_000L;

    private SysSignalFd() {}

    static long signalfd4(Task t, int fd, long maskAddr, long sizemask, int flags) {
        if ((flags & ~(SFD_CLOEXEC | SFD_NONBLOCK)) != 0) return -Errno.EINVAL;
        if (sizemask != 8) return -Errno.EINVAL;
        long mask = t.process.mm.readLong(maskAddr);
        if (fd != -1) {
            FileDescription f = t.process.fds.get(fd);
            if (f == null) return -Errno.EBADF;
            if (!(f instanceof SignalFd s)) return -Errno.EINVAL;
            s.setMask(mask);
            return fd;
        }
        long[] err = new long[1];
        SignalFd s = SignalFd.open(t.process, mask, (flags & SFD_NONBLOCK) != 0, err);
        if (s == null) return err[0];
        int r = t.process.fds.install(s, (flags & SFD_CLOEXEC) != 0, 0);
        if (r < 0) s.release();
        return r;
    }

    /**
     * read(2) of a signalfd: blocks (unless non-blocking) until one signal of the mask is pending,
     * then takes as many as fit in count, each as a 128-byte signalfd_siginfo.
     */
    static long read(Task t, SignalFd s, long buf, long count) {
        if (count < SigInfo.SIZE) return -Errno.EINVAL;
        int room = (int) Math.min(count / SigInfo.SIZE, 64);
        while (true) {
            long seen = s.changes();
            SigInfo first = s.take(t);
            if (first != null) {
                byte[] out = new byte[room * SigInfo.SIZE];
                ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
                first.writeSignalfdSiginfo(b, 0);
                int n = 1;
                SigInfo next;
                while (n < room && (next = s.take(t)) != null) next.writeSignalfdSiginfo(b, SigInfo.SIZE * n++);
                t.process.mm.writeBytes(buf, java.util.Arrays.copyOf(out, n * SigInfo.SIZE));
                return (long) n * SigInfo.SIZE;
            }
            if (s.nonblocking()) return -Errno.EAGAIN;
            if (t.hasPendingSignal()) return -SignalDelivery.ERESTARTSYS;
            s.awaitChange(seen, WAIT_SLICE_NS);
        }
    }
}
