package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.mm.AddressSpace;
import dev.lxrun.kernel.mm.GuestFault;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.HostFile;
import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * readv/writev and their positioned and flagged forms on a host descriptor as ONE host call
 * (preadv2/pwritev2) over a host iovec array that points straight into guest memory. Linux moves
 * a vectored transfer as one: a writev of at most PIPE_BUF bytes to a pipe is atomic however many
 * iovecs it has, and a readv from a pipe or a datagram socket takes one message or chunk across
 * all of them. An iovec that spans several guest mappings goes through a bounce buffer of its
 * own, still inside the one call.
 */
final class VectorIo {
    /** A host address no process has mapped (below mmap_min_addr): the host's copy faults there. */
    private static final long UNREACHABLE = 0;
    private static final int PROT_READ = 1, PROT_WRITE = 2;
    private static final int PREADV2 = 327, PWRITEV2 = 328, RWF_NOWAIT = 8, O_NONBLOCK = 04000;
    static final long MAX_RW = 0x7ffff000L;
    private static final int UIO_MAXIOV = 1024;
    /** A host iovec array per guest thread (guest threads are long-lived Java threads). */
    private static final ThreadLocal<MemorySegment> IOVECS =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(16L * UIO_MAXIOV, 8));

    private VectorIo() {}

    /** A guest range read through a bounce buffer (it spans mappings); copied back after the call. */
    private record Bounce(long guest, MemorySegment host, long at) {}

    /**
     * The vectored transfer of the guest iovec array at iov (cnt entries, already checked to be at
     * most UIO_MAXIOV) on f; offset -1 for the file position; rwf the guest's RWF_* flags.
     * Returns a byte count or -errno.
     */
    static long transfer(Task t, HostFile f, long iov, int cnt, boolean write, long offset, int rwf) {
        return transfer(t, f, iov, cnt, write, offset, rwf, MAX_RW);
    }

    /** As above, moving at most cap bytes (a write cut short at RLIMIT_FSIZE). */
    static long transfer(Task t, HostFile f, long iov, int cnt, boolean write, long offset, int rwf, long cap) {
        AddressSpace mm = t.process.mm;
        int prot = write ? PROT_READ : PROT_WRITE;
        MemorySegment host = IOVECS.get();
        MemorySegment guestIov = cnt == 0 ? null : mm.direct(iov, 16L * cnt, PROT_READ);
        List<Bounce> bounces = null;
        Arena arena = null;
        try {
            int n = 0;
            long total = 0;
            for (int i = 0; i < cnt; i++) {
                long base = guestIov != null ? guestIov.get(ValueLayout.JAVA_LONG_UNALIGNED, 16L * i) : mm.readLong(iov + 16L * i);
                long len = guestIov != null ? guestIov.get(ValueLayout.JAVA_LONG_UNALIGNED, 16L * i + 8) : mm.readLong(iov + 16L * i + 8);
                if (len < 0) return -Errno.EINVAL;
                len = Math.min(len, cap - total); // Linux clips the total at MAX_RW
                if (len == 0) continue;
                MemorySegment seg;
                boolean faults = false;
                try {
                    seg = mm.direct(base, len, prot);
                } catch (GuestFault fault) {
                    // Linux copies up to the first byte it cannot reach and fails there, after its
                    // own checks (EBADF, ESPIPE...): the host gets the reachable part and then an
                    // address it cannot reach either, so it decides as Linux does (EFAULT, or a
                    // partial count).
                    long ok = fault.address() - base;
                    len = ok > 0 && ok < len ? ok : 0;
                    faults = true;
                    seg = len > 0 ? mm.direct(base, len, prot) : null;
                }
                if (faults && len == 0) {
                    host.set(ValueLayout.JAVA_LONG, 16L * n, UNREACHABLE);
                    host.set(ValueLayout.JAVA_LONG, 16L * n + 8, 1);
                    n++;
                    break;
                }
                if (seg == null) {
                    if (arena == null) {
                        arena = Arena.ofConfined();
                        bounces = new ArrayList<>();
                    }
                    seg = arena.allocate(len);
                    if (write) mm.copyOut(base, seg, false);
                    else bounces.add(new Bounce(base, seg, total));
                }
                host.set(ValueLayout.JAVA_LONG, 16L * n, seg.address());
                host.set(ValueLayout.JAVA_LONG, 16L * n + 8, len);
                n++;
                total += len;
                if (faults) {
                    host.set(ValueLayout.JAVA_LONG, 16L * n, UNREACHABLE);
                    host.set(ValueLayout.JAVA_LONG, 16L * n + 8, 1);
                    n++;
                    break;
                }
            }
            long r = call(t, f, host, n, total, write, offset, rwf);
            if (bounces != null && r > 0) {
                for (Bounce b : bounces) {
                    long got = Math.min(r - b.at, b.host.byteSize());
                    if (got > 0) mm.copyIn(b.guest, b.host.asSlice(0, got), true);
                }
            }
            return r;
        } finally {
            if (arena != null) arena.close();
        }
    }

    /**
     * The host call, with the blocking rules of GuestIo#pipeIo: a pipe or FIFO is tried without
     * blocking first (one host call when it is ready); only a call that would block waits in
     * lxrun's interruptible way, and a blocking write the pipe took only part of waits for the rest.
     * Sockets and terminals wait first.
     */
    private static long call(Task t, HostFile f, MemorySegment iov, int n, long total, boolean write, long offset, int rwf) {
        if (total == 0 || offset >= 0 || (rwf & RWF_NOWAIT) != 0 || !f.mayBlock()) return host(f, iov, n, write, offset, rwf);
        long already = 0;
        if (f.getClass() == HostFile.class && rwf == 0) {
            long r = f.transferNow(iov.address(), n, write);
            if (r == -Errno.EAGAIN) {
                if (nonBlocking(f)) return r;
                r = 0;
            } else if (r == -Errno.EOPNOTSUPP) {
                r = 0;
            } else if (r < 0 || !write || r >= total || nonBlocking(f)) {
                return r;
            }
            already = r;
        }
        int first = 0;
        if (already > 0) {
            // The pipe took part of a write: the rest starts inside the iovec where it stopped.
            long skip = already;
            while (skip >= iov.get(ValueLayout.JAVA_LONG, 16L * first + 8)) skip -= iov.get(ValueLayout.JAVA_LONG, 16L * first++ + 8);
            iov.set(ValueLayout.JAVA_LONG, 16L * first, iov.get(ValueLayout.JAVA_LONG, 16L * first) + skip);
            iov.set(ValueLayout.JAVA_LONG, 16L * first + 8, iov.get(ValueLayout.JAVA_LONG, 16L * first + 8) - skip);
        }
        long ready = GuestIo.waitReady(t, f, write ? GuestIo.POLLOUT : GuestIo.POLLIN);
        if (ready != 0) return already > 0 ? already : ready;
        long r = host(f, iov.asSlice(16L * first), n - first, write, offset, rwf);
        return r < 0 ? (already > 0 ? already : r) : already + r;
    }

    private static boolean nonBlocking(HostFile f) {
        return (f.statusFlags() & O_NONBLOCK) != 0;
    }

    private static long host(HostFile f, MemorySegment iov, int n, boolean write, long offset, int rwf) {
        return HostSyscall.call(write ? PWRITEV2 : PREADV2, f.hostFd(), iov.address(), n, offset, 0, rwf);
    }
}
