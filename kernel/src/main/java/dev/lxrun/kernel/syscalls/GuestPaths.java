package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.FileDescription;
import dev.lxrun.vfs.host.HostPosix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/** Decoding of path and dirfd arguments shared by the *at() family. */
public final class GuestPaths {
    public static final int AT_FDCWD = -100;
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

    /** A host call on a resolved path: dir is a host dirfd (or AT_FDCWD), path a host C string. */
    interface PathOp {
        long apply(int dir, MemorySegment path);
    }

    /**
     * Reads the guest path at pathAddr, resolves dirfd, and runs op on the host. An empty path is
     * ENOENT unless emptyOk (AT_EMPTY_PATH), in which case op gets the dirfd's host descriptor.
     * In a confined root (--root) the path is resolved inside the root first: with follow, to the
     * file itself (op gets it as /proc/self/fd/N); without, to its parent directory and last name,
     * so op acts on the name itself (a symlink is not followed).
     */
    static long withPath(Task t, int dirfd, long pathAddr, boolean emptyOk, boolean follow, PathOp op) {
        long[] err = new long[1];
        byte[] path = read(t, pathAddr, err);
        if (path == null) return err[0];
        if (path.length == 0 && !emptyOk) return -Errno.ENOENT;
        byte[] redirected = procSelfRedirect(t, path);
        if (redirected != null) path = redirected;
        if (t.kernel().rooted != null && path.length > 0) return confined(t, dirfd, path, follow, op);
        int dir = dirFd(t, dirfd, path);
        if (dir < 0 && dir != HostPosix.AT_FDCWD) return dir;
        try (Arena a = Arena.ofConfined()) {
            return op.apply(dir, HostPosix.cString(a, path));
        }
    }

    /** The guest's absolute path for (dirfd, path), or null with errno in err[0] (net-shim: AF_UNIX paths). */
    public static String guestAbsolute(Task t, int dirfd, byte[] path, long[] err) {
        String p = new String(path, StandardCharsets.ISO_8859_1);
        if (p.startsWith("/")) return p;
        if (dirfd == AT_FDCWD) return t.process.fs.cwd() + "/" + p;
        FileDescription f = t.process.fds.get(dirfd);
        if (f == null) {
            err[0] = -Errno.EBADF;
            return null;
        }
        if (f instanceof dev.lxrun.kernel.pseudo.PseudoFile pf) return pf.guestPath() + "/" + p;
        try {
            String host = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + f.hostFd())).toString();
            String guest = t.kernel().rooted.toGuest(host);
            if (guest == null) {
                err[0] = -Errno.ENOTDIR;
                return null;
            }
            return guest + "/" + p;
        } catch (java.io.IOException | RuntimeException e) {
            err[0] = -Errno.EBADF;
            return null;
        }
    }

    private static long confined(Task t, int dirfd, byte[] path, boolean follow, PathOp op) {
        long[] err = new long[1];
        String abs = guestAbsolute(t, dirfd, path, err);
        if (abs == null) return err[0];
        var root = t.kernel().rooted;
        String trimmed = abs.replaceAll("/+$", "");
        int slash = trimmed.lastIndexOf('/');
        String last = slash < 0 ? trimmed : trimmed.substring(slash + 1);
        boolean dirOnly = abs.endsWith("/") || last.equals(".") || last.equals("..") || trimmed.isEmpty();
        int fd;
        String name;
        if (follow || dirOnly) {
            fd = root.open(abs, dev.lxrun.kernel.RootedPaths.O_PATH, 0);
            name = null;
        } else {
            fd = root.open(trimmed.substring(0, Math.max(slash, 0)), dev.lxrun.kernel.RootedPaths.O_PATH
                    | dev.lxrun.kernel.RootedPaths.O_DIRECTORY, 0);
            name = last;
        }
        if (fd < 0) return fd;
        try (Arena a = Arena.ofConfined()) {
            if (name == null) {
                // The magic link reaches the resolved file; for a directory "/." makes even a
                // no-follow call (lstat of "/" or ".") act on the directory, not on the link.
                String via = "/proc/self/fd/" + fd + (dirOnly ? "/." : "");
                return op.apply(HostPosix.AT_FDCWD, HostPosix.cString(a, via.getBytes(StandardCharsets.ISO_8859_1)));
            }
            return op.apply(fd, HostPosix.cString(a, name.getBytes(StandardCharsets.ISO_8859_1)));
        } finally {
            HostPosix.close(fd);
        }
    }

    /** /proc/self/exe must name the guest program, not the JVM. (Full procfs: the procfs module.) */
    static byte[] procSelfRedirect(Task t, byte[] path) {
        String p = new String(path, StandardCharsets.ISO_8859_1);
        if (p.equals("/proc/self/exe") || p.equals("/proc/" + t.process.pid + "/exe")) {
            return t.process.exePath.getBytes(StandardCharsets.ISO_8859_1);
        }
        return null;
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
