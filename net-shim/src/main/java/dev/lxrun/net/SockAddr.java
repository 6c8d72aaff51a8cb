package dev.lxrun.net;

import dev.lxrun.kernel.FsContext;
import dev.lxrun.kernel.RootedPaths;
import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.syscalls.GuestPaths;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.host.HostPosix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A guest sockaddr for bind, connect, sendto and sendmsg, copied to host memory for the host
 * call. AF_UNIX paths are the guest's, which the host would read differently: all guest
 * processes share the JVM's working directory, so a relative path is made absolute from the
 * guest's own; a confined guest's path is resolved inside its root and handed to the host
 * through the parent directory's /proc/self/fd link, so the host cannot follow it outside.
 */
final class SockAddr {
    private static final int AF_UNIX = 1, MAX_LEN = 128, SUN_PATH_MAX = 108, PATH = 2;

    private SockAddr() {}

    /** A host call given the host copy of the address (0 and 0 when the guest gave none). */
    interface Op {
        long apply(long hostAddr, long len);
    }

    static long with(Task t, long addr, long len, Op op) {
        return with(t, addr, len, false, op);
    }

    /** with for bind: the path's last name is created, not looked up. */
    static long withBind(Task t, long addr, long len, Op op) {
        return with(t, addr, len, true, op);
    }

    private static long with(Task t, long addr, long len, boolean binds, Op op) {
        if (addr == 0) return op.apply(0, 0);
        if (len < 0 || len > MAX_LEN) return -Errno.EINVAL;
        byte[] raw = t.process.mm.read(addr, (int) len);
        try (Arena a = Arena.ofConfined()) {
            if (rewritten(t, raw)) {
                String path = new String(raw, PATH, pathEnd(raw) - PATH, StandardCharsets.ISO_8859_1);
                return t.rooted() != null ? withConfinedPath(t, path, binds, a, op) : withRelativePath(t, path, a, op);
            }
            MemorySegment h = a.allocate(Math.max(len, 1));
            MemorySegment.copy(MemorySegment.ofArray(raw), 0, h, 0, len);
            return op.apply(h.address(), len);
        }
    }

    /** Whether the host gets another path than the guest gave: the host's answers then name that one. */
    static boolean rewritten(Task t, byte[] raw) {
        boolean path = raw.length > PATH && (raw[0] & 0xff) == AF_UNIX && raw[1] == 0 && raw[PATH] != 0;
        return path && (t.rooted() != null || raw[PATH] != '/');
    }

    /** An AF_UNIX path address as Linux keeps it after bind: up to the first NUL, with one NUL (getsockname's answer). */
    static byte[] boundForm(byte[] raw) {
        byte[] b = Arrays.copyOf(raw, pathEnd(raw) + 1);
        b[b.length - 1] = 0;
        return b;
    }

    private static int pathEnd(byte[] raw) {
        int end = PATH;
        while (end < raw.length && raw[end] != 0) end++;
        return end;
    }

    /**
     * A path in a confined namespace, resolved by its walk. connect and send reach the socket
     * file itself, symlinks followed inside the root, through its own descriptor
     * (/proc/self/fd/N: the host follows nothing of the guest's path, so a symlink naming a
     * host socket's path finds what that path names inside the root). bind creates the last
     * name in the resolved directory; a name too long to follow "/proc/self/fd/N/" in sun_path
     * is bound under a short temporary name there and renamed into place (without replacing).
     */
    private static long withConfinedPath(Task t, String path, boolean binds, Arena a, Op op) {
        long[] err = new long[1];
        RootedPaths.Target target = GuestPaths.target(t, GuestPaths.AT_FDCWD, path.getBytes(StandardCharsets.ISO_8859_1),
                !binds, err);
        if (target == null) return err[0];
        try {
            if (target.name() == null) {
                if (binds) return -Errno.EADDRINUSE; // the name exists (a directory, "/", a mount point)
                return apply(a, "/proc/self/fd/" + target.dirFd(), op);
            }
            if (!binds) return -Errno.ENOENT;
            String dir = "/proc/self/fd/" + target.dirFd() + "/";
            if (target.mount() != null && target.mount().readOnly()) return -Errno.EROFS;
            if ((dir + target.name()).length() < SUN_PATH_MAX) return apply(a, dir + target.name(), op);
            String temp = ".lxrun-bind-" + ProcessHandle.current().pid() + "-" + TEMP_NAMES.incrementAndGet();
            long r = apply(a, dir + temp, op);
            if (r != 0) return r;
            long moved = dev.lxrun.vfs.host.HostSyscall.call(dev.lxrun.vfs.host.HostSyscall.RENAMEAT2, target.dirFd(),
                    HostPosix.cString(a, temp.getBytes(StandardCharsets.ISO_8859_1)).address(), target.dirFd(),
                    HostPosix.cString(a, target.name().getBytes(StandardCharsets.ISO_8859_1)).address(), 1 /* RENAME_NOREPLACE */, 0);
            if (moved != 0) {
                HostPosix.unlinkat(target.dirFd(), HostPosix.cString(a, temp.getBytes(StandardCharsets.ISO_8859_1)), 0);
                return moved == -Errno.EEXIST ? -Errno.EADDRINUSE : moved;
            }
            return 0;
        } finally {
            HostPosix.close(target.dirFd());
        }
    }

    private static final java.util.concurrent.atomic.AtomicLong TEMP_NAMES = new java.util.concurrent.atomic.AtomicLong();

    /**
     * A relative path: absolute from the guest's working directory when that fits in sun_path,
     * else through a /proc/self/fd link to a private copy of the working directory.
     */
    private static long withRelativePath(Task t, String path, Arena a, Op op) {
        String cwd = t.process.fs.cwd();
        String abs = cwd.endsWith("/") ? cwd + path : cwd + "/" + path;
        if (abs.length() < SUN_PATH_MAX) return apply(a, abs, op);
        FsContext own = t.process.fs.copy(); // its own descriptor: a chdir by another thread cannot close it under us
        try {
            return apply(a, "/proc/self/fd/" + own.cwdFd() + "/" + path, op);
        } finally {
            own.close();
        }
    }

    private static long apply(Arena a, String hostPath, Op op) {
        byte[] p = hostPath.getBytes(StandardCharsets.ISO_8859_1);
        if (p.length >= SUN_PATH_MAX) return -Errno.ENAMETOOLONG;
        MemorySegment h = a.allocate(SUN_PATH_MAX + PATH);
        h.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(MemorySegment.ofArray(p), 0, h, PATH, p.length);
        return op.apply(h.address(), PATH + p.length + 1);
    }
}
