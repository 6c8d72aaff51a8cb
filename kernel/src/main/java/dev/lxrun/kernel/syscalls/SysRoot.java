package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.RootedPaths;
import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.host.HostPosix;
import dev.lxrun.vfs.mount.Mount;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * chroot: the process (and those it forks) resolves paths inside a directory from then on. The
 * new root is a namespace of its own (RootedPaths): the host resolves inside it with
 * RESOLVE_IN_ROOT, or lxrun's walk does when mounts lie below it, so ".." and symlinks stay
 * inside exactly as for --root.
 */
final class SysRoot {
    private static final int O_PATH = 010000000, O_DIRECTORY = 0200000, O_CLOEXEC = 02000000, X_OK = 1;

    private SysRoot() {}

    static long chroot(Task t, long pathAddr) {
        long[] err = new long[1];
        byte[] path = GuestPaths.read(t, pathAddr, err);
        if (path == null) return err[0];
        if (path.length == 0) return -Errno.ENOENT;
        RootedPaths current = t.rooted();
        int fd;
        String guest = null;
        Mount on = null;
        if (current != null) {
            String abs = GuestPaths.guestAbsolute(t, GuestPaths.AT_FDCWD, path, err);
            if (abs == null) return err[0];
            RootedPaths.Opened o = current.openFile(abs, O_PATH | O_DIRECTORY, 0, GuestPaths.start(t, GuestPaths.AT_FDCWD, path));
            fd = o.fd();
            guest = o.guestPath();
            on = o.mount();
        } else {
            int dir = GuestPaths.dirFd(t, GuestPaths.AT_FDCWD, path);
            try (Arena a = Arena.ofConfined()) {
                fd = HostPosix.openat(dir, HostPosix.cString(a, path), O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
            }
        }
        if (fd < 0) return fd;
        try (Arena a = Arena.ofConfined()) {
            int search = HostPosix.faccessat(fd, HostPosix.cString(a, new byte[] {'.'}), X_OK, 0x200 /* AT_EACCESS */);
            if (search < 0) return search;
            if (!t.process.creds.privileged()) return -Errno.EPERM; // CAP_SYS_CHROOT
            MemorySegment buf = a.allocate(4096);
            long n = HostPosix.readlinkat(HostPosix.AT_FDCWD,
                    HostPosix.cString(a, ("/proc/self/fd/" + fd).getBytes(StandardCharsets.ISO_8859_1)), buf);
            if (n < 0) return n;
            String host = new String(buf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.ISO_8859_1);
            if (guest == null) guest = current == null ? host : current.toGuest(host);
            if (guest == null) return -Errno.ENOENT;
            if (guest.equals("/")) return 0;
            RootedPaths next;
            try {
                next = current != null ? current.below(guest, host, on) : RootedPaths.at(host);
            } catch (IllegalArgumentException e) {
                return -Errno.ENOENT;
            }
            t.process.fs.changeRoot(next, guest);
            return 0;
        } finally {
            HostPosix.close(fd);
        }
    }
}
