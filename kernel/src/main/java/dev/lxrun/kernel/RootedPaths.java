package dev.lxrun.kernel;

import dev.lxrun.vfs.host.HostPosix;
import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Path resolution confined to a guest root (--root): the host's openat2 with RESOLVE_IN_ROOT
 * walks every component, symlink and ".." as if the root directory were "/", so no guest path
 * can name anything outside it. Magic links (/proc/PID/fd, /proc/PID/root of the host) are
 * refused on the way.
 */
public final class RootedPaths {
    public static final int OPENAT2 = 437;
    private static final long RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_IN_ROOT = 0x10;
    public static final int O_PATH = 010000000, O_DIRECTORY = 0200000, O_CLOEXEC = 02000000, O_NOFOLLOW = 0400000;

    private final String root;   // host path, no trailing slash
    private final int rootFd;

    RootedPaths(String root) {
        this.root = root.endsWith("/") && root.length() > 1 ? root.substring(0, root.length() - 1) : root;
        int fd;
        try (Arena a = Arena.ofConfined()) {
            fd = HostPosix.openat(HostPosix.AT_FDCWD, HostPosix.cString(a, this.root.getBytes(StandardCharsets.ISO_8859_1)),
                    O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        }
        if (fd < 0) throw new IllegalArgumentException(root + ": cannot open root directory (errno " + -fd + ")");
        this.rootFd = fd;
    }

    /** openat2(root, guestAbsolute, flags, mode) inside the root: a new host fd, or -errno. */
    public int open(String guestAbsolute, int flags, int mode) {
        String rel = guestAbsolute.replaceFirst("^/+", "");
        if (rel.isEmpty()) rel = ".";
        try (Arena a = Arena.ofConfined()) {
            MemorySegment how = a.allocate(24);
            how.set(ValueLayout.JAVA_LONG, 0, Integer.toUnsignedLong(flags | O_CLOEXEC));
            how.set(ValueLayout.JAVA_LONG, 8, (flags & (0100 | 020000000)) != 0 ? mode : 0);
            how.set(ValueLayout.JAVA_LONG, 16, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
            MemorySegment p = HostPosix.cString(a, rel.getBytes(StandardCharsets.ISO_8859_1));
            return (int) HostSyscall.call(OPENAT2, rootFd, p.address(), how.address(), 24, 0, 0);
        }
    }

    /**
     * openat2 for a guest's own struct open_how: its flags, mode and resolve flags go to the host
     * as they are (the host checks them), with the root's confinement added to the resolve flags.
     */
    public int openHow(String guestAbsolute, long flags, long mode, long resolve) {
        String rel = guestAbsolute.replaceFirst("^/+", "");
        if (rel.isEmpty()) rel = ".";
        try (Arena a = Arena.ofConfined()) {
            MemorySegment how = a.allocate(24);
            how.set(ValueLayout.JAVA_LONG, 0, flags | O_CLOEXEC);
            how.set(ValueLayout.JAVA_LONG, 8, mode);
            how.set(ValueLayout.JAVA_LONG, 16, resolve | RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
            MemorySegment p = HostPosix.cString(a, rel.getBytes(StandardCharsets.ISO_8859_1));
            return (int) HostSyscall.call(OPENAT2, rootFd, p.address(), how.address(), 24, 0, 0);
        }
    }

    /** The guest path of a host path inside the root ("/srv/r/etc" -> "/etc"); null when outside. */
    public String toGuest(String hostPath) {
        if (hostPath.equals(root)) return "/";
        if (hostPath.startsWith(root + "/")) return hostPath.substring(root.length());
        return null;
    }

    /** The host path of a guest path, lexically (for messages and PATH search, never for access). */
    public String toHostLexically(String guestPath) {
        return root + (guestPath.startsWith("/") ? guestPath : "/" + guestPath);
    }

    public String root() {
        return root;
    }
}
