package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.SignalDelivery;
import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.FileDescription;
import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * poll, ppoll, select and pselect6 over the host's poll(2) on the descriptors behind guest fds.
 * The host wait runs in short slices so a signal for the guest interrupts it (EINTR).
 */
final class SysPoll {
    private static final short POLLIN = 1, POLLPRI = 2, POLLOUT = 4, POLLERR = 8, POLLHUP = 16, POLLNVAL = 32;
    private static final long SLICE_MS = 50;
    private static final long NS = 1_000_000_000L;

    private SysPoll() {}

    static long poll(Task t, long fdsAddr, long nfds, int timeoutMs) {
        long deadline = timeoutMs < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutMs * 1_000_000L;
        return pollUntil(t, fdsAddr, nfds, deadline);
    }

    static long ppoll(Task t, long fdsAddr, long nfds, long tsAddr, long maskAddr, long sigsetsize) {
        long deadline = deadline(t, tsAddr);
        if (deadline == Long.MIN_VALUE) return -Errno.EINVAL;
        return withMask(t, maskAddr, sigsetsize, () -> pollUntil(t, fdsAddr, nfds, deadline));
    }

    /**
     * A relative timespec at tsAddr as a System.nanoTime deadline: Long.MAX_VALUE for NULL,
     * Long.MIN_VALUE when invalid (a negative field or nanoseconds of a second or more).
     */
    static long deadline(Task t, long tsAddr) {
        if (tsAddr == 0) return Long.MAX_VALUE;
        long sec = t.process.mm.readLong(tsAddr), nsec = t.process.mm.readLong(tsAddr + 8);
        if (sec < 0 || nsec < 0 || nsec >= NS) return Long.MIN_VALUE;
        return System.nanoTime() + Math.min(sec, Long.MAX_VALUE / NS / 4) * NS + nsec;
    }

    /** ppoll/pselect: the given mask applies while waiting and the old one comes back after. */
    static long withMask(Task t, long maskAddr, long sigsetsize, java.util.function.LongSupplier body) {
        if (maskAddr == 0) return body.getAsLong();
        if (sigsetsize != 8) return -Errno.EINVAL;
        long old = t.signalMask;
        t.signalMask = t.process.mm.readLong(maskAddr) & ~((1L << 8) | (1L << 18));
        long r = body.getAsLong();
        if (r == -Errno.EINTR) t.signals().suspendWithMask(old);
        else t.signalMask = old;
        return r;
    }

    private static long pollUntil(Task t, long fdsAddr, long nfds, long deadline) {
        if (nfds < 0 || nfds > t.process.rlimits.cur(dev.lxrun.kernel.Rlimits.NOFILE)) return -Errno.EINVAL;
        // Even an empty array is copied in: x86's access_ok refuses an address above user space.
        if (nfds == 0 && Long.compareUnsigned(fdsAddr, dev.lxrun.kernel.mm.AddressSpace.TASK_SIZE) > 0) return -Errno.EFAULT;
        int n = (int) nfds;
        var mm = t.process.mm;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment host = a.allocate(8L * Math.max(n, 1), 8);
            int[] guestFd = new int[n];
            boolean[] invalid = new boolean[n];
            for (int i = 0; i < n; i++) {
                int fd = mm.readInt(fdsAddr + 8L * i);
                short events = (short) (mm.readInt(fdsAddr + 8L * i + 4) & 0xffff);
                guestFd[i] = fd;
                int hfd = -1;
                if (fd >= 0) {
                    FileDescription f = t.process.fds.get(fd);
                    if (f == null) invalid[i] = true;
                    else hfd = f.hostFd();
                }
                host.set(ValueLayout.JAVA_INT, 8L * i, invalid[i] ? -1 : hfd);
                host.set(ValueLayout.JAVA_SHORT, 8L * i + 4, events);
                host.set(ValueLayout.JAVA_SHORT, 8L * i + 6, (short) 0);
            }
            try {
                while (true) {
                    long left = deadline == Long.MAX_VALUE ? SLICE_MS : Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
                    long r = HostSyscall.call(HostSyscall.POLL, host.address(), n, Math.min(left, SLICE_MS));
                    if (r < 0 && r != -Errno.EINTR) return r;
                    int ready = 0;
                    for (int i = 0; i < n; i++) {
                        short rev = invalid[i] ? POLLNVAL : host.get(ValueLayout.JAVA_SHORT, 8L * i + 6);
                        if (rev != 0) ready++;
                    }
                    if (ready > 0 || (deadline != Long.MAX_VALUE && System.nanoTime() >= deadline)) {
                        for (int i = 0; i < n; i++) {
                            short rev = invalid[i] ? POLLNVAL : host.get(ValueLayout.JAVA_SHORT, 8L * i + 6);
                            mm.writeBytes(fdsAddr + 8L * i + 6, new byte[] {(byte) rev, (byte) (rev >> 8)});
                        }
                        return ready;
                    }
                    if (t.hasPendingSignal()) return -SignalDelivery.ERESTARTSYS;
                    t.hostWaiting(true);
                }
            } finally {
                t.hostWaiting(false);
            }
        }
    }

    /** select/pselect6 as a poll over the fds in the three sets. */
    static long select(Task t, int nfds, long readAddr, long writeAddr, long exceptAddr, long deadline) {
        if (nfds < 0 || nfds > 1024) return -Errno.EINVAL;
        var mm = t.process.mm;
        int words = (nfds + 63) / 64;
        long[] r = new long[words], w = new long[words], x = new long[words];
        for (int i = 0; i < words; i++) {
            if (readAddr != 0) r[i] = mm.readLong(readAddr + 8L * i);
            if (writeAddr != 0) w[i] = mm.readLong(writeAddr + 8L * i);
            if (exceptAddr != 0) x[i] = mm.readLong(exceptAddr + 8L * i);
        }
        int count = 0;
        for (int fd = 0; fd < nfds; fd++) if (bit(r, fd) || bit(w, fd) || bit(x, fd)) count++;
        try (Arena a = Arena.ofConfined()) {
            // Build a guest-format pollfd array in a scratch guest-visible buffer of our own.
            long[] fds = new long[count];
            int k = 0;
            for (int fd = 0; fd < nfds; fd++) {
                if (!(bit(r, fd) || bit(w, fd) || bit(x, fd))) continue;
                if (t.process.fds.get(fd) == null) return -Errno.EBADF;
                short ev = (short) ((bit(r, fd) ? POLLIN : 0) | (bit(w, fd) ? POLLOUT : 0) | (bit(x, fd) ? POLLPRI : 0));
                fds[k++] = ((long) ev << 32) | fd;
            }
            MemorySegment host = a.allocate(8L * Math.max(count, 1), 8);
            for (int i = 0; i < count; i++) {
                int fd = (int) fds[i];
                host.set(ValueLayout.JAVA_INT, 8L * i, t.process.fds.get(fd).hostFd());
                host.set(ValueLayout.JAVA_SHORT, 8L * i + 4, (short) (fds[i] >>> 32));
            }
            while (true) {
                long left = deadline == Long.MAX_VALUE ? SLICE_MS : Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
                long rc = HostSyscall.call(HostSyscall.POLL, host.address(), count, Math.min(left, SLICE_MS));
                if (rc < 0 && rc != -Errno.EINTR) return rc;
                long[] ro = new long[words], wo = new long[words], xo = new long[words];
                int ready = 0;
                for (int i = 0; i < count; i++) {
                    int fd = (int) fds[i];
                    short rev = host.get(ValueLayout.JAVA_SHORT, 8L * i + 6);
                    if (bit(r, fd) && (rev & (POLLIN | POLLHUP | POLLERR)) != 0) { set(ro, fd); ready++; }
                    if (bit(w, fd) && (rev & (POLLOUT | POLLERR)) != 0) { set(wo, fd); ready++; }
                    if (bit(x, fd) && (rev & POLLPRI) != 0) { set(xo, fd); ready++; }
                }
                if (ready > 0 || (deadline != Long.MAX_VALUE && System.nanoTime() >= deadline)) {
                    for (int i = 0; i < words; i++) {
                        if (readAddr != 0) mm.writeLong(readAddr + 8L * i, ro[i]);
                        if (writeAddr != 0) mm.writeLong(writeAddr + 8L * i, wo[i]);
                        if (exceptAddr != 0) mm.writeLong(exceptAddr + 8L * i, xo[i]);
                    }
                    return ready;
                }
                if (t.hasPendingSignal()) return -Errno.EINTR;
            }
        }
    }

    static long selectTimeval(Task t, int nfds, long r, long w, long x, long tvAddr) {
        long deadline = Long.MAX_VALUE;
        if (tvAddr != 0) {
            long sec = t.process.mm.readLong(tvAddr), usec = t.process.mm.readLong(tvAddr + 8);
            if (sec < 0 || usec < 0 || usec >= 1_000_000) return -Errno.EINVAL;
            deadline = System.nanoTime() + Math.min(sec, Long.MAX_VALUE / NS / 4) * NS + usec * 1000;
        }
        return select(t, nfds, r, w, x, deadline);
    }

    static long pselect6(Task t, int nfds, long r, long w, long x, long tsAddr, long sigAddr) {
        long deadline = deadline(t, tsAddr);
        if (deadline == Long.MIN_VALUE) return -Errno.EINVAL;
        long maskAddr = 0, size = 8;
        if (sigAddr != 0) {
            maskAddr = t.process.mm.readLong(sigAddr);
            size = t.process.mm.readLong(sigAddr + 8);
        }
        long d = deadline;
        return withMask(t, maskAddr, size, () -> select(t, nfds, r, w, x, d));
    }

    private static boolean bit(long[] set, int fd) {
        return (set[fd >>> 6] & (1L << (fd & 63))) != 0;
    }

    private static void set(long[] set, int fd) {
        set[fd >>> 6] |= 1L << (fd & 63);
    }
}
