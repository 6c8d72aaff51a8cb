package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.SignalDelivery;
import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.mm.AddressSpace;
import dev.lxrun.kernel.mm.GuestFault;
import dev.lxrun.kernel.net.GuestSocket;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.FileDescription;
import dev.lxrun.vfs.HostFile;
import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Transfers between guest memory and host descriptors, shared by the file syscalls and the
 * socket syscalls of net-shim: one I/O call over a guest buffer, and the interruptible wait
 * before a call that would block.
 */
public final class GuestIo {
    public static final short POLLIN = 1, POLLOUT = 4;
    private static final int PROT_READ = 1, PROT_WRITE = 2;
    private static final long MAX_RW = 0x7ffff000L;
    private static final long SLICE_MS = 50;

    private GuestIo() {}

    /** One host I/O call on a host buffer; returns a byte count or -errno. */
    public interface Io {
        long apply(MemorySegment seg);
    }

    /**
     * Runs one I/O call against guest memory [buf, buf+count): directly on the guest's host memory
     * when the range is one mapping, else through a bounce buffer. Linux caps a transfer at MAX_RW.
     * prot is PROT_READ when the call reads guest memory (a write), PROT_WRITE when it fills it.
     */
    public static long transfer(Task t, long buf, long count, int prot, Io io) {
        return transfer(t, buf, count, prot, false, io);
    }

    /**
     * The same; partial: the call moves what fits before a page the guest cannot give (Linux's
     * regular-file read and write: filemap_read, generic_perform_write), where otherwise such a
     * buffer is EFAULT as a whole (pipes, sockets: their copy fails on the short page).
     */
    public static long transfer(Task t, long buf, long count, int prot, boolean partial, Io io) {
        if (count < 0) return -Errno.EINVAL;
        long n = Math.min(count, MAX_RW);
        if (n == 0) {
            // access_ok(buf, 0) still refuses an address above user space (vfs_read, vfs_write).
            if (Long.compareUnsigned(buf, AddressSpace.TASK_SIZE) > 0) throw new GuestFault(buf);
            return io.apply(MemorySegment.NULL.reinterpret(0));
        }
        AddressSpace mm = t.process.mm;
        MemorySegment direct;
        try {
            direct = mm.direct(buf, n, prot);
        } catch (GuestFault f) {
            if (!partial) throw f;
            n = reachable(mm, buf, n, prot);
            direct = mm.direct(buf, n, prot);
        }
        if (direct != null) return io.apply(direct);
        if (partial) n = reachable(mm, buf, n, prot);
        return bounced(mm, buf, n, prot, io);
    }

    /**
     * read/write/pread/pwrite of f over guest [buf, buf+count), with Linux's order of checks
     * (vfs_read, vfs_write): the access mode (EBADF), then access_ok on the whole range (EFAULT,
     * count being a size_t), then the file. A host file meets a buffer the guest cannot fully give
     * through a GuardedBuffer, so the host answers as Linux would; lxrun's own files get what fits
     * (partial: regular files) or EFAULT.
     */
    public static long fileTransfer(Task t, FileDescription f, long buf, long count, int prot, Io io) {
        boolean write = prot == PROT_READ;
        if (!userRange(buf, count)) {
            long e = notOpenFor(f, write);
            if (e != 0) return e;
            throw new GuestFault(buf);
        }
        if (!(f instanceof HostFile)) return transfer(t, buf, count, prot, !f.mayBlock(), io);
        long n = Math.min(count, MAX_RW);
        if (n == 0) return io.apply(MemorySegment.NULL.reinterpret(0));
        AddressSpace mm = t.process.mm;
        MemorySegment direct;
        try {
            direct = mm.direct(buf, n, prot);
        } catch (GuestFault f1) {
            try (GuardedBuffer g = GuardedBuffer.of(mm, buf, n, prot)) {
                return g.finish(io.apply(g.seg));
            }
        }
        return direct != null ? io.apply(direct) : bounced(mm, buf, n, prot, io);
    }

    /** Linux's access_ok: [buf, buf+count) wraps nowhere and ends inside user space. */
    static boolean userRange(long buf, long count) {
        long end = buf + count;
        return Long.compareUnsigned(end, buf) >= 0 && Long.compareUnsigned(end, AddressSpace.TASK_SIZE) <= 0;
    }

    /** -EBADF when f is not open for the transfer (O_PATH, or the other access mode), else 0. */
    static long notOpenFor(FileDescription f, boolean write) {
        final int O_ACCMODE = 3, O_RDONLY = 0, O_WRONLY = 1, O_PATH = 010000000;
        int flags = f.statusFlags();
        if ((flags & O_PATH) != 0) return -Errno.EBADF;
        int mode = flags & O_ACCMODE;
        return (write ? mode == O_RDONLY : mode == O_WRONLY) ? -Errno.EBADF : 0;
    }

    /** The call over a host copy of guest memory the guest can give in full but that spans mappings. */
    private static long bounced(AddressSpace mm, long buf, long n, int prot, Io io) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment bounce = a.allocate(n);
            if (prot == PROT_READ) mm.copyOut(buf, bounce, false);
            long r = io.apply(bounce);
            if (prot == PROT_WRITE && r > 0) mm.copyIn(buf, bounce.asSlice(0, r), true);
            return r;
        }
    }

    /**
     * How many bytes from addr (at most len) the guest can give with prot, as far as Linux's copy
     * to or from user memory gets before it faults; GuestFault when not even the first byte.
     */
    public static long reachable(AddressSpace mm, long addr, long len, int prot) {
        try {
            mm.checkAccess(addr, len, prot);
            return len;
        } catch (GuestFault f) {
            long ok = f.address() - addr;
            if (ok <= 0 || ok > len) throw f;
            return ok;
        }
    }

    /**
     * read or write on a pipe, FIFO or terminal: first tried without blocking (the host's
     * RWF_NOWAIT), which for a ready pipe is the whole call in one host syscall; only when it
     * would block does the guest's O_NONBLOCK choose between EAGAIN and lxrun's interruptible
     * wait followed by the host's blocking call. A write the pipe took only part of finishes the
     * same way, as Linux's blocking write does. Sockets (net-shim's descriptions) and files the
     * host cannot try so (terminals) take the wait first.
     */
    public static long pipeIo(Task t, HostFile f, long buf, long count, boolean write) {
        int prot = write ? PROT_READ : PROT_WRITE;
        if (!userRange(buf, count)) {
            long e = notOpenFor(f, write);
            return e != 0 ? e : -Errno.EFAULT;
        }
        if (count == 0) return notOpenFor(f, write); // no transfer, but the access mode still counts (vfs_write)
        // The common case (a buffer inside one mapping) without transfer's lambda: no allocation
        // but the segment itself on the hot path of every pipe read and write.
        MemorySegment direct;
        try {
            direct = count > 0 ? t.process.mm.direct(buf, Math.min(count, MAX_RW), prot) : null;
        } catch (GuestFault fault) {
            try (GuardedBuffer g = GuardedBuffer.of(t.process.mm, buf, Math.min(count, MAX_RW), prot)) {
                return g.finish(pipeIoOn(t, f, g.seg, write));
            }
        }
        long done = direct != null ? f.transferNow(direct, write)
                : transfer(t, buf, count, prot, seg -> seg.byteSize() == 0 ? 0 : f.transferNow(seg, write));
        if (done == -Errno.EOPNOTSUPP) return waitThenTransfer(t, f, buf, count, write, 0);
        if (done == -Errno.EAGAIN) return nonBlocking(f) ? done : waitThenTransfer(t, f, buf, count, write, 0);
        if (done < 0 || !write || done >= Math.min(count, MAX_RW) || nonBlocking(f)) return done;
        return waitThenTransfer(t, f, buf + done, count - done, write, done);
    }

    /** pipeIo over host memory that stands for the guest's buffer (a GuardedBuffer's). */
    private static long pipeIoOn(Task t, HostFile f, MemorySegment seg, boolean write) {
        long done = f.transferNow(seg, write);
        if (done != -Errno.EOPNOTSUPP && (done != -Errno.EAGAIN || nonBlocking(f))) return done;
        long ready = waitReady(t, f, write ? POLLOUT : POLLIN);
        if (ready != 0) return ready;
        return write ? f.write(seg) : f.read(seg);
    }

    private static boolean nonBlocking(FileDescription f) {
        final int O_NONBLOCK = 04000;
        return (f.statusFlags() & O_NONBLOCK) != 0;
    }

    /** The wait-then-call path; already is what an earlier part of the call moved (returned if the rest fails). */
    private static long waitThenTransfer(Task t, HostFile f, long buf, long count, boolean write, long already) {
        long ready = waitReady(t, f, write ? POLLOUT : POLLIN);
        if (ready != 0) return already > 0 ? already : ready;
        long r = transfer(t, buf, count, write ? PROT_READ : PROT_WRITE, seg -> write ? f.write(seg) : f.read(seg));
        return r < 0 ? (already > 0 ? already : r) : already + r;
    }

    /**
     * A terminal in non-canonical mode with VMIN 0: poll does not call it readable while it is
     * empty, yet read returns at once (VTIME 0) or after VTIME tenths of a second, so the host's
     * read is the wait.
     */
    private static boolean readsWithoutMinimum(FileDescription f) {
        final int TCGETS = 0x5401, ICANON = 0x2, VMIN = 6;
        if (!(f instanceof HostFile h) || h.characterDevice() < 0) return false;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment tio = a.allocate(60);
            if (h.ioctl(TCGETS, tio) < 0) return false;
            return (tio.get(ValueLayout.JAVA_INT, 12) & ICANON) == 0 && tio.get(ValueLayout.JAVA_BYTE, 17 + VMIN) == 0;
        }
    }

    /**
     * Before a blocking read or write on a pipe, terminal or socket, waits in short host polls
     * until it would not block, so that a signal for the guest can interrupt the wait (ERESTARTSYS:
     * EINTR, or a restart under SA_RESTART) instead of the guest sitting in the host's read.
     * A socket's SO_RCVTIMEO/SO_SNDTIMEO ends the wait with EAGAIN, as the host call would have.
     * Returns 0 when the call may go ahead.
     */
    public static long waitReady(Task t, FileDescription f, short events) {
        final int O_NONBLOCK = 04000;
        if (!f.mayBlock() || (f.statusFlags() & O_NONBLOCK) != 0) return 0;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment pfd = a.allocate(8);
            long deadline = 0; // looked up once a wait is needed: most calls find the descriptor ready
            try {
                for (boolean first = true; ; first = false) {
                    if (!first) t.hostWaiting(true);
                    long slice = SLICE_MS;
                    if (deadline > 0) {
                        slice = Math.min(slice, (deadline - System.nanoTime()) / 1_000_000);
                        if (slice <= 0) return -Errno.EAGAIN;
                    }
                    pfd.set(ValueLayout.JAVA_INT, 0, f.hostFd());
                    pfd.set(ValueLayout.JAVA_SHORT, 4, events);
                    pfd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
                    long r = HostSyscall.call(HostSyscall.POLL, pfd.address(), 1, first ? 0 : slice);
                    if (r > 0 || (r < 0 && r != -Errno.EINTR)) return 0; // ready, or let the call itself report
                    if (t.hasPendingSignal()) return -SignalDelivery.ERESTARTSYS;
                    if (first && events == POLLIN && readsWithoutMinimum(f)) return 0;
                    if (first && f instanceof GuestSocket s) {
                        long ms = s.timeoutMillis(events == POLLIN);
                        if (ms > 0) deadline = System.nanoTime() + ms * 1_000_000;
                    }
                }
            } finally {
                t.hostWaiting(false);
            }
        }
    }
}
