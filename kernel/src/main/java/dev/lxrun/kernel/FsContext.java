package dev.lxrun.kernel;

import dev.lxrun.vfs.host.HostPosix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * A process's filesystem context (Linux fs_struct): working directory and umask. The working
 * directory is held open on the host (O_PATH), so cwd-relative lookups are the host's own
 * *at() calls relative to it, exactly like Linux resolves them.
 */
public final class FsContext {
    private static final int O_PATH = 0x200000, O_DIRECTORY = 0x10000, O_CLOEXEC = 0x80000;

    private String cwd;
    private int cwdFd;
    /** The mount the working directory is on (null: the host's namespace, or a directory on no mount). */
    private dev.lxrun.vfs.mount.Mount cwdMount;
    /** The kernel's namespace (null: the host's), which names the cwd when no chroot was made. */
    private RootedPaths base;
    private int umask;
    /** The root chroot() set, or null for the kernel's (shared by the processes forked after it). */
    private RootedPaths root;

    private FsContext(String cwd, int cwdFd, int umask) {
        this.cwd = cwd;
        this.cwdFd = cwdFd;
        this.umask = umask;
    }

    /** A context for an already opened directory (confined roots resolve it themselves). */
    public static FsContext adopt(String cwd, int cwdFd, int umask) {
        return new FsContext(cwd, cwdFd, umask);
    }

    /** A context in a confined namespace: the cwd is open at cwdFd on mount, and named from where it is. */
    public static FsContext adopt(RootedPaths base, int cwdFd, dev.lxrun.vfs.mount.Mount mount, int umask) {
        FsContext c = new FsContext("/", cwdFd, umask);
        c.base = base;
        c.cwdMount = mount;
        return c;
    }

    public static FsContext open(String cwd, int umask) {
        int fd;
        try (Arena a = Arena.ofConfined()) {
            fd = HostPosix.openat(HostPosix.AT_FDCWD, HostPosix.cString(a, cwd.getBytes(StandardCharsets.ISO_8859_1)),
                    O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        }
        if (fd < 0) throw new IllegalArgumentException("cannot open working directory " + cwd);
        return new FsContext(cwd, fd, umask);
    }

    /** A copy for a forked child: same directory (its own host descriptor) and umask. */
    public synchronized FsContext copy() {
        int fd;
        try (Arena a = Arena.ofConfined()) {
            fd = HostPosix.openat(cwdFd, HostPosix.cString(a, new byte[] {'.'}), O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        }
        if (fd < 0) throw new IllegalStateException("cannot reopen working directory " + cwd + ": errno " + -fd);
        FsContext c = new FsContext(cwd, fd, umask);
        c.root = root;
        c.base = base;
        c.cwdMount = cwdMount;
        return c;
    }

    public synchronized RootedPaths root() {
        return root;
    }

    /**
     * chroot: paths resolve in newRoot from now on. The working directory stays where it is; its
     * path is re-expressed from the new root, or marked unreachable as Linux's getcwd marks it.
     */
    public synchronized void changeRoot(RootedPaths newRoot, String newRootGuestPath) {
        root = newRoot;
        if (base != null || newRootGuestPath.equals("/")) return; // named from where it is (cwd())
        if (cwd.equals(newRootGuestPath)) cwd = "/";
        else if (cwd.startsWith(newRootGuestPath + "/")) cwd = cwd.substring(newRootGuestPath.length());
        else if (!cwd.startsWith("(unreachable)")) cwd = "(unreachable)" + cwd;
    }

    /** Drops the host descriptor (process exit). */
    public synchronized void close() {
        if (cwdFd >= 0) HostPosix.close(cwdFd);
        cwdFd = -1;
    }

    /** Processes using this context: more than one after clone(CLONE_FS) without CLONE_THREAD. */
    private int users = 1;

    /** clone(CLONE_FS): another process shares root, working directory and umask with this one. */
    public synchronized FsContext share() {
        users++;
        return this;
    }

    public synchronized boolean isShared() {
        return users > 1;
    }

    /** A process stops using the context; the last one closes it. */
    public synchronized void leave() {
        if (--users == 0) close();
    }

    /**
     * The working directory's path: in a confined namespace computed from the directory itself
     * (where it is now, "(unreachable)/…" outside the root, as Linux's getcwd), else the path
     * the last chdir named.
     */
    public synchronized String cwd() {
        if (base == null) return cwd;
        return (root != null ? root : base).nameOf(cwdFd, cwdMount);
    }

    /** The mount the working directory is on (relative lookups start there). */
    public synchronized dev.lxrun.vfs.mount.Mount cwdMount() { return cwdMount; }

    public synchronized int cwdFd() { return cwdFd; }

    public synchronized int umask() { return umask; }

    public synchronized int setUmask(int mask) {
        int old = umask;
        umask = mask & 0777;
        return old;
    }

    /** chdir to a directory already opened O_PATH at newFd, whose absolute path is newCwd. */
    public synchronized void changeTo(String newCwd, int newFd) {
        changeTo(newCwd, newFd, null);
    }

    /** chdir to a directory open at newFd on mount (the name is computed from it in a confined namespace). */
    public synchronized void changeTo(String newCwd, int newFd, dev.lxrun.vfs.mount.Mount mount) {
        int old = cwdFd;
        cwd = newCwd;
        cwdFd = newFd;
        cwdMount = mount;
        HostPosix.close(old);
    }

    public static MemorySegment path(Arena a, byte[] p) {
        return HostPosix.cString(a, p);
    }
}
