package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.RootedPaths;
import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.host.HostPosix;
import java.lang.foreign.Arena;

/**
 * chroot: the process (and those it forks) resolves paths inside a directory from then on. The
 * new root is a namespace of its own (RootedPaths): the host resolves inside it with
 * RESOLVE_IN_ROOT, or lxrun's walk does when mounts lie below it, so ".." and symlinks stay
 * inside exactly as for --root.
 */
final class SysRoot {
    private static final int X_OK = 1;

    private SysRoot() {}

    static long chroot(Task t, long pathAddr) {
        long[] err = new long[1];
        byte[] path = GuestPaths.read(t, pathAddr, err);
        if (path == null) return err[0];
        if (path.length == 0) return -Errno.ENOENT;
        RootedPaths current = t.rooted();
        RootedPaths.Opened dir = GuestPaths.openDirectory(t, path);
        int fd = dir.fd();
        if (fd < 0) return fd;
        boolean keep = false;
        try (Arena a = Arena.ofConfined()) {
            int search = HostPosix.faccessat(fd, HostPosix.cString(a, new byte[] {'.'}), X_OK, 0x200 /* AT_EACCESS */);
            if (search < 0) return search;
            if (!t.process.creds.privileged()) return -Errno.EPERM; // CAP_SYS_CHROOT
            RootedPaths next;
            String guest = "/";
            if (current != null) {
                // The same mount tree rooted at the directory itself: its mount's options
                // (read-only) and the mounts below it hold as before.
                next = current.chrootTo(fd, dir.mount());
                keep = true;
            } else {
                String host = GuestPaths.hostPathOf(fd, err);
                if (host == null) return err[0];
                guest = host;
                try {
                    next = RootedPaths.at(host);
                } catch (IllegalArgumentException e) {
                    return -Errno.ENOENT;
                }
            }
            t.process.fs.changeRoot(next, guest);
            return 0;
        } finally {
            if (!keep) HostPosix.close(fd);
        }
    }
}
