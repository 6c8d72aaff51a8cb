package dev.lxrun.kernel;

import dev.lxrun.syscalls.Errno;
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
    private static final long RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_IN_ROOT = 0x10;
    public static final int O_PATH = 010000000, O_DIRECTORY = 0200000, O_CLOEXEC = 02000000, O_NOFOLLOW = 0400000;
    private static final int O_ACCMODE = 3, O_CREAT = 0100, O_EXCL = 0200, O_TRUNC = 01000, O_TMPFILE = 020200000;

    private final String root;   // host path, no trailing slash (except "/" itself)
    private final int rootFd;
    private final MountTable mounts;
    private final PathWalk walk;

    RootedPaths(String root, boolean metadata) {
        this.root = root.endsWith("/") && root.length() > 1 ? root.substring(0, root.length() - 1) : root;
        this.rootFd = openDirectory(this.root);
        if (rootFd < 0) throw new IllegalArgumentException(root + ": cannot open root directory (errno " + -rootFd + ")");
        this.mounts = new MountTable(new Mount("/", this.root, rootFd, Mount.Kind.ROOT, false, metadata));
        this.walk = new PathWalk(mounts);
    }

    /**
     * The namespace a chroot into the guest directory newRootGuest makes: hostDir as the root
     * (with the metadata option of the mount it lies on) and the mounts below it, re-based.
     */
    public RootedPaths below(String newRootGuest, String hostDir, Mount on) {
        RootedPaths child = new RootedPaths(hostDir, on != null && on.metadata());
        for (Mount m : mounts.all()) {
            if (m.kind() == Mount.Kind.ROOT || mounts.at(m.guestPath()) != m) continue;
            if (!m.guestPath().startsWith(newRootGuest + "/")) continue;
            child.mount(m.hostDir(), m.guestPath().substring(newRootGuest.length()), m.kind(), m.readOnly(), m.metadata());
        }
        return child;
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

    /**
     * Mounts hostDir at guestPoint, which must already be a directory in the guest's tree (as
     * on Linux). Returns null, or why the mount cannot be made.
     */
    String mount(String hostDir, String guestPoint, Mount.Kind kind, boolean readOnly, boolean metadata) {
        int fd = openDirectory(hostDir);
        if (fd < 0) return hostDir + ": " + Errno.message(-fd);
        PathWalk.Result r = walk.resolve(guestPoint, true);
        if (!(r instanceof PathWalk.Found f)) {
            HostPosix.close(fd);
            return "mount point " + guestPoint + ": " + Errno.message(((PathWalk.Failed) r).errno());
        }
        boolean directory = HostPosix.fileType(f.node().fd()) == 0040000;
        HostPosix.close(f.node().fd());
        if (!directory) {
            HostPosix.close(fd);
            return "mount point " + guestPoint + ": " + Errno.message(Errno.ENOTDIR);
        }
        mounts.add(new Mount(f.node().guestPath(), hostDir, fd, kind, readOnly, metadata));
        return null;
    }

    /** openat(guestAbsolute, flags, mode) in the guest's namespace: a new host fd, or -errno. */
    public int open(String guestAbsolute, int flags, int mode) {
        return openFile(guestAbsolute, flags, mode).fd();
    }

    /** An opened file with the mount it is on and its canonical guest path (both null for the one-call path). */
    public record Opened(int fd, Mount mount, String guestPath) {}

    /** Like open, but says which mount the file is on and the guest path it was reached by. */
    public Opened openFile(String guestAbsolute, int flags, int mode) {
        return openFile(guestAbsolute, flags, mode, null);
    }

    /** openFile for a path made absolute from a relative one: resolved from start when it lies below it. */
    public Opened openFile(String guestAbsolute, int flags, int mode, PathWalk.Start start) {
        if (mounts.onlyRoot()) return new Opened(openFromStart(guestAbsolute, flags, mode, 0, start), mounts.root(), null);
        return openWalking(guestAbsolute, flags, mode, 0, start);
    }

    /**
     * openat2 for a guest's own struct open_how: its flags, mode and resolve flags go to the host
     * as they are (the host checks them), with the root's confinement added to the resolve flags.
     */
    public Opened openHow(String guestAbsolute, long flags, long mode, long resolve, PathWalk.Start start) {
        if (mounts.onlyRoot()) return new Opened(openFromStart(guestAbsolute, flags, mode, resolve, start), mounts.root(), null);
        // RESOLVE_CACHED (0x20) only asks the kernel not to block; the walk may ignore it.
        long unsupported = resolve & ~(PathWalk.RESOLVE_NO_XDEV | PathWalk.RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | 0x20);
        if (unsupported != 0) return failed(Errno.EINVAL);
        return openWalking(guestAbsolute, (int) flags, (int) mode, resolve, start);
    }

    /**
     * The one-call path for a relative lookup: the host resolves it from the start directory
     * with RESOLVE_BENEATH, so only directories from there on are searched, as on Linux. A path
     * that leaves the start ("..", an absolute symlink: EXDEV) is resolved again from the root.
     */
    private int openFromStart(String guestAbsolute, long flags, long mode, long resolve, PathWalk.Start start) {
        final long RESOLVE_BENEATH = 0x08;
        if (start != null && start.leadsTo(guestAbsolute)) {
            String rel = guestAbsolute.substring(Math.min(guestAbsolute.length(), start.guestPath().length() + 1));
            if (rel.isEmpty()) rel = ".";
            int fd = openat2(start.fd(), rel, flags, mode, resolve | RESOLVE_BENEATH);
            if (fd != -Errno.EXDEV) return fd;
        }
        return openInRoot(guestAbsolute, flags, mode, resolve);
    }

    private int openInRoot(String guestAbsolute, long flags, long mode, long resolve) {
        String rel = guestAbsolute.replaceFirst("^/+", "");
        return openat2(rootFd, rel.isEmpty() ? "." : rel, flags, mode, resolve | RESOLVE_IN_ROOT);
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
     * descriptor of the link) is read and the walk goes on from its target.
     */
    private Opened openWalking(String guestAbsolute, int flags, int mode, long resolve, PathWalk.Start start) {
        boolean follow = (flags & O_NOFOLLOW) == 0;
        long walkFlags = resolve & (PathWalk.RESOLVE_NO_XDEV | PathWalk.RESOLVE_NO_SYMLINKS);
        String path = guestAbsolute;
        int links = 0;
        try (Arena a = Arena.ofConfined()) {
            while (true) {
                boolean whole = needsWholeWalk(path) || (flags & O_TMPFILE) == O_TMPFILE;
                PathWalk.Result r = walk.walk(path, true, !whole, walkFlags, links, start);
                if (r instanceof PathWalk.Failed f) return failed(f.errno());
                if (r instanceof PathWalk.Found f) return reopen(a, f.node(), flags, mode);
                PathWalk.Parent p = (PathWalk.Parent) r;
                links = p.linksUsed();
                PathWalk.Node dir = p.dir();
                try {
                    byte[] name = p.name().getBytes(StandardCharsets.ISO_8859_1);
                    if (dir.mount().readOnly() && (writes(flags) || (flags & O_CREAT) != 0)) {
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
                            String target = new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.ISO_8859_1);
                            path = target.startsWith("/") ? target : join(dir.guestPath(), target);
                            continue;
                        }
                    }
                    if (fd < 0) return failed(-fd);
                    return new Opened(fd, dir.mount(), join(dir.guestPath(), p.name()));
                } finally {
                    HostPosix.close(dir.fd());
                }
            }
        }
    }

    /** The file a walk reached as a whole (a directory, a mount point, "/"): opened again with the caller's flags. */
    private Opened reopen(Arena a, PathWalk.Node node, int flags, int mode) {
        try {
            if (node.mount().readOnly() && (writes(flags) || (flags & O_TMPFILE) == O_TMPFILE)) return failed(Errno.EROFS);
            int fd = HostPosix.openat(node.fd(), HostPosix.cString(a, new byte[] {'.'}), (flags & ~O_NOFOLLOW) | O_CLOEXEC, mode);
            return fd < 0 ? failed(-fd) : new Opened(fd, node.mount(), node.guestPath());
        } finally {
            HostPosix.close(node.fd());
        }
    }

    private static Opened failed(int errno) {
        return new Opened(-errno, null, null);
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

    private static String join(String dir, String rel) {
        return dir.equals("/") ? "/" + rel : dir + "/" + rel;
    }

    /**
     * What a path operation (stat, mkdir, unlink, chmod…) acts on: either a directory and a
     * name in it (the name itself, never followed by the host), or a whole resolved file
     * (name null: act on dirFd itself). The caller closes dirFd.
     */
    public record Target(int dirFd, String name, Mount mount, String guestPath) {}

    /** The target of a path operation, or a Target with dirFd = -errno. */
    public Target target(String abs, boolean follow, PathWalk.Start start) {
        boolean whole = needsWholeWalk(abs);
        if (mounts.onlyRoot()) {
            String trimmed = abs.replaceAll("/+$", "");
            int slash = trimmed.lastIndexOf('/');
            if (follow || whole) return new Target(openFromStart(abs, O_PATH, 0, 0, start), null, mounts.root(), null);
            String parent = trimmed.substring(0, Math.max(slash, 0));
            int dir = openFromStart(parent.isEmpty() ? "/" : parent, O_PATH | O_DIRECTORY, 0, 0, start);
            return new Target(dir, trimmed.substring(slash + 1), mounts.root(), null);
        }
        PathWalk.Result r = walk.walk(abs, follow, !whole && !follow, 0, 0, start);
        return switch (r) {
            case PathWalk.Failed f -> new Target(-f.errno(), null, null, null);
            case PathWalk.Found f -> new Target(f.node().fd(), null, f.node().mount(), f.node().guestPath());
            case PathWalk.Parent p -> new Target(p.dir().fd(), p.name(), p.dir().mount(), join(p.dir().guestPath(), p.name()));
        };
    }

    /** The guest path of a host path inside the root or a mount ("/srv/r/etc" -> "/etc"); null when outside. */
    public String toGuest(String hostPath) {
        return mounts.toGuest(hostPath);
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
