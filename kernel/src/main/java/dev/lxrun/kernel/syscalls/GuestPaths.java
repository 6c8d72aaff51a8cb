package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.RootedPaths;
import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.FileDescription;
import dev.lxrun.vfs.HostFile;
import dev.lxrun.vfs.host.HostPosix;
import dev.lxrun.vfs.mount.PathWalk;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/** Decoding of path and dirfd arguments shared by the *at() family. */
public final class GuestPaths {
    public static final int AT_FDCWD = -100;
    static final int PATH_MAX = 4096;

    private GuestPaths() {}

    /** The guest path at addr, or null with the errno left in err[0]. */
    /**
     * Whether a name is "." or ".." (trailing slashes allowed): its parent is the starting
     * directory, always found, and its last component is no name (Linux's LAST_DOT/LAST_DOTDOT).
     */
    static boolean endsInDots(byte[] name) {
        int end = name.length;
        while (end > 1 && name[end - 1] == '/') end--;
        return (end == 1 && name[0] == '.') || (end == 2 && name[0] == '.' && name[1] == '.');
    }

    /**
     * The guest path of the mount a name lies in (its parent's when parent), when the name,
     * taken lexically from its start, is under --root; null otherwise. "/proc" and "/dev" count
     * as mounts, as they are on Linux.
     */
    static String mountOf(Task t, int dirfd, byte[] raw, boolean parent) {
        if (t.rooted() == null || raw.length == 0) return null;
        long[] err = new long[1];
        String abs = guestAbsolute(t, dirfd, raw, err);
        if (abs == null) return null;
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (String c : abs.split("/")) {
            if (c.isEmpty() || c.equals(".")) continue;
            if (c.equals("..")) parts.pollLast();
            else parts.addLast(c);
        }
        if (parent) parts.pollLast();
        String norm = "/" + String.join("/", parts);
        String best = "/";
        java.util.List<String> points = new java.util.ArrayList<>(java.util.List.of("/proc", "/dev"));
        for (var m : t.rooted().mounts().all()) points.add(m.guestPath());
        for (String m : points) {
            if ((norm.equals(m) || norm.startsWith(m.endsWith("/") ? m : m + "/")) && m.length() > best.length()) best = m;
        }
        return parent ? best : (best.equals(norm) ? best : null);
    }

    /** Whether a name is a mount point (or the root) under --root: rmdir and rename of it are EBUSY on Linux. */
    /**
     * The error of looking up the directory a name lies in (filename_parentat): 0 when it is a
     * directory the walk reaches. Calls that take two names (rename) report both parents' errors
     * before anything about the last components, which a whole-path walk would report first.
     */
    static long parentError(Task t, int dirfd, byte[] raw) {
        if (raw.length == 0) return 0;
        int end = raw.length;
        while (end > 0 && raw[end - 1] == '/') end--;
        if (end == 0) return 0; // "/" itself: its parent is the root
        int slash = end - 1;
        while (slash >= 0 && raw[slash] != '/') slash--;
        byte[] parent;
        if (slash < 0) parent = new byte[] {'.'};
        else parent = java.util.Arrays.copyOf(raw, slash + 1); // keeps the slash: "a/b" -> "a/", "/b" -> "/"
        byte[] dir = java.util.Arrays.copyOf(parent, parent.length + (parent[parent.length - 1] == '/' ? 1 : 2));
        if (parent[parent.length - 1] == '/') dir[dir.length - 1] = '.';
        else { dir[dir.length - 2] = '/'; dir[dir.length - 1] = '.'; }
        if (t.rooted() == null) return hostParentError(t, dirfd, dir);
        long[] err = new long[1];
        RootedPaths.Target found = target(t, dirfd, dir, true, err);
        if (found == null) return err[0];
        HostPosix.close(found.dirFd());
        return 0;
    }

    /** parentError without a root: the host resolves "parent/." from the caller's directory. */
    private static long hostParentError(Task t, int dirfd, byte[] dir) {
        int base = dirFd(t, dirfd, dir);
        byte[] name = dir;
        if (dir[0] != '/' && dirfd == AT_FDCWD && base < 0) {
            // no descriptor for the working directory: its path
            byte[] cwd = (t.process.fs.cwd() + "/").getBytes(StandardCharsets.ISO_8859_1);
            name = java.util.Arrays.copyOf(cwd, cwd.length + dir.length);
            System.arraycopy(dir, 0, name, cwd.length, dir.length);
            base = HostPosix.AT_FDCWD;
        } else if (base < 0 && base != HostPosix.AT_FDCWD) {
            return base;
        }
        try (Arena a = Arena.ofConfined()) {
            int r = HostPosix.fstatat(base, HostPosix.cString(a, name), a.allocate(144), 0);
            return r < 0 ? r : 0;
        }
    }

    static boolean endsInSlash(byte[] raw) {
        return raw.length > 1 && raw[raw.length - 1] == '/';
    }

    /**
     * The file type (S_IFMT bits) of a name without its trailing slashes, not following a last
     * symlink, or -errno; for the calls whose trailing-slash errors Linux reports only after it has
     * looked the last names up (rename, link), which lxrun's whole-path walk would report first.
     */
    static int lastNameType(Task t, int dirfd, byte[] raw) {
        int end = raw.length;
        while (end > 1 && raw[end - 1] == '/') end--;
        long[] err = new long[1];
        RootedPaths.Target found = target(t, dirfd, java.util.Arrays.copyOf(raw, end), false, err);
        if (found == null) return (int) err[0];
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(144);
            int r = found.name() == null ? HostPosix.fstat(found.dirFd(), st)
                    : HostPosix.fstatat(found.dirFd(), HostPosix.cString(a, found.name().getBytes(StandardCharsets.ISO_8859_1)), st, 0x100);
            return r < 0 ? r : st.get(java.lang.foreign.ValueLayout.JAVA_INT, 24) & 0170000;
        } finally {
            HostPosix.close(found.dirFd());
        }
    }

    static boolean isMountPoint(Task t, int dirfd, byte[] raw) {
        return mountOf(t, dirfd, raw, false) != null;
    }

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
     * In a confined root (--root) or with mounts the path is resolved in the guest's namespace
     * first: with follow, to the file itself (op gets it as /proc/self/fd/N); without, to its
     * parent directory and last name, so op acts on the name itself (a symlink is not followed).
     */
    static long withPath(Task t, int dirfd, long pathAddr, boolean emptyOk, boolean follow, PathOp op) {
        return withPath(t, dirfd, pathAddr, emptyOk, follow, Change.NONE, op);
    }

    /** withPath for an operation that changes the file or its directory: EROFS on a read-only mount. */
    static long withPathChanging(Task t, int dirfd, long pathAddr, boolean emptyOk, boolean follow, PathOp op) {
        return withPath(t, dirfd, pathAddr, emptyOk, follow, Change.MODIFY, op);
    }

    /**
     * withPath for an operation that makes a new name (mkdir, symlink, mknod): on a read-only
     * mount an existing name is still EEXIST, as Linux looks the name up before asking for write access.
     */
    static long withPathCreating(Task t, int dirfd, long pathAddr, PathOp op) {
        return withPath(t, dirfd, pathAddr, false, false, Change.CREATE, op);
    }

    private enum Change { NONE, MODIFY, CREATE }

    /** A host call that also wants the mount its file is on (null: the host's own namespace). */
    interface MountedPathOp {
        long apply(int dir, MemorySegment path, dev.lxrun.vfs.mount.Mount mount);
    }

    /** withPath for calls that depend on the mount's options (metadata kept in extended attributes). */
    static long withMountedPath(Task t, int dirfd, long pathAddr, boolean emptyOk, boolean follow, boolean changes,
            MountedPathOp op) {
        return withPath(t, dirfd, pathAddr, emptyOk, follow, changes ? Change.MODIFY : Change.NONE, op);
    }

    private static long withPath(Task t, int dirfd, long pathAddr, boolean emptyOk, boolean follow, Change change, PathOp op) {
        return withPath(t, dirfd, pathAddr, emptyOk, follow, change, (MountedPathOp) (dir, path, mount) -> op.apply(dir, path));
    }

    private static long withPath(Task t, int dirfd, long pathAddr, boolean emptyOk, boolean follow, Change change,
            MountedPathOp op) {
        boolean changes = change != Change.NONE;
        long[] err = new long[1];
        byte[] path = read(t, pathAddr, err);
        if (path == null) return err[0];
        if (path.length == 0 && !emptyOk) return -Errno.ENOENT;
        byte[] redirected = procSelfRedirect(t, path);
        if (redirected != null) path = redirected;
        MagicDirs.Via via = path.length > 0 ? MagicDirs.rewrite(t, dirfd, path, follow) : null;
        if (path.length > 0 && via == null) {
            Long pseudo = inPseudo(t, dirfd, path, follow, changes, op);
            if (pseudo != null) return pseudo;
        }
        if (change == Change.CREATE && path.length > 1 && path[path.length - 1] == '/') {
            // mkdir("a/b/"): the new name is "b"; the slash only says it is a directory.
            int end = path.length;
            while (end > 1 && path[end - 1] == '/') end--;
            path = java.util.Arrays.copyOf(path, end);
        }
        if (t.rooted() != null && path.length > 0) {
            RootedPaths.Target target = via != null ? via.target(t, follow, err) : target(t, dirfd, path, follow, err);
            if (target == null) return err[0];
            try {
                if (changes && target.mount() != null && target.mount().readOnly()) {
                    if (change == Change.CREATE && exists(target)) return -Errno.EEXIST;
                    return -Errno.EROFS;
                }
                return apply(target, follow, (dir, p) -> op.apply(dir, p, target.mount()));
            } finally {
                HostPosix.close(target.dirFd());
            }
        }
        if (path.length == 0 && changes && readOnlyFile(t, dirfd)) return -Errno.EROFS;
        int dir = dirFd(t, dirfd, path);
        if (dir < 0 && dir != HostPosix.AT_FDCWD) return dir;
        dev.lxrun.vfs.mount.Mount mount = path.length == 0 && t.process.fds.get(dirfd) instanceof HostFile h ? h.mount() : null;
        try (Arena a = Arena.ofConfined()) {
            return op.apply(dir, HostPosix.cString(a, path), mount);
        }
    }

    /** A host call that takes a path and no directory descriptor (statfs, truncate, the xattr calls). */
    interface HostPathOp {
        long apply(MemorySegment hostPath);
    }

    /**
     * withPath for calls without an *at form: op gets one host path, the resolved directory's
     * /proc/self/fd link joined with the name when the lookup was relative to a descriptor.
     */
    static long withHostPath(Task t, long pathAddr, boolean follow, boolean changes, HostPathOp op) {
        return withPath(t, AT_FDCWD, pathAddr, false, follow, changes ? Change.MODIFY : Change.NONE, (dir, path, mount) -> {
            if (dir == HostPosix.AT_FDCWD) return op.apply(path);
            try (Arena a = Arena.ofConfined()) {
                return op.apply(HostPosix.cString(a, hostPath(dir, path).getBytes(StandardCharsets.ISO_8859_1)));
            }
        });
    }

    /** The host path a (dir, path) pair from withPath names, for calls without an *at form. */
    static String hostPath(int dir, MemorySegment path) {
        String rel = path.getString(0, StandardCharsets.ISO_8859_1);
        if (dir == HostPosix.AT_FDCWD) return rel;
        return "/proc/self/fd/" + dir + (rel.isEmpty() ? "" : "/" + rel);
    }

    /**
     * A path into lxrun's /proc (or /dev in a root) must not reach the host's /proc, which is the
     * JVM's: a descriptor link followed acts on the guest's open file, a device on the host
     * device (read-only use), a missing name is ENOENT, and a change to anything synthetic is
     * EPERM. Returns null for lookups the host's /proc answers the same (statfs, xattrs).
     */
    private static Long inPseudo(Task t, int dirfd, byte[] path, boolean follow, boolean changes, MountedPathOp op) {
        var hit = dev.lxrun.kernel.pseudo.PseudoPaths.find(t, dirfd, path, follow);
        if (hit == null) return null;
        String host = switch (hit.node()) {
            case dev.lxrun.kernel.pseudo.PseudoNode.Link l when follow && l.hostPath() != null -> l.hostPath();
            case dev.lxrun.kernel.pseudo.PseudoNode.Host h when !changes -> h.hostPath();
            case null -> null;
            default -> "";
        };
        if (host == null) return (long) -Errno.ENOENT;
        if (host.isEmpty()) return changes ? (long) -Errno.EPERM : null;
        try (Arena a = Arena.ofConfined()) {
            return op.apply(HostPosix.AT_FDCWD, HostPosix.cString(a, host.getBytes(StandardCharsets.ISO_8859_1)), null);
        }
    }

    /** A host call on two resolved paths (rename, link). */
    interface TwoPathOp {
        long apply(int dir1, MemorySegment path1, int dir2, MemorySegment path2);
    }

    /**
     * Two paths that must be on the same mount (rename, link): EXDEV when they are not, as Linux
     * says for any two mounts, even two views of one host filesystem; EROFS on a read-only one.
     */
    static long withTwoPaths(Task t, int dirfd1, long addr1, boolean follow1, int dirfd2, long addr2, TwoPathOp op) {
        long[] e = new long[1];
        byte[] raw1 = read(t, addr1, e), raw2 = raw1 == null ? null : read(t, addr2, e);
        if (raw1 == null || raw2 == null) return e[0];
        var hit1 = raw1.length == 0 ? null : dev.lxrun.kernel.pseudo.PseudoPaths.find(t, dirfd1, raw1, follow1);
        var hit2 = raw2.length == 0 ? null : dev.lxrun.kernel.pseudo.PseudoPaths.find(t, dirfd2, raw2, false);
        if (hit2 != null) return -Errno.EXDEV;
        if (hit1 != null) {
            // link(/proc/self/fd/N, name, AT_SYMLINK_FOLLOW) names the guest's open file, as on Linux.
            if (hit1.node() == null) return -Errno.ENOENT;
            if (!(hit1.node() instanceof dev.lxrun.kernel.pseudo.PseudoNode.Link l && follow1 && l.hostPath() != null)) {
                return -Errno.EXDEV;
            }
            if (t.rooted() != null && !t.rooted().mounts().onlyRoot() && raw2.length > 0) {
                // The open file's mount against the new name's: another mount is EXDEV, as for any link.
                long[] err = new long[1];
                RootedPaths.Target to = target(t, dirfd2, raw2, false, err);
                if (to == null) return err[0];
                HostPosix.close(to.dirFd());
                if (to.mount() != l.mount()) return -Errno.EXDEV;
            }
            try (Arena a = Arena.ofConfined()) {
                MemorySegment from = HostPosix.cString(a, l.hostPath().getBytes(StandardCharsets.ISO_8859_1));
                return withPathChanging(t, dirfd2, addr2, false, false, (d2, to) -> op.apply(HostPosix.AT_FDCWD, from, d2, to));
            }
        }
        if (t.rooted() == null || t.rooted().mounts().onlyRoot()) {
            if (raw1.length > 0 && raw2.length == 0) {
                // the old name is looked up before an empty new one is refused (do_linkat)
                return withPath(t, dirfd1, addr1, false, follow1, (d1, p1) -> {
                    try (Arena a = Arena.ofConfined()) {
                        int r = HostPosix.fstatat(d1, p1, a.allocate(144), follow1 ? 0 : 0x100);
                        return r < 0 ? r : -Errno.ENOENT;
                    }
                });
            }
            return withPath(t, dirfd1, addr1, false, follow1, (d1, p1) ->
                    withPath(t, dirfd2, addr2, false, false, (d2, p2) -> op.apply(d1, p1, d2, p2)));
        }
        if (raw1.length == 0) return -Errno.ENOENT;
        long[] err = new long[1];
        RootedPaths.Target a = target(t, dirfd1, raw1, follow1, err);
        if (a == null) return err[0];
        try {
            if (raw2.length == 0) return -Errno.ENOENT; // the old name is looked up first (do_linkat)
            RootedPaths.Target b = target(t, dirfd2, raw2, false, err);
            if (b == null) return err[0];
            try {
                if (a.mount() != b.mount()) return -Errno.EXDEV;
                if (a.mount().readOnly()) return -Errno.EROFS;
                return apply(a, follow1, (d1, p1) -> apply(b, false, (d2, p2) -> op.apply(d1, p1, d2, p2)));
            } finally {
                HostPosix.close(b.dirFd());
            }
        } finally {
            HostPosix.close(a.dirFd());
        }
    }

    /** The target of a path operation in the task's confined namespace, or null with -errno in err[0]. */
    public static RootedPaths.Target target(Task t, int dirfd, byte[] path, boolean follow, long[] err) {
        PathWalk.Start start = path.length > 0 && path[0] == '/' ? null : start(t, dirfd, err);
        if (start == null && err[0] != 0) return null;
        RootedPaths.Target target = t.rooted().target(new String(path, StandardCharsets.ISO_8859_1), follow, start);
        if (target.dirFd() < 0) {
            err[0] = target.dirFd();
            return null;
        }
        return target;
    }

    private static long apply(RootedPaths.Target target, boolean follow, PathOp op) {
        try (Arena a = Arena.ofConfined()) {
            if (target.name() == null) {
                // The magic link reaches the resolved file; for a directory "/." makes even a
                // no-follow call (lstat of "/" or ".") act on the directory, not on the link.
                String via = "/proc/self/fd/" + target.dirFd() + (follow ? "" : "/.");
                return op.apply(HostPosix.AT_FDCWD, HostPosix.cString(a, via.getBytes(StandardCharsets.ISO_8859_1)));
            }
            return op.apply(target.dirFd(), HostPosix.cString(a, target.name().getBytes(StandardCharsets.ISO_8859_1)));
        }
    }

    private static boolean exists(RootedPaths.Target target) {
        if (target.name() == null) return true;
        try (Arena a = Arena.ofConfined()) {
            return HostPosix.fstatat(target.dirFd(), HostPosix.cString(a, target.name().getBytes(StandardCharsets.ISO_8859_1)),
                    a.allocate(144), 0x100) == 0;
        }
    }

    /**
     * Where a relative lookup starts: the cwd, or the dirfd's directory with the mount it was
     * opened through (a directory from outside lxrun's mounts, e.g. received over SCM_RIGHTS,
     * has none and is its own root); null with -errno in err[0] for a bad dirfd.
     */
    public static PathWalk.Start start(Task t, int dirfd, long[] err) {
        if (dirfd == AT_FDCWD) return new PathWalk.Start(t.process.fs.cwdFd(), t.process.fs.cwdMount());
        FileDescription f = t.process.fds.get(dirfd);
        if (f == null) {
            err[0] = -Errno.EBADF;
            return null;
        }
        if (f.hostFd() < 0) {
            err[0] = -Errno.ENOTDIR;
            return null;
        }
        return new PathWalk.Start(f.hostFd(), f instanceof HostFile h ? h.mount() : null);
    }

    /**
     * The directory a chdir or chroot names, opened O_PATH: in the guest's namespace when it has
     * one (with the mount the walk found), else the host's own lookup. fd is -errno on failure.
     */
    static RootedPaths.Opened openDirectory(Task t, byte[] path) {
        final int O_PATH = 010000000, O_DIRECTORY = 0200000, O_CLOEXEC = 02000000;
        if (t.rooted() != null) {
            MagicDirs.Via via = MagicDirs.rewrite(t, AT_FDCWD, path, true);
            if (via != null) return via.open(t, O_PATH | O_DIRECTORY, 0);
            long[] err = new long[1];
            PathWalk.Start start = path.length > 0 && path[0] == '/' ? null : start(t, AT_FDCWD, err);
            return t.rooted().openFile(new String(path, StandardCharsets.ISO_8859_1), O_PATH | O_DIRECTORY, 0, start);
        }
        int dir = dirFd(t, AT_FDCWD, path);
        try (Arena a = Arena.ofConfined()) {
            return new RootedPaths.Opened(HostPosix.openat(dir, HostPosix.cString(a, path), O_PATH | O_DIRECTORY | O_CLOEXEC, 0),
                    null);
        }
    }

    /** The host path an open host descriptor names (its /proc/self/fd link), or null with -errno in err[0]. */
    static String hostPathOf(int hostFd, long[] err) {
        byte[] link = HostPosix.fdLink(hostFd, err);
        return link == null ? null : new String(link, StandardCharsets.ISO_8859_1);
    }

    /** Whether a descriptor's file is on a read-only mount (for AT_EMPTY_PATH and f*() calls). */
    static boolean readOnlyFile(Task t, int fd) {
        return t.process.fds.get(fd) instanceof HostFile h && h.onReadOnlyMount();
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
        if (f instanceof HostFile h && h.mount() != null && t.rooted() != null) {
            return t.rooted().nameOf(h.hostFd(), h.mount()) + "/" + p;
        }
        String host = f.hostFd() < 0 ? null : hostPathOf(f.hostFd(), err);
        if (host == null) {
            err[0] = -Errno.EBADF;
            return null;
        }
        String guest = t.rooted().toGuest(host);
        if (guest == null) {
            err[0] = -Errno.ENOTDIR;
            return null;
        }
        return guest + "/" + p;
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
