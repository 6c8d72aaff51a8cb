package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.mm.AddressSpace;
import dev.lxrun.kernel.mm.GuestFault;
import dev.lxrun.syscalls.Errno;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Linux native AIO (io_setup, io_submit, io_getevents, io_pgetevents, io_cancel, io_destroy),
 * as libaio and programs like fio and databases use it. Each request is carried out at
 * submission, synchronously, through the same handlers as pread/pwrite/preadv/pwritev/fsync,
 * and its completion queued; io_getevents only collects them. Linux may run a request in the
 * background, but a program can never tell the difference except by timing. The context id is
 * the address of a page mapped in the process, as Linux's is the address of the completion ring:
 * libaio reads the ring's header there, finds no ring magic, and always makes the system call.
 */
final class SysAio {
    private static final int PREAD = 0, PWRITE = 1, FSYNC = 2, FDSYNC = 3, PREADV = 7, PWRITEV = 8;
    private static final int IOCB_FLAG_RESFD = 1, IOCB_FLAG_IOPRIO = 2;
    /** /proc/sys/fs/aio-max-nr's default. */
    private static final long AIO_MAX_NR = 65536;

    /** One io_setup context: its capacity and the completions not yet collected. */
    private static final class Context {
        final long capacity;
        final ArrayDeque<long[]> done = new ArrayDeque<>();

        Context(long capacity) {
            this.capacity = capacity;
        }
    }

    /** The contexts of each address space, by id (the ring page's address). */
    private static final Map<AddressSpace, Map<Long, Context>> CONTEXTS =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    private SysAio() {}

    private static Map<Long, Context> of(Task t) {
        return CONTEXTS.computeIfAbsent(t.process.mm, k -> new ConcurrentHashMap<>());
    }

    static long setup(Task t, long nrEvents, long ctxAddr) {
        AddressSpace mm = t.process.mm;
        long current = mm.readLong(ctxAddr); // EFAULT first, as get_user
        int nr = (int) nrEvents;
        if (current != 0 || nr == 0) return -Errno.EINVAL;
        long doubled = 2L * Math.max(Integer.toUnsignedLong(nr), 4L * Runtime.getRuntime().availableProcessors());
        if (doubled > 0x10000000L / 32) return -Errno.EINVAL;
        if (Integer.toUnsignedLong(nr) > AIO_MAX_NR) return -Errno.EAGAIN;
        final int PROT_READ = 1, PROT_WRITE = 2, MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20;
        long ring = SysMemory.mmap(t, 0, AddressSpace.PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (ring < 0) return ring;
        of(t).put(ring, new Context(Integer.toUnsignedLong(nr)));
        try {
            mm.writeLong(ctxAddr, ring);
        } catch (GuestFault f) {
            destroy(t, ring);
            return -Errno.EFAULT;
        }
        return 0;
    }

    static long destroy(Task t, long ctx) {
        Context c = of(t).remove(ctx);
        if (c == null) return -Errno.EINVAL;
        SysMemory.munmap(t, ctx, AddressSpace.PAGE);
        synchronized (c) {
            c.notifyAll();
        }
        return 0;
    }

    /** Submits nr iocbs; returns how many were taken, or the first one's error when none was. */
    static long submit(Task t, long ctx, long nr, long iocbpp) {
        if (nr < 0) return -Errno.EINVAL;
        Context c = of(t).get(ctx);
        if (c == null) return -Errno.EINVAL;
        AddressSpace mm = t.process.mm;
        long i = 0;
        for (; i < nr; i++) {
            long r;
            try {
                r = one(t, c, mm.readLong(iocbpp + 8 * i));
            } catch (GuestFault f) {
                r = -Errno.EFAULT;
            }
            if (r < 0) return i > 0 ? i : r;
        }
        return i;
    }

    /** Carries out one iocb and queues its completion; a negative errno when it is refused at submission. */
    private static long one(Task t, Context c, long iocb) {
        AddressSpace mm = t.process.mm;
        long data = mm.readLong(iocb);
        int rwFlags = mm.readInt(iocb + 12);
        int opcode = mm.readInt(iocb + 16) & 0xffff;
        int fd = mm.readInt(iocb + 20);
        long buf = mm.readLong(iocb + 24), nbytes = mm.readLong(iocb + 32), offset = mm.readLong(iocb + 40);
        long reserved2 = mm.readLong(iocb + 48);
        int flags = mm.readInt(iocb + 56), resfd = mm.readInt(iocb + 60);
        if (reserved2 != 0 || (flags & ~(IOCB_FLAG_RESFD | IOCB_FLAG_IOPRIO)) != 0) return -Errno.EINVAL;
        if (nbytes < 0 && (opcode == PREAD || opcode == PWRITE)) return -Errno.EINVAL;
        if (t.process.fds.get(fd) == null) return -Errno.EBADF;
        if ((flags & IOCB_FLAG_RESFD) != 0 && t.process.fds.get(resfd) == null) return -Errno.EBADF;
        synchronized (c) {
            if (c.done.size() >= c.capacity) return -Errno.EAGAIN;
        }
        long res = switch (opcode) {
            case PREAD -> transfer(t, fd, buf, nbytes, offset, rwFlags, false);
            case PWRITE -> transfer(t, fd, buf, nbytes, offset, rwFlags, true);
            case PREADV -> SysFile.readv(t, fd, buf, nbytes, false, offset);
            case PWRITEV -> SysFile.readv(t, fd, buf, nbytes, true, offset);
            case FSYNC -> SysFile.fsync(t, fd, false);
            case FDSYNC -> SysFile.fsync(t, fd, true);
            default -> -Errno.EINVAL; // IOCB_CMD_POLL, NOOP and unknown commands are not taken
        };
        // What Linux checks while it sets the request up is refused at submission, not completed:
        // the descriptor's mode (EBADF), a buffer or iovec array it cannot reach (EFAULT), a
        // file or command that cannot do it (EINVAL).
        if (res == -Errno.EBADF || res == -Errno.EFAULT || res == -Errno.EINVAL) return res;
        synchronized (c) {
            c.done.add(new long[] {data, iocb, res, 0});
            c.notifyAll();
        }
        if ((flags & IOCB_FLAG_RESFD) != 0) {
            try (var a = java.lang.foreign.Arena.ofConfined()) {
                var one = a.allocateFrom(java.lang.foreign.ValueLayout.JAVA_LONG, 1L);
                t.process.fds.get(resfd).write(one);
            }
        }
        return 0;
    }

    /**
     * PREAD/PWRITE: at the offset on a file that has positions; a pipe or socket has none, and AIO
     * moves data at its stream position there (Linux's aio_read ignores aio_offset), failing with
     * EAGAIN under RWF_NOWAIT when it is not ready. Without RWF_NOWAIT such a request waits in
     * io_submit, where Linux would queue it: the one place the synchronous model shows.
     */
    private static long transfer(Task t, int fd, long buf, long n, long offset, int rwFlags, boolean write) {
        final int RWF_NOWAIT = 8;
        long r = write ? SysFile.pwrite(t, fd, buf, n, offset) : SysFile.pread(t, fd, buf, n, offset);
        if (r != -Errno.ESPIPE) return r;
        if ((rwFlags & RWF_NOWAIT) != 0 && !ready(t.process.fds.get(fd), write)) return -Errno.EAGAIN;
        return write ? SysFile.write(t, fd, buf, n) : SysFile.read(t, fd, buf, n);
    }

    private static boolean ready(dev.lxrun.vfs.FileDescription f, boolean write) {
        final short POLLIN = 1, POLLOUT = 4;
        int h = f == null ? -1 : f.hostFd();
        if (h < 0) return true;
        try (var a = java.lang.foreign.Arena.ofConfined()) {
            var pfd = a.allocate(8);
            pfd.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, h);
            pfd.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 4, write ? POLLOUT : POLLIN);
            return dev.lxrun.vfs.host.HostSyscall.call(dev.lxrun.vfs.host.HostSyscall.POLL, pfd.address(), 1, 0) > 0;
        }
    }

    /** io_pgetevents: as io_getevents with the signal mask of its struct __aio_sigset applied while waiting. */
    static long pgetevents(Task t, long ctx, long minNr, long nr, long eventsAddr, long timeoutAddr, long usig) {
        if (usig == 0) return getevents(t, ctx, minNr, nr, eventsAddr, timeoutAddr);
        long mask = t.process.mm.readLong(usig), size = t.process.mm.readLong(usig + 8);
        if (mask != 0) t.process.mm.readLong(mask); // EFAULT for a mask it cannot read, before any wait
        return SysPoll.withMask(t, mask, size, () -> getevents(t, ctx, minNr, nr, eventsAddr, timeoutAddr));
    }

    /**
     * io_getevents/io_pgetevents: at least minNr completions (all that are queued, up to nr), or
     * fewer when the timeout (relative, NULL for none) passes or a signal comes.
     */
    static long getevents(Task t, long ctx, long minNr, long nr, long eventsAddr, long timeoutAddr) {
        Context c = of(t).get(ctx);
        if (c == null) return -Errno.EINVAL;
        if (minNr < 0 || nr < 0 || minNr > nr) return -Errno.EINVAL;
        AddressSpace mm = t.process.mm;
        long deadline = SysPoll.deadline(t, timeoutAddr);
        if (deadline == Long.MIN_VALUE) return -Errno.EINVAL;
        synchronized (c) {
            while (c.done.size() < minNr && of(t).get(ctx) == c) {
                if (t.hasPendingSignal()) return -Errno.EINTR;
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                try {
                    c.wait(Math.max(1, Math.min(left / 1_000_000L, 50)));
                } catch (InterruptedException e) {
                    Thread.interrupted();
                }
            }
            long n = 0;
            while (n < nr && !c.done.isEmpty()) {
                long[] ev = c.done.peek();
                long at = eventsAddr + 32 * n;
                for (int k = 0; k < 4; k++) mm.writeLong(at + 8L * k, ev[k]); // EFAULT keeps the event queued
                c.done.poll();
                n++;
            }
            return n;
        }
    }

    /** io_cancel: every request is finished by the time io_submit returns, so none can be cancelled. */
    static long cancel(Task t, long ctx, long iocb, long resultAddr) {
        int key = t.process.mm.readInt(iocb + 8); // get_user of aio_key: EFAULT first
        if (key != 0 || of(t).get(ctx) == null) return -Errno.EINVAL;
        return -Errno.EINVAL;
    }
}
