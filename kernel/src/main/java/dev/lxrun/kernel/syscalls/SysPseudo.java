package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.pseudo.PseudoFile;
import dev.lxrun.kernel.pseudo.PseudoNode;
import dev.lxrun.kernel.pseudo.PseudoPaths;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.HostFile;
import dev.lxrun.vfs.host.HostPosix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * The path syscalls on synthetic filesystems (procfs). Each method returns null when the path is
 * not a pseudo path, so the caller goes on with the host; otherwise the syscall's result.
 */
final class SysPseudo {
    private static final int O_ACCMODE = 3, O_CREAT = 0100, O_EXCL = 0200, O_TRUNC = 01000, O_DIRECTORY = 0200000,
            O_NOFOLLOW = 0400000, O_CLOEXEC = 02000000, O_PATH = 010000000, O_NOCTTY = 0400;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;

    private SysPseudo() {}

    static Long open(Task t, int dirfd, byte[] path, int flags, int mode) {
        PseudoPaths.Hit hit = PseudoPaths.find(t, dirfd, path, (flags & O_NOFOLLOW) == 0);
        if (hit == null) return null;
        PseudoNode node = hit.node();
        if (node == null) return (long) -Errno.ENOENT; // procfs directories take no new names: ENOENT even with O_CREAT
        if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) return (long) -Errno.EEXIST;
        boolean cloexec = (flags & O_CLOEXEC) != 0;
        return switch (node) {
            case PseudoNode.Host h -> openHost(t, h.hostPath(), flags, mode, cloexec);
            case PseudoNode.Link link -> {
                if ((flags & O_NOFOLLOW) != 0 && (flags & O_PATH) == 0) yield (long) -Errno.ELOOP;
                if (link.hostPath() == null) yield (long) -Errno.ENOENT;
                // Reopening a descriptor's file: the mount it was opened through still decides
                // whether it may be written (Linux checks the mount of the reopened file).
                dev.lxrun.vfs.mount.Mount m = link.mount();
                boolean writing = (flags & O_ACCMODE) != 0 || (flags & O_TRUNC) != 0;
                if (m != null && m.readOnly() && writing && (flags & O_PATH) == 0) yield (long) -Errno.EROFS;
                yield openHost(t, link.hostPath(), flags, mode, cloexec, m);
            }
            case PseudoNode.File file -> {
                if ((flags & O_DIRECTORY) != 0) yield (long) -Errno.ENOTDIR;
                boolean writing = (flags & O_ACCMODE) != 0 || (flags & O_TRUNC) != 0;
                if (writing && file.writer() == null) yield (long) -Errno.EACCES;
                // /proc/sys files are root's with mode 0644: only a privileged writer opens them for writing.
                if (writing && hit.absolute().startsWith("/proc/sys/") && t.process.creds.euid() != 0) yield (long) -Errno.EACCES;
                PseudoFile f = writing ? PseudoFile.writable(hit.absolute(), file.content().get(), flags, file.writer())
                        : PseudoFile.file(hit.absolute(), file.content().get(), flags);
                yield (long) t.process.fds.install(f, cloexec, 0);
            }
            case PseudoNode.Dir dir -> {
                if ((flags & O_ACCMODE) != 0) yield (long) -Errno.EISDIR;
                yield (long) t.process.fds.install(PseudoFile.directory(hit.absolute(), dir.entries(), flags), cloexec, 0);
            }
        };
    }

    /** What a stat-family call does with the struct stat of a pseudo node. */
    private interface StatUse {
        long apply(MemorySegment st, Arena a);
    }

    /** Finds the node, fills its struct stat and hands it to use; null when not a pseudo path. */
    private static Long withStat(Task t, int dirfd, byte[] path, int flags, StatUse use) {
        if (MagicDirs.rewrite(t, dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) == 0) != null) return null; // walked by withPath
        PseudoPaths.Hit hit = PseudoPaths.find(t, dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) == 0);
        if (hit == null) return null;
        if (hit.node() == null) return (long) -Errno.ENOENT;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(144);
            long r = statInto(hit, flags, st);
            return r != 0 ? r : use.apply(st, a);
        }
    }

    private static long openHost(Task t, String hostPath, int flags, int mode, boolean cloexec) {
        return openHost(t, hostPath, flags, mode, cloexec, null);
    }

    private static long openHost(Task t, String hostPath, int flags, int mode, boolean cloexec, dev.lxrun.vfs.mount.Mount mount) {
        int host;
        try (Arena a = Arena.ofConfined()) {
            host = HostPosix.openat(HostPosix.AT_FDCWD, HostPosix.cString(a, hostPath.getBytes(StandardCharsets.ISO_8859_1)),
                    flags | O_CLOEXEC | O_NOCTTY, mode);
        }
        if (host < 0) return host;
        HostFile file = new HostFile(host, null, mount);
        int fd = t.process.fds.install(file, cloexec, 0);
        if (fd < 0) HostPosix.close(host);
        else SysPty.opened(t, file, flags);
        return fd;
    }

    static Long stat(Task t, int dirfd, byte[] path, int flags, long statAddr) {
        return withStat(t, dirfd, path, flags, (st, a) -> {
            t.process.mm.copyIn(statAddr, st, true);
            return 0;
        });
    }

    private static long statInto(PseudoPaths.Hit hit, int flags, MemorySegment st) {
        long inode = 0x10000L + (hit.absolute().hashCode() & 0x7fffffffL);
        switch (hit.node()) {
            case PseudoNode.Link link -> {
                if ((flags & AT_SYMLINK_NOFOLLOW) != 0 || link.hostPath() == null) {
                    PseudoFile.fillStat(st, inode, false, link.target().length());
                    st.set(ValueLayout.JAVA_INT, 24, 0120777);
                    return 0;
                }
                try (Arena a = Arena.ofConfined()) {
                    return HostPosix.fstatat(HostPosix.AT_FDCWD,
                            HostPosix.cString(a, link.hostPath().getBytes(StandardCharsets.ISO_8859_1)), st, 0);
                }
            }
            case PseudoNode.Host h -> {
                try (Arena a = Arena.ofConfined()) {
                    return HostPosix.fstatat(HostPosix.AT_FDCWD,
                            HostPosix.cString(a, h.hostPath().getBytes(StandardCharsets.ISO_8859_1)), st, 0);
                }
            }
            case PseudoNode.File f -> {
                PseudoFile.fillStat(st, inode, false, 0);
                if (f.writer() != null) st.set(ValueLayout.JAVA_INT, 24, 0100644);
            }
            case PseudoNode.Dir d -> PseudoFile.fillStat(st, inode, true, 0);
        }
        return 0;
    }

    /** statx from the struct stat of the same node: the basic fields, as procfs fills them. */
    static Long statx(Task t, int dirfd, byte[] path, int flags, long bufAddr) {
        return withStat(t, dirfd, path, flags, (st, a) -> {
            MemorySegment x = a.allocate(256);
            x.set(ValueLayout.JAVA_INT, 0, 0x7ff);                                      // STATX_BASIC_STATS
            x.set(ValueLayout.JAVA_INT, 4, (int) st.get(ValueLayout.JAVA_LONG, 56));    // blksize
            x.set(ValueLayout.JAVA_INT, 16, (int) st.get(ValueLayout.JAVA_LONG, 16));   // nlink
            x.set(ValueLayout.JAVA_INT, 20, st.get(ValueLayout.JAVA_INT, 28));          // uid
            x.set(ValueLayout.JAVA_INT, 24, st.get(ValueLayout.JAVA_INT, 32));          // gid
            x.set(ValueLayout.JAVA_SHORT, 28, (short) st.get(ValueLayout.JAVA_INT, 24)); // mode
            x.set(ValueLayout.JAVA_LONG, 32, st.get(ValueLayout.JAVA_LONG, 8));         // ino
            x.set(ValueLayout.JAVA_LONG, 40, st.get(ValueLayout.JAVA_LONG, 48));        // size
            x.set(ValueLayout.JAVA_LONG, 48, st.get(ValueLayout.JAVA_LONG, 64));        // blocks
            for (int i = 0; i < 3; i++) {                                               // atime, ctime, mtime
                int to = new int[] {64, 96, 112}[i], from = new int[] {72, 104, 88}[i];
                x.set(ValueLayout.JAVA_LONG, to, st.get(ValueLayout.JAVA_LONG, from));
                x.set(ValueLayout.JAVA_INT, to + 8, (int) st.get(ValueLayout.JAVA_LONG, from + 8));
            }
            long dev = st.get(ValueLayout.JAVA_LONG, 0);
            x.set(ValueLayout.JAVA_INT, 136, (int) ((dev >>> 8) & 0xfff));
            x.set(ValueLayout.JAVA_INT, 140, (int) ((dev & 0xff) | ((dev >>> 12) & 0xfff00)));
            t.process.mm.copyIn(bufAddr, x, true);
            return 0L;
        });
    }

    static Long readlink(Task t, int dirfd, byte[] path, long bufAddr, long size) {
        if (MagicDirs.rewrite(t, dirfd, path, false) != null) return null;
        PseudoPaths.Hit hit = PseudoPaths.find(t, dirfd, path, false);
        if (hit == null) return null;
        if (hit.node() == null) return (long) -Errno.ENOENT;
        if (!(hit.node() instanceof PseudoNode.Link link)) return (long) -Errno.EINVAL;
        byte[] target = link.target().getBytes(StandardCharsets.ISO_8859_1);
        int n = (int) Math.min(target.length, size);
        t.process.mm.copyIn(bufAddr, MemorySegment.ofArray(target).asSlice(0, n), true);
        return (long) n;
    }

    static Long access(Task t, int dirfd, byte[] path, int mode, int flags) {
        if (MagicDirs.rewrite(t, dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) == 0) != null) return null;
        PseudoPaths.Hit hit = PseudoPaths.find(t, dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) == 0);
        if (hit == null) return null;
        if (hit.node() == null) return (long) -Errno.ENOENT;
        if (hit.node() instanceof PseudoNode.Host h) {
            // a host device (/dev/null, /dev/tty): the host's own answer for its modes, with the caller's ids
            final int AT_EACCESS = 0x200, FACCESSAT2 = 439;
            try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
                java.lang.foreign.MemorySegment p = dev.lxrun.vfs.host.HostPosix.cString(a,
                        h.hostPath().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                int f = AT_EACCESS | (flags & AT_SYMLINK_NOFOLLOW);
                return (flags & AT_EACCESS) != 0
                        ? dev.lxrun.vfs.host.HostSyscall.call(FACCESSAT2, GuestPaths.AT_FDCWD, p.address(), mode, f, 0, 0)
                        : dev.lxrun.kernel.HostCredentials.withRealIds(t.process.creds,
                                () -> dev.lxrun.vfs.host.HostSyscall.call(FACCESSAT2, GuestPaths.AT_FDCWD, p.address(), mode, f, 0, 0));
            }
        }
        final int W_OK = 2;
        boolean writable = hit.node() instanceof PseudoNode.Link
                || hit.node() instanceof PseudoNode.File f && f.writer() != null;
        // root passes W_OK anyway (CAP_DAC_OVERRIDE; access(2) grants it by the real uid, AT_EACCESS by the effective caps)
        boolean override = (flags & 0x200) != 0 ? t.process.caps.has(1) : t.process.creds.uid() == 0;
        if ((mode & W_OK) != 0 && !writable && !override) return (long) -Errno.EACCES;
        // /proc and /dev files have no execute bit, which even root needs for X_OK on a non-directory
        if ((mode & 1) != 0 && hit.node() instanceof PseudoNode.File) return (long) -Errno.EACCES;
        return 0L;
    }
}
