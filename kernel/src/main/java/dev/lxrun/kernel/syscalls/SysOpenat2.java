package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.RootedPaths;
import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.HostFile;
import dev.lxrun.vfs.host.HostPosix;
import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * openat2: open with a struct open_how (flags, mode, resolve). The struct has the same layout on
 * the host, so the host's own openat2 does the resolving and checks every flag, relative to the
 * host descriptor behind the guest's dirfd; lxrun adds O_CLOEXEC on the host side (the guest's
 * close-on-exec lives in its fd table) and applies the guest's umask. In a confined root the
 * root's RESOLVE_IN_ROOT is added unless the guest asked for BENEATH or IN_ROOT of its own dirfd,
 * which confine at least as tightly. Paths in lxrun's /proc resolve there.
 */
final class SysOpenat2 {
    private static final int OPEN_HOW_SIZE_VER0 = 24, PAGE_SIZE = 4096;
    private static final long O_CREAT = 0100, O_TMPFILE = 020200000, O_CLOEXEC = 02000000;
    private static final long RESOLVE_NO_XDEV = 0x01, RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_NO_SYMLINKS = 0x04,
            RESOLVE_BENEATH = 0x08, RESOLVE_IN_ROOT = 0x10, RESOLVE_CACHED = 0x20;
    private static final long VALID_RESOLVE = 0x3f;

    private SysOpenat2() {}

    static long openat2(Task t, int dirfd, long pathAddr, long howAddr, long usize) {
        if (usize < OPEN_HOW_SIZE_VER0) return -Errno.EINVAL;
        if (usize > PAGE_SIZE) return -Errno.E2BIG;
        var mm = t.process.mm;
        byte[] raw = mm.read(howAddr, (int) usize);
        // A larger struct from a newer guest is fine as long as the fields this kernel lacks are zero.
        for (int i = OPEN_HOW_SIZE_VER0; i < raw.length; i++) if (raw[i] != 0) return -Errno.E2BIG;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long flags = b.getLong(0), mode = b.getLong(8), resolve = b.getLong(16);
        if ((flags >>> 32) != 0 || (resolve & ~VALID_RESOLVE) != 0) return -Errno.EINVAL;
        long[] err = new long[1];
        byte[] path = GuestPaths.read(t, pathAddr, err);
        if (path == null) return err[0];
        boolean creates = (flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE;
        if (creates) mode &= ~(long) t.process.fs.umask() | ~0777L;
        boolean ownConfinement = (resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT)) != 0;
        boolean magicOk = (resolve & (RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS)) == 0 && !ownConfinement;
        MagicDirs.Via via = magicOk && path.length > 0 ? MagicDirs.rewrite(t, dirfd, path, (flags & 0400000) == 0) : null;
        if (via == null && !ownConfinement && path.length > 0 && validForPseudo(flags, mode, resolve, creates)) {
            Long pseudo = pseudo(t, dirfd, path, (int) flags, (int) mode, resolve);
            if (pseudo != null) return pseudo;
        }
        int host;
        HostFile file = null;
        if (t.rooted() != null) {
            // In a confined namespace every route, the guest's own RESOLVE_BENEATH/IN_ROOT
            // included, goes through the namespace's walk: it alone knows the mounts and their options.
            if (path.length == 0) return -Errno.ENOENT;
            dev.lxrun.kernel.RootedPaths.Opened opened;
            if (via != null) {
                opened = via.openHow(t, flags, mode, resolve);
            } else {
                var start = path[0] == '/' && !ownConfinement ? null : GuestPaths.start(t, dirfd, err);
                if (start == null && err[0] != 0) return err[0];
                opened = t.rooted().openHow(new String(path, java.nio.charset.StandardCharsets.ISO_8859_1), flags, mode,
                        resolve, start);
            }
            host = opened.fd();
            if (host >= 0) file = new HostFile(host, null, opened.mount());
        } else {
            int dir = path.length > 0 && path[0] == '/' && !ownConfinement ? HostPosix.AT_FDCWD : relativeTo(t, dirfd);
            if (dir < 0 && dir != HostPosix.AT_FDCWD) return dir;
            try (Arena a = Arena.ofConfined()) {
                MemorySegment how = a.allocate(OPEN_HOW_SIZE_VER0);
                how.set(ValueLayout.JAVA_LONG, 0, flags | O_CLOEXEC);
                how.set(ValueLayout.JAVA_LONG, 8, mode);
                how.set(ValueLayout.JAVA_LONG, 16, resolve);
                host = (int) HostSyscall.call(RootedPaths.OPENAT2, dir, HostPosix.cString(a, path).address(),
                        how.address(), OPEN_HOW_SIZE_VER0, 0, 0);
            }
        }
        if (host < 0) return host;
        int fd = t.process.fds.install(file != null ? file : new HostFile(host), (flags & O_CLOEXEC) != 0, 0);
        if (fd < 0) HostPosix.close(host);
        return fd;
    }

    /** The host descriptor a relative lookup starts from: the cwd's or the dirfd's. */
    private static int relativeTo(Task t, int dirfd) {
        if (dirfd == GuestPaths.AT_FDCWD) return t.process.fs.cwdFd();
        var f = t.process.fds.get(dirfd);
        if (f == null) return -Errno.EBADF;
        return f.hostFd() < 0 ? -Errno.ENOTDIR : f.hostFd();
    }

    /** The checks the host would make, for the requests lxrun's /proc answers without the host. */
    private static boolean validForPseudo(long flags, long mode, long resolve, boolean creates) {
        if (!creates && mode != 0) return false;
        return (resolve & RESOLVE_CACHED) == 0 || !creates;
    }

    /** A path in lxrun's /proc: opened there; magic links refused when the guest asks. */
    private static Long pseudo(Task t, int dirfd, byte[] path, int flags, int mode, long resolve) {
        var hit = dev.lxrun.kernel.pseudo.PseudoPaths.find(t, dirfd, path, true);
        if (hit == null) return null;
        if ((resolve & (RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS)) != 0
                && hit.node() instanceof dev.lxrun.kernel.pseudo.PseudoNode.Link) {
            return (long) -Errno.ELOOP;
        }
        if ((resolve & RESOLVE_NO_XDEV) != 0) return (long) -Errno.EXDEV; // /proc is a mount of its own
        return SysPseudo.open(t, dirfd, path, flags, mode);
    }
}
