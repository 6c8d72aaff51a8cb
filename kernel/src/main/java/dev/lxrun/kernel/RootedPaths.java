package dev.lxrun.kernel;

import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.mount.FileId;
import dev.lxrun.vfs.mount.GuestNames;
import dev.lxrun.vfs.mount.Mount;
import dev.lxrun.vfs.mount.MountTable;
import dev.lxrun.vfs.mount.PathWalk;
import dev.lxrun.vfs.host.HostPosix;
import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Path resolution in the guest's file namespace: a root (the host's "/" or a --root directory)
 * plus the mounts on it. With the root alone, the host's openat2 with RESOLVE_IN_ROOT walks
 * every component, symlink and ".." as if the root directory were "/", in one call. Once other
 * mounts exist, lxrun walks the path itself (PathWalk), since the host knows nothing of them.
 * Either way no guest path names anything outside the root or a mount's directory, and magic
 * links (/proc/PID/fd, /proc/PID/root of the host) are refused on the way.
 */
public final class RootedPaths {
    public static final int OPENAT2 = 437;
    private static final long RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_BENEATH = 0x08, RESOLVE_IN_ROOT = 0x10;
    public static final int O_PATH = 010000000, O_DIRECTORY = 0200000, O_CLOEXEC = 02000000, O_NOFOLLOW = 0400000;
    private static final int O_ACCMODE = 3, O_CREAT = 0100, O_EXCL = 0200, O_TRUNC = 01000, O_TMPFILE = 020200000;

    private final String root;   // host path, no trailing slash (except "/" itself); messages only
    private final MountTable mounts;
    private final PathWalk walk;
    /** The directory "/" names and ".." stops at: the root mount's root, or a chroot's directory. */
    private final PathWalk.Root top;

    RootedPaths(String root, boolean metadata) {
        this.root = root.endsWith("/") && root.length() > 1 ? root.substring(0, root.length() - 1) : root;
        int rootFd = openDirectory(this.root);
        if (rootFd < 0) throw new IllegalArgumentException(root + ": cannot open root directory (errno " + -rootFd + ")");
        this.mounts = new MountTable(Mount.root(this.root, rootFd, metadata));
        this.walk = new PathWalk(mounts);
        this.top = PathWalk.Root.of(rootFd, mounts.root());
    }

    /** A chroot: the same mounts, with another directory as "/" (held open by the namespace). */
    private RootedPaths(RootedPaths from, int dirFd, Mount on) {
        this.mounts = from.mounts;
        this.walk = from.walk;
        this.top = PathWalk.Root.of(dirFd, on);
        String host = HostPosix.fdPath(dirFd);
        this.root = host != null ? host : from.root;
    }

    /**
     * The namespace a chroot into the directory open at dirFd (on mount on) makes: the same
     * mount tree, rooted there, so the directory's mount keeps its options (read-only) and the
     * mounts below it stay mounts. dirFd is taken over.
     */
    public RootedPaths chrootTo(int dirFd, Mount on) {
        return new RootedPaths(this, dirFd, on);
    }

    /** A namespace rooted at a host directory, without mounts (a chroot from the host's own root). */
    public static RootedPaths at(String hostDir) {
        return new RootedPaths(hostDir, false);
    }

    static int openDirectory(String hostPath) {
        try (Arena a = Arena.ofConfined()) {
            return HostPosix.openat(HostPosix.AT_FDCWD, HostPosix.cString(a, hostPath.getBytes(StandardCharsets.ISO_8859_1)),
                    O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        }
    }

    public MountTable mounts() {
        return mounts;
    }

    /** The directory this namespace's "/" is. */
    public PathWalk.Root top() {
        return top;
    }

    /**
     * Mounts hostDir at guestPoint, which must already be a directory in the guest's tree (as
     * on Linux). Returns null, or why the mount cannot be made.
     */
    String mount(String hostDir, String guestPoint, Mount.Kind kind, boolean readOnly, boolean metadata) {
        int fd = openDirectory(hostDir);
        if (fd < 0) return hostDir + ": " + Errno.message(-fd);
        PathWalk.Result r = walk.walk(guestPoint, null, top, true, false, 0, 0);
        if (!(r instanceof PathWalk.Found f)) {
            HostPosix.close(fd);
            return "mount point " + guestPoint + ": " + Errno.message(((PathWalk.Failed) r).errno());
        }
        int point = f.node().fd();
        if (HostPosix.fileType(point) != 0040000) {
            HostPosix.close(point);
            HostPosix.close(fd);
            return "mount point " + guestPoint + ": " + Errno.message(Errno.ENOTDIR);
        }
        // The covered directory stays open: ".." from the mount's root goes on from it.
        mounts.add(new Mount(guestPoint, hostDir, fd, kind, readOnly, metadata, FileId.of(fd), f.node().mount(), point,
                FileId.of(point)));
        return null;
    }

    /** openat(path, flags, mode) of an absolute guest path: a new host fd, or -errno. */
    public int open(String guestAbsolute, int flags, int mode) {
        return openFile(guestAbsolute, flags, mode, null).fd();
    }

    /** An opened file with the mount it is on (null when it is on none of this kernel's mounts). */
    public record Opened(int fd, Mount mount) {}

    /** open of a guest path, relative ones from start (the cwd or a dirfd; null: the root). */
    public Opened openFile(String path, int flags, int mode, PathWalk.Start start) {
        if (mounts.onlyRoot()) return openFromStart(path, flags, mode, 0, start);
        return openWalking(path, flags, mode, 0, start);
    }

    /**
     * openat2 for a guest's own struct open_how. With only the root, its flags, mode and
     * resolve flags go to the host as they are (the host checks them), with the root's
     * confinement added; RESOLVE_BENEATH and RESOLVE_IN_ROOT confine below the start instead.
     * With mounts the walk honours the resolve flags itself.
     */
    public Opened openHow(String path, long flags, long mode, long resolve, PathWalk.Start start) {
        boolean ownRoot = (resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT)) != 0;
        if (mounts.onlyRoot()) {
            if (ownRoot) {
                int fd = openat2(start.fd(), path, flags, mode, resolve);
                return new Opened(fd, fd < 0 ? null : start.mount());
            }
            return openFromStart(path, flags, mode, resolve, start);
        }
        // RESOLVE_CACHED (0x20) only asks the kernel not to block; the walk may ignore it.
        long unsupported = resolve & ~(PathWalk.RESOLVE_NO_XDEV | PathWalk.RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | 0x20
                | RESOLVE_BENEATH | RESOLVE_IN_ROOT);
        if (unsupported != 0) return failed(Errno.EINVAL);
        return openWalking(path, (int) flags, (int) mode, resolve, start);
    }

    /**
     * The one-call path: an absolute path is resolved by the host in the root with
     * RESOLVE_IN_ROOT; a relative one from its start with RESOLVE_BENEATH, so only directories
     * from there on are searched, as on Linux. A relative path that leaves the start ("..", an
     * absolute symlink: EXDEV) is walked by lxrun from the start, ".." decided by identity.
     */
    private Opened openFromStart(String path, long flags, long mode, long resolve, PathWalk.Start start) {
        if (path.startsWith("/") || start == null) {
            String rel = path.replaceFirst("^/+", "");
            int fd = openat2(top.fd(), rel.isEmpty() ? "." : rel, flags, mode, resolve | RESOLVE_IN_ROOT);
            return new Opened(fd, fd < 0 ? null : top.mount());
        }
        int fd = openat2(start.fd(), path, flags, mode, resolve | RESOLVE_BENEATH);
        if (fd != -Errno.EXDEV) return new Opened(fd, fd < 0 ? null : start.mount());
        return openWalking(path, (int) flags, (int) mode, resolve & (PathWalk.RESOLVE_NO_XDEV | PathWalk.RESOLVE_NO_SYMLINKS),
                start);
    }

    /** The host's openat2 from dirFd, never through magic links; a new host fd or -errno. */
    private static int openat2(int dirFd, String rel, long flags, long mode, long resolve) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment how = a.allocate(24);
            how.set(ValueLayout.JAVA_LONG, 0, flags | O_CLOEXEC);
            how.set(ValueLayout.JAVA_LONG, 8, (flags & (O_CREAT | 020000000)) != 0 ? mode : 0);
            how.set(ValueLayout.JAVA_LONG, 16, resolve | RESOLVE_NO_MAGICLINKS);
            MemorySegment p = HostPosix.cString(a, rel.getBytes(StandardCharsets.ISO_8859_1));
            return (int) HostSyscall.call(OPENAT2, dirFd, p.address(), how.address(), 24, 0, 0);
        }
    }

    /**
     * open() across mounts: the walk resolves every directory on the way, then the last name is
     * opened by the host with O_NOFOLLOW in its directory; a symlink there (ELOOP, or an O_PATH
     * descriptor of the link) is read and the walk goes on from its target, relative targets
     * from the link's directory (kept open until then).
     */
    private Opened openWalking(String guestPath, int flags, int mode, long resolve, PathWalk.Start start) {
        boolean follow = (flags & O_NOFOLLOW) == 0;
        long walkFlags = resolve & (PathWalk.RESOLVE_NO_XDEV | PathWalk.RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH | RESOLVE_IN_ROOT);
        String path = guestPath;
        int links = 0;
        PathWalk.Node linkDir = null; // the directory of the last symlink met, which a relative target starts from
        try (Arena a = Arena.ofConfined()) {
            while (true) {
                boolean whole = needsWholeWalk(path) || (flags & O_TMPFILE) == O_TMPFILE;
                PathWalk.Start from = linkDir != null ? new PathWalk.Start(linkDir.fd(), linkDir.mount()) : start;
                PathWalk.Result r = walk.walk(path, from, top, true, !whole, walkFlags, links);
                if (linkDir != null) {
                    HostPosix.close(linkDir.fd());
                    linkDir = null;
                }
                if (r instanceof PathWalk.Failed f) return failed(f.errno());
                if (r instanceof PathWalk.Found f) return reopen(a, f.node(), flags, mode);
                PathWalk.Parent p = (PathWalk.Parent) r;
                links = p.linksUsed();
                PathWalk.Node dir = p.dir();
                boolean keepDir = false;
                try {
                    byte[] name = p.name().getBytes(StandardCharsets.ISO_8859_1);
                    if (dir.mount() != null && dir.mount().readOnly() && (writes(flags) || (flags & O_CREAT) != 0)) {
                        int probe = HostPosix.openat(dir.fd(), HostPosix.cString(a, name), O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
                        if (probe < 0) return failed(probe == -Errno.ENOENT && (flags & O_CREAT) != 0 ? Errno.EROFS : -probe);
                        boolean link = HostPosix.fileType(probe) == 0120000;
                        HostPosix.close(probe);
                        if (!(link && follow && (flags & O_EXCL) == 0)) {
                            if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) return failed(Errno.EEXIST);
                            if (writes(flags)) return failed(Errno.EROFS);
                        }
                    }
                    int fd = HostPosix.openat(dir.fd(), HostPosix.cString(a, name), flags | O_NOFOLLOW | O_CLOEXEC, mode);
                    // O_NOFOLLOW meets a symlink as ELOOP, as ENOTDIR with O_DIRECTORY, or as the link itself with O_PATH.
                    boolean isLink = fd == -Errno.ELOOP || fd == -Errno.ENOTDIR
                            || (fd >= 0 && (flags & O_PATH) != 0 && HostPosix.fileType(fd) == 0120000);
                    if (follow && isLink) {
                        MemorySegment buf = a.allocate(4096);
                        long n = HostPosix.readlinkat(dir.fd(), HostPosix.cString(a, name), buf);
                        if (n >= 0) {
                            if (fd >= 0) HostPosix.close(fd);
                            if ((walkFlags & PathWalk.RESOLVE_NO_SYMLINKS) != 0 || ++links > PathWalk.MAX_SYMLINKS) return failed(Errno.ELOOP);
                            if (n == 0) return failed(Errno.ENOENT);
                            path = new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.ISO_8859_1);
                            if (path.startsWith("/") && (walkFlags & RESOLVE_BENEATH) != 0) return failed(Errno.EXDEV);
                            linkDir = dir;
                            keepDir = true;
                            continue;
                        }
                    }
                    if (fd < 0) return failed(-fd);
                    return new Opened(fd, dir.mount());
                } finally {
                    if (!keepDir) HostPosix.close(dir.fd());
                }
            }
        } finally {
            if (linkDir != null) HostPosix.close(linkDir.fd());
        }
    }

    /** The file a walk reached as a whole (a directory, a mount point, "/"): opened again with the caller's flags. */
    private Opened reopen(Arena a, PathWalk.Node node, int flags, int mode) {
        try {
            if (node.mount() != null && node.mount().readOnly() && (writes(flags) || (flags & O_TMPFILE) == O_TMPFILE)) {
                return failed(Errno.EROFS);
            }
            int fd = HostPosix.openat(node.fd(), HostPosix.cString(a, new byte[] {'.'}), (flags & ~O_NOFOLLOW) | O_CLOEXEC, mode);
            return fd < 0 ? failed(-fd) : new Opened(fd, node.mount());
        } finally {
            HostPosix.close(node.fd());
        }
    }

    private static Opened failed(int errno) {
        return new Opened(-errno, null);
    }

    private static boolean writes(int flags) {
        return (flags & O_ACCMODE) != 0 || (flags & O_TRUNC) != 0;
    }

    /** Paths whose last component is not a plain name: "/", ".", "..", or a trailing slash. */
    static boolean needsWholeWalk(String path) {
        if (path.endsWith("/")) return true;
        int slash = path.lastIndexOf('/');
        String last = path.substring(slash + 1);
        return last.isEmpty() || last.equals(".") || last.equals("..");
    }

    /**
     * What a path operation (stat, mkdir, unlink, chmod…) acts on: either a directory and a
     * name in it (the name itself, never followed by the host), or a whole resolved file
     * (name null: act on dirFd itself). The caller closes dirFd.
     */
    public record Target(int dirFd, String name, Mount mount) {}

    /** The target of a path operation, or a Target with dirFd = -errno. */
    public Target target(String path, boolean follow, PathWalk.Start start) {
        boolean whole = needsWholeWalk(path);
        if (mounts.onlyRoot()) {
            if (follow || whole) {
                Opened o = openFromStart(path, O_PATH, 0, 0, start);
                return new Target(o.fd(), null, o.mount());
            }
            int slash = path.lastIndexOf('/');
            String parent = slash < 0 ? "." : slash == 0 ? "/" : path.substring(0, slash);
            Opened dir = openFromStart(parent, O_PATH | O_DIRECTORY, 0, 0, start);
            return new Target(dir.fd(), path.substring(slash + 1), dir.mount());
        }
        PathWalk.Result r = walk.walk(path, start, top, follow, !whole && !follow, 0, 0);
        return switch (r) {
            case PathWalk.Failed f -> new Target(-f.errno(), null, null);
            case PathWalk.Found f -> new Target(f.node().fd(), null, f.node().mount());
            case PathWalk.Parent p -> new Target(p.dir().fd(), p.name(), p.dir().mount());
        };
    }

    /** The guest path of a file open at hostFd on mount m, as this namespace sees it (d_path). */
    public String nameOf(int hostFd, Mount m) {
        if (m == null) return GuestNames.UNREACHABLE + "/" + lastName(HostPosix.fdPath(hostFd));
        return GuestNames.of(hostFd, m, top);
    }

    private static String lastName(String hostPath) {
        return hostPath == null ? "" : hostPath.substring(hostPath.lastIndexOf('/') + 1);
    }

    /** The guest path of a host path inside the root or a mount ("/srv/r/etc" -> "/etc"); null when outside. */
    public String toGuest(String hostPath) {
        return GuestNames.fromHost(hostPath, mounts, top);
    }

    /** The host path of a guest path, lexically (for messages and PATH search, never for access). */
    public String toHostLexically(String guestPath) {
        String g = guestPath.startsWith("/") ? guestPath : "/" + guestPath;
        return root.equals("/") ? g : root + g;
    }

    public String root() {
        return root;
    }
}
