package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Rlimits;
import dev.lxrun.kernel.SignalPosting;
import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.FileDescription;
import dev.lxrun.vfs.host.HostPosix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * RLIMIT_FSIZE, which the host cannot apply for lxrun (the limit is the guest process's, the
 * JVM writes): a write to a regular file that would start at or beyond the limit raises SIGXFSZ
 * and fails with EFBIG, one that crosses it is cut short (generic_write_check_limits); growing a
 * file past it by truncate or fallocate is EFBIG with SIGXFSZ too (inode_newsize_ok). With no
 * limit, the usual case, nothing is looked up.
 */
final class FileSizeLimit {
    private static final int SIGXFSZ = 25, S_IFMT = 0170000, S_IFREG = 0100000, O_APPEND = 02000, SEEK_CUR = 1;

    private FileSizeLimit() {}

    private static long limit(Task t) {
        return t.process.rlimits.cur(Rlimits.FSIZE);
    }

    /**
     * How many of count bytes a write at pos (-1: the file position, or the end with O_APPEND)
     * may move: count, fewer, or -EFBIG after raising SIGXFSZ.
     */
    static long allowed(Task t, FileDescription f, long pos, long count) {
        long limit = limit(t);
        if (limit == Rlimits.INFINITY || count == 0 || (f.statusFlags() & 3) == 0) return count;
        long size = regularFileSize(f);
        if (size < 0) return count;
        if (pos < 0) {
            if ((f.statusFlags() & O_APPEND) != 0) pos = size;
            else {
                int h = f.hostFd();
                pos = h < 0 ? 0 : HostPosix.lseek(h, 0, SEEK_CUR);
                if (pos < 0) return count;
            }
        }
        if (Long.compareUnsigned(pos, limit) >= 0) return tooBig(t);
        return Math.min(count, limit - pos);
    }

    /**
     * allowed for a call whose write position is given by pointer (splice, copy_file_range): NULL
     * means the file position; a negative position there is the host's EINVAL, which comes first.
     */
    static long allowedAt(Task t, FileDescription f, long posAddr, long count) {
        long pos = posAddr == 0 ? -1 : t.process.mm.readLong(posAddr);
        return posAddr != 0 && pos < 0 ? count : allowed(t, f, pos, count);
    }

    private static boolean beyondLimit(Task t, long newSize) {
        long limit = limit(t);
        return limit != Rlimits.INFINITY && Long.compareUnsigned(newSize, limit) > 0;
    }

    /**
     * f, a regular file open for writing, growing to newSize (ftruncate, fallocate): 0, or -EFBIG
     * after SIGXFSZ. A descriptor not open for writing is left to the host's own error.
     */
    static long growTo(Task t, FileDescription f, long newSize) {
        if (!beyondLimit(t, newSize) || (f.statusFlags() & 3) == 0 || regularFileSize(f) < 0) return 0;
        return tooBig(t);
    }

    /**
     * truncate(path) past the limit: what the host would refuse first (EISDIR, EACCES, ETXTBSY:
     * asked by opening the file for writing, which changes nothing) comes before EFBIG; a file
     * that is not regular is left to the host's truncate. 0 when the truncate may go ahead.
     */
    static long pathGrowTo(Task t, MemorySegment hostPath, long newSize) {
        final int O_WRONLY = 1, O_NONBLOCK = 04000, O_CLOEXEC = 02000000, AT_FDCWD = -100;
        if (!beyondLimit(t, newSize)) return 0;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(144);
            if (HostPosix.fstatat(AT_FDCWD, hostPath, st, 0) != 0) return 0;
            if ((st.get(ValueLayout.JAVA_INT, 24) & S_IFMT) != S_IFREG) return 0;
        }
        int fd = HostPosix.openat(AT_FDCWD, hostPath, O_WRONLY | O_NONBLOCK | O_CLOEXEC, 0);
        if (fd < 0) return fd;
        HostPosix.close(fd);
        return tooBig(t);
    }

    /**
     * sendfile and splice after a transfer allowed() cut from asked to allowed bytes: Linux's
     * loop went on at the limit and met EFBIG there, which raised SIGXFSZ though the call
     * returns the bytes moved. Only when all allowed bytes went (else the source ran dry first).
     */
    static long afterCut(Task t, long asked, long allowed, long moved) {
        if (allowed < asked && moved == allowed && moved > 0) tooBig(t);
        return moved;
    }

    private static long tooBig(Task t) {
        // send_sig(SIGXFSZ, current, 0): no info of its own, so SI_USER from the process itself
        SignalPosting.post(t.process, dev.lxrun.kernel.SigInfo.user(SIGXFSZ, t.process));
        return -Errno.EFBIG;
    }

    /** The size of f when it is a regular file, else -1. */
    private static long regularFileSize(FileDescription f) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(144);
            if (f.stat(st) != 0) return -1;
            if ((st.get(ValueLayout.JAVA_INT, 24) & S_IFMT) != S_IFREG) return -1;
            return st.get(ValueLayout.JAVA_LONG, 48);
        }
    }
}
