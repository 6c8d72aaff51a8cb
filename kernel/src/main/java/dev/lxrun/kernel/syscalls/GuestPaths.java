package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.FileDescription;
import dev.lxrun.vfs.host.HostPosix;

/** Decoding of path and dirfd arguments shared by the *at() family. */
final class GuestPaths {
    static final int AT_FDCWD = -100;
    static final int PATH_MAX = 4096;

    private GuestPaths() {}

    /** The guest path at addr, or null with the errno left in err[0]. */
    static byte[] read(Task t, long addr, long[] err) {
        if (addr == 0) {
            err[0] = -Errno.EFAULT;
            return null;
        }
        byte[] p = t.process.mm.readCString(addr, PATH_MAX);
        if (p == null) {
            err[0] = -Errno.ENAMETOOLONG;
            return null;
        }
        return p;
    }

    /** Host directory fd a relative path resolves against, or -errno. Absolute paths ignore dirfd, as on Linux. */
    static int dirFd(Task t, int dirfd, byte[] path) {
        if (path.length > 0 && path[0] == '/') return HostPosix.AT_FDCWD;
        if (dirfd == AT_FDCWD) return t.process.fs.cwdFd();
        FileDescription f = t.process.fds.get(dirfd);
        if (f == null) return -Errno.EBADF;
        int h = f.hostFd();
        return h < 0 ? -Errno.ENOTDIR : h;
    }
}
