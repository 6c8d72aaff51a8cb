package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.SignalDelivery;
import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.locks.FileLock;
import dev.lxrun.kernel.locks.RecordLocks;
import dev.lxrun.kernel.locks.RecordLocks.FileKey;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.FileDescription;
import dev.lxrun.vfs.HostFile;
import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * File locks: fcntl's POSIX and OFD record locks, kept by the kernel's {@link RecordLocks}, and
 * flock, which is the host's own (whole-file locks on the host open file description, which a
 * guest fd shares exactly as the guest shares its description).
 */
final class SysLock {
    static final int F_GETLK = 5, F_SETLK = 6, F_SETLKW = 7, F_OFD_GETLK = 36, F_OFD_SETLK = 37, F_OFD_SETLKW = 38;
    private static final short F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2;
    private static final int SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2;
    private static final int O_ACCMODE = 3, O_RDONLY = 0, O_WRONLY = 1;
    private static final int LOCK_NB = 4, LOCK_UN = 8;
    private static final long FLOCK_POLL_MS = 20;

    private SysLock() {}

    static boolean isLockCommand(int cmd) {
        return cmd == F_GETLK || cmd == F_SETLK || cmd == F_SETLKW || cmd == F_OFD_GETLK || cmd == F_OFD_SETLK
                || cmd == F_OFD_SETLKW;
    }

    /** fcntl(fd, F_*LK*, struct flock *): the byte range is decoded against the file's offset or size. */
    static long fcntl(Task t, FileDescription f, int cmd, long flockAddr) {
        var mm = t.process.mm;
        short type = (short) (mm.readInt(flockAddr) & 0xffff);
        int whence = (short) (mm.readInt(flockAddr) >>> 16);
        long start = mm.readLong(flockAddr + 8), len = mm.readLong(flockAddr + 16);
        int pid = mm.readInt(flockAddr + 24);
        boolean ofd = cmd >= F_OFD_GETLK;
        if (ofd && pid != 0) return -Errno.EINVAL;
        if (type != F_RDLCK && type != F_WRLCK && type != F_UNLCK) return -Errno.EINVAL;
        FileKey key = RecordLocks.keyOf(f);
        if (key == null) return -Errno.EBADF;
        long base;
        switch (whence) {
            case SEEK_SET -> base = 0;
            case SEEK_CUR -> base = f.seek(0, SEEK_CUR);
            case SEEK_END -> base = size(f);
            default -> { return -Errno.EINVAL; }
        }
        if (base < 0) return base;
        long[] range = range(base, start, len);
        if (range == null) return -Errno.EINVAL;
        if (range.length == 0) return -Errno.EOVERFLOW;
        Object owner = ofd ? f : t.process;
        RecordLocks locks = t.kernel().recordLocks;
        if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
            if (type == F_UNLCK) return -Errno.EINVAL;
            FileLock l = locks.conflict(key, owner, type == F_WRLCK, range[0], range[1]);
            if (l == null) {
                mm.writeInt(flockAddr, (mm.readInt(flockAddr) & 0xffff0000) | F_UNLCK);
                return 0;
            }
            mm.writeInt(flockAddr, (SEEK_SET << 16) | (l.write() ? F_WRLCK : F_RDLCK));
            mm.writeLong(flockAddr + 8, l.start());
            mm.writeLong(flockAddr + 16, l.end() == FileLock.TO_EOF ? 0 : l.end() - l.start() + 1);
            mm.writeInt(flockAddr + 24, l.pid());
            return 0;
        }
        int mode = f.statusFlags() & O_ACCMODE;
        if (type == F_RDLCK && mode == O_WRONLY) return -Errno.EBADF;
        if (type == F_WRLCK && mode == O_RDONLY) return -Errno.EBADF;
        if (ofd && type != F_UNLCK) {
            // An OFD lock lives as long as its open file description.
            if (!(f instanceof HostFile hf)) return -Errno.EINVAL;
            hf.whenLastReleased(() -> locks.releaseAll(f));
        }
        Boolean write = type == F_UNLCK ? null : type == F_WRLCK;
        boolean wait = cmd == F_SETLKW || cmd == F_OFD_SETLKW;
        return locks.set(key, owner, ofd ? -1 : t.process.pid, write, range[0], range[1], wait, t::hasPendingSignal);
    }

    /**
     * [first, last] byte of a request (last = TO_EOF for len 0); null for a negative start
     * (EINVAL), an empty array when the end does not fit in off_t (EOVERFLOW).
     */
    private static long[] range(long base, long start, long len) {
        long first;
        try {
            first = Math.addExact(base, start);
        } catch (ArithmeticException e) {
            return new long[0];
        }
        if (len == 0) return first < 0 ? null : new long[] {first, FileLock.TO_EOF};
        if (len > 0) {
            if (first < 0) return null;
            if (first > Long.MAX_VALUE - (len - 1)) return new long[0];
            return new long[] {first, first + len - 1};
        }
        // A negative length covers the len bytes before start.
        long last = first - 1;
        first = first + len;
        if (first < 0) return null;
        return new long[] {first, last};
    }

    private static long size(FileDescription f) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(144);
            int r = f.stat(st);
            return r < 0 ? r : st.get(ValueLayout.JAVA_LONG, 48);
        }
    }

    /**
     * flock(2) through the host. A blocking request is tried without blocking every few
     * milliseconds, so a guest signal can interrupt the wait (the host call would not return).
     */
    static long flock(Task t, int fd, int op) {
        int h = HostArgs.fd(t, fd, Errno.EINVAL);
        if (h < 0) return h;
        if ((op & LOCK_NB) != 0 || (op & LOCK_UN) != 0) return HostSyscall.call(HostSyscall.FLOCK, h, op, 0);
        while (true) {
            long r = HostSyscall.call(HostSyscall.FLOCK, h, op | LOCK_NB, 0);
            if (r != -Errno.EWOULDBLOCK) return r;
            if (t.hasPendingSignal()) return -SignalDelivery.ERESTARTSYS;
            java.util.concurrent.locks.LockSupport.parkNanos(FLOCK_POLL_MS * 1_000_000L);
        }
    }
}
