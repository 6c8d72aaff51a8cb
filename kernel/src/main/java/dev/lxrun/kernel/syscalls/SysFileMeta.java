package dev.lxrun.kernel.syscalls;

import static dev.lxrun.vfs.host.HostSyscall.call;

import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.mm.AddressSpace;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.HostFile;
import dev.lxrun.vfs.host.HostPosix;
import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * File metadata and whole-file operations: statx, statfs, chmod/chown, timestamps, truncate,
 * fallocate, sync, renameat2, xattrs, mknod, pipes, sendfile, copy_file_range. On a Linux
 * host each is the host's own call on host descriptors; guest buffers are passed as the host
 * memory they already are, after the address space has checked them.
 */
final class SysFileMeta {
    private static final int PROT_READ = 1, PROT_WRITE = 2;
    private static final int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_EMPTY_PATH = 0x1000;
    private static final int O_CLOEXEC = 02000000, O_NONBLOCK = 04000, O_DIRECT = 040000;
    private static final int S_IFMT = 0170000, S_IFCHR = 0020000, S_IFBLK = 0060000, S_IFREG = 0100000,
            S_IFIFO = 0010000, S_IFSOCK = 0140000;

    private SysFileMeta() {}

    private static long buffer(Task t, long addr, long len, int prot) {
        return HostArgs.address(t, addr, len, prot);
    }

    private static int hostFd(Task t, int fd) {
        return HostArgs.fd(t, fd, Errno.EINVAL);
    }

    // ---- stat family ----

    static long statx(Task t, int dirfd, long pathAddr, int flags, int mask, long bufAddr) {
        long[] err = new long[1];
        byte[] raw = GuestPaths.read(t, pathAddr, err);
        if (raw == null) return err[0];
        if (raw.length > 0 || t.process.fds.get(dirfd) instanceof dev.lxrun.kernel.pseudo.PseudoFile) {
            Long pseudo = SysPseudo.statx(t, dirfd, raw.length == 0 ? ".".getBytes() : raw, flags, bufAddr);
            if (pseudo != null) return pseudo;
        }
        long buf = buffer(t, bufAddr, 256, PROT_WRITE);
        boolean follow = (flags & AT_SYMLINK_NOFOLLOW) == 0;
        return GuestPaths.withMountedPath(t, dirfd, pathAddr, (flags & AT_EMPTY_PATH) != 0, follow, false, (dir, path, mount) -> {
            long r = call(HostSyscall.STATX, dir, path.address(), flags, mask, buf, 0);
            if (r == 0 && MetadataFiles.kept(mount)) {
                MetadataFiles.overlayStatx(t, GuestPaths.hostPath(dir, path), follow, MemorySegment.ofAddress(buf).reinterpret(256));
            }
            return r;
        });
    }

    static long statfs(Task t, long pathAddr, long bufAddr) {
        long buf = buffer(t, bufAddr, 120, PROT_WRITE);
        return GuestPaths.withHostPath(t, pathAddr, true, false, path -> call(HostSyscall.STATFS, path.address(), buf, 0));
    }

    static long fstatfs(Task t, int fd, long bufAddr) {
        int h = hostFd(t, fd);
        if (h < 0) return h;
        return call(HostSyscall.FSTATFS, h, buffer(t, bufAddr, 120, PROT_WRITE), 0);
    }

    // ---- permissions, ownership, times ----

    static long fchmodat(Task t, int dirfd, long pathAddr, int mode, int flags) {
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) return -Errno.EINVAL;
        return GuestPaths.withPathChanging(t, dirfd, pathAddr, (flags & AT_EMPTY_PATH) != 0, (flags & AT_SYMLINK_NOFOLLOW) == 0,
                (dir, path) -> flags == 0
                ? call(HostSyscall.FCHMODAT, dir, path.address(), mode & 07777)
                : call(HostSyscall.FCHMODAT2, dir, path.address(), mode & 07777, flags, 0, 0));
    }

    static long fchmod(Task t, int fd, int mode) {
        if (GuestPaths.readOnlyFile(t, fd)) return -Errno.EROFS;
        int h = hostFd(t, fd);
        return h < 0 ? h : call(HostSyscall.FCHMOD, h, mode & 07777, 0);
    }

    static long fchownat(Task t, int dirfd, long pathAddr, int uid, int gid, int flags) {
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) return -Errno.EINVAL;
        boolean follow = (flags & AT_SYMLINK_NOFOLLOW) == 0;
        return GuestPaths.withMountedPath(t, dirfd, pathAddr, (flags & AT_EMPTY_PATH) != 0, follow, true, (dir, path, mount) ->
                MetadataFiles.kept(mount) ? MetadataFiles.chown(t, GuestPaths.hostPath(dir, path), follow, uid, gid)
                        : call(HostSyscall.FCHOWNAT, dir, path.address(), uid, gid, flags, 0));
    }

    static long fchown(Task t, int fd, int uid, int gid) {
        if (GuestPaths.readOnlyFile(t, fd)) return -Errno.EROFS;
        if (t.process.fds.get(fd) instanceof HostFile f && f.keepsMetadata()) {
            return MetadataFiles.chown(t, "/proc/self/fd/" + f.hostFd(), true, uid, gid);
        }
        int h = hostFd(t, fd);
        return h < 0 ? h : call(HostSyscall.FCHOWN, h, uid, gid);
    }

    /** utimensat; a NULL path means the file dirfd refers to. */
    static long utimensat(Task t, int dirfd, long pathAddr, long timesAddr, int flags) {
        long times = buffer(t, timesAddr, 32, PROT_READ);
        // do_utimes: a NULL name means the descriptor itself, unless it is AT_FDCWD (then EFAULT)
        if (pathAddr == 0 && dirfd != AT_FDCWD) {
            if (flags != 0) return -Errno.EINVAL;
            if (GuestPaths.readOnlyFile(t, dirfd)) return -Errno.EROFS;
            int h = hostFd(t, dirfd);
            if (h < 0) return h;
            return call(HostSyscall.UTIMENSAT, h, 0, times, flags, 0, 0);
        }
        return GuestPaths.withPathChanging(t, dirfd, pathAddr, (flags & AT_EMPTY_PATH) != 0, (flags & AT_SYMLINK_NOFOLLOW) == 0,
                (dir, path) -> call(HostSyscall.UTIMENSAT, dir, path.address(), times, flags, 0, 0));
    }

    /** utimes/futimesat: struct timeval[2] becomes the timespec[2] of utimensat. */
    static long futimesat(Task t, int dirfd, long pathAddr, long tvAddr) {
        if (tvAddr == 0) return utimensat(t, dirfd, pathAddr, 0, 0);
        AddressSpace mm = t.process.mm;
        long[] ts = new long[4];
        for (int i = 0; i < 2; i++) {
            long sec = mm.readLong(tvAddr + 16L * i), usec = mm.readLong(tvAddr + 16L * i + 8);
            if (usec < 0 || usec >= 1_000_000) return -Errno.EINVAL;
            ts[2 * i] = sec;
            ts[2 * i + 1] = usec * 1000;
        }
        return utimensWith(t, dirfd, pathAddr, ts);
    }

    /** utime: struct utimbuf {actime, modtime} in whole seconds. */
    static long utime(Task t, long pathAddr, long bufAddr) {
        if (bufAddr == 0) return utimensat(t, AT_FDCWD, pathAddr, 0, 0);
        AddressSpace mm = t.process.mm;
        return utimensWith(t, AT_FDCWD, pathAddr, new long[] {mm.readLong(bufAddr), 0, mm.readLong(bufAddr + 8), 0});
    }

    private static long utimensWith(Task t, int dirfd, long pathAddr, long[] ts) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment times = a.allocateFrom(ValueLayout.JAVA_LONG, ts);
            return GuestPaths.withPath(t, dirfd, pathAddr, false, true,
                    (dir, path) -> call(HostSyscall.UTIMENSAT, dir, path.address(), times.address(), 0, 0, 0));
        }
    }

    // ---- size and sync ----

    static long truncate(Task t, long pathAddr, long length) {
        if (length < 0) return -Errno.EINVAL;
        return GuestPaths.withHostPath(t, pathAddr, true, true, path -> {
            long big = FileSizeLimit.pathGrowTo(t, path, length);
            return big != 0 ? big : call(HostSyscall.TRUNCATE, path.address(), length, 0);
        });
    }

    static long fallocate(Task t, int fd, int mode, long offset, long len) {
        final int FALLOC_FL_KEEP_SIZE = 1;
        int h = hostFd(t, fd);
        if (h < 0) return h;
        // Growing the file past RLIMIT_FSIZE: EFBIG with SIGXFSZ (inode_newsize_ok), once the
        // host has no earlier objection to the arguments.
        if ((mode & FALLOC_FL_KEEP_SIZE) == 0 && offset >= 0 && len > 0) {
            long big = FileSizeLimit.growTo(t, t.process.fds.get(fd), offset + len);
            if (big != 0) return big;
        }
        return call(HostSyscall.FALLOCATE, h, mode, offset, len, 0, 0);
    }

    static long sync() {
        return call(HostSyscall.SYNC, 0, 0, 0);
    }

    static long syncfs(Task t, int fd) {
        int h = hostFd(t, fd);
        return h < 0 ? h : call(HostSyscall.SYNCFS, h, 0, 0);
    }

    static long fadvise(Task t, int fd, long offset, long len, int advice) {
        int h = hostFd(t, fd);
        return h < 0 ? h : call(HostSyscall.FADVISE64, h, offset, len, advice, 0, 0);
    }

    // ---- names ----

    static long renameat2(Task t, int olddirfd, long oldAddr, int newdirfd, long newAddr, int flags) {
        final int NOREPLACE = 1, EXCHANGE = 2, WHITEOUT = 4;
        // do_renameat2 checks the flags before either name is looked up
        if ((flags & ~(NOREPLACE | EXCHANGE | WHITEOUT)) != 0) return -Errno.EINVAL;
        if ((flags & (NOREPLACE | WHITEOUT)) != 0 && (flags & EXCHANGE) != 0) return -Errno.EINVAL;
        long[] err = new long[1];
        byte[] oldName = GuestPaths.read(t, oldAddr, err), newName = oldName == null ? null : GuestPaths.read(t, newAddr, err);
        if (oldName == null || newName == null) return err[0];
        if (oldName.length == 0 || newName.length == 0) return -Errno.ENOENT; // getname refuses an empty name
        // both parents first, then a last component "." or ".." (EBUSY, or EEXIST for a new name under
        // NOREPLACE), then the names themselves (do_renameat2)
        long parents = GuestPaths.parentError(t, olddirfd, oldName);
        if (parents == 0) parents = GuestPaths.parentError(t, newdirfd, newName);
        if (parents != 0) return parents;
        if (oldName.length > 0 && newName.length > 0) {
            if (GuestPaths.endsInDots(oldName)) return -Errno.EBUSY;
            if (GuestPaths.endsInDots(newName)) return (flags & NOREPLACE) != 0 ? -Errno.EEXIST : -Errno.EBUSY;
        }
        if (t.rooted() != null && (GuestPaths.endsInSlash(oldName) || GuestPaths.endsInSlash(newName))) {
            long e = trailingSlashOrder(t, olddirfd, oldName, newdirfd, newName, flags);
            if (e != 0) return e;
        }
        // within one mount, a mount point (--tmpfs or --mount target, /proc, /dev) is EBUSY; across mounts EXDEV comes first
        String fromMount = GuestPaths.mountOf(t, olddirfd, oldName, true), toMount = GuestPaths.mountOf(t, newdirfd, newName, true);
        if (fromMount != null && fromMount.equals(toMount) && (GuestPaths.isMountPoint(t, olddirfd, oldName) || GuestPaths.isMountPoint(t, newdirfd, newName))) {
            return -Errno.EBUSY;
        }
        return GuestPaths.withTwoPaths(t, olddirfd, oldAddr, false, newdirfd, newAddr, (d1, from, d2, to) ->
                call(HostSyscall.RENAMEAT2, d1, from.address(), d2, to.address(), flags, 0));
    }

    /**
     * do_renameat2 after the parents: the source must exist, a NOREPLACE target must not, an
     * EXCHANGE target must, and only then do trailing slashes on non-directories give ENOTDIR.
     */
    private static long trailingSlashOrder(Task t, int olddirfd, byte[] oldName, int newdirfd, byte[] newName, int flags) {
        final int NOREPLACE = 1, EXCHANGE = 2, S_IFDIR = 0040000;
        int from = GuestPaths.lastNameType(t, olddirfd, oldName);
        if (from < 0) return from;
        int to = GuestPaths.lastNameType(t, newdirfd, newName);
        if (to < 0 && to != -Errno.ENOENT) return to;
        if ((flags & NOREPLACE) != 0 && to >= 0) return -Errno.EEXIST;
        if ((flags & EXCHANGE) != 0) {
            if (to < 0) return -Errno.ENOENT;
            if (to != S_IFDIR && GuestPaths.endsInSlash(newName)) return -Errno.ENOTDIR;
        }
        if (from != S_IFDIR) {
            if (GuestPaths.endsInSlash(oldName)) return -Errno.ENOTDIR;
            if ((flags & EXCHANGE) == 0 && GuestPaths.endsInSlash(newName)) return -Errno.ENOTDIR;
        }
        return 0;
    }

    /** mknod: FIFOs, sockets and regular files; device nodes need privileges a guest does not get. */
    static long mknodat(Task t, int dirfd, long pathAddr, int mode, long dev) {
        int type = mode & S_IFMT;
        if (type == S_IFCHR || type == S_IFBLK) {
            int m = type | (mode & 07777 & ~t.process.fs.umask());
            return GuestPaths.withMountedPath(t, dirfd, pathAddr, false, false, true, (dir, path, mount) ->
                    MetadataFiles.kept(mount) ? MetadataFiles.mknodDevice(t, dir, path, m, dev) : -Errno.EPERM);
        }
        if (type != 0 && type != S_IFREG && type != S_IFIFO && type != S_IFSOCK) return -Errno.EINVAL;
        int m = (mode & ~07777) | (mode & 07777 & ~t.process.fs.umask());
        return GuestPaths.withPathCreating(t, dirfd, pathAddr,
                (dir, path) -> call(HostSyscall.MKNODAT, dir, path.address(), m, 0, 0, 0));
    }

    // ---- extended attributes ----

    /** getxattr/lgetxattr (nofollow) on a path. */
    static long getxattr(Task t, long pathAddr, long nameAddr, long valueAddr, long size, boolean nofollow) {
        return withName(t, nameAddr, Errno.ENODATA, name -> GuestPaths.withHostPath(t, pathAddr, !nofollow, false, path ->
                call(nofollow ? HostSyscall.LGETXATTR : HostSyscall.GETXATTR, path.address(), name,
                        buffer(t, valueAddr, size, PROT_WRITE), size, 0, 0)));
    }

    static long fgetxattr(Task t, int fd, long nameAddr, long valueAddr, long size) {
        int h = hostFd(t, fd);
        if (h < 0) return h;
        return withName(t, nameAddr, Errno.ENODATA, name -> call(HostSyscall.FGETXATTR, h, name, buffer(t, valueAddr, size, PROT_WRITE), size, 0, 0));
    }

    static long listxattr(Task t, long pathAddr, long listAddr, long size, boolean nofollow) {
        return GuestPaths.withHostPath(t, pathAddr, !nofollow, false, path -> withoutReserved(t, listAddr, size,
                (buf, len) -> call(nofollow ? HostSyscall.LLISTXATTR : HostSyscall.LISTXATTR, path.address(), buf, len)));
    }

    static long flistxattr(Task t, int fd, long listAddr, long size) {
        int h = hostFd(t, fd);
        return h < 0 ? h : withoutReserved(t, listAddr, size, (buf, len) -> call(HostSyscall.FLISTXATTR, h, buf, len));
    }

    static long setxattr(Task t, long pathAddr, long nameAddr, long valueAddr, long size, int flags, boolean nofollow) {
        return withName(t, nameAddr, Errno.EPERM, name -> GuestPaths.withHostPath(t, pathAddr, !nofollow, true, path ->
                call(nofollow ? HostSyscall.LSETXATTR : HostSyscall.SETXATTR, path.address(), name,
                        buffer(t, valueAddr, size, PROT_READ), size, flags, 0)));
    }

    static long fsetxattr(Task t, int fd, long nameAddr, long valueAddr, long size, int flags) {
        if (GuestPaths.readOnlyFile(t, fd)) return -Errno.EROFS;
        int h = hostFd(t, fd);
        if (h < 0) return h;
        return withName(t, nameAddr, Errno.EPERM, name -> call(HostSyscall.FSETXATTR, h, name, buffer(t, valueAddr, size, PROT_READ), size, flags, 0));
    }

    static long removexattr(Task t, long pathAddr, long nameAddr, boolean nofollow) {
        return withName(t, nameAddr, Errno.ENODATA, name -> GuestPaths.withHostPath(t, pathAddr, !nofollow, true, path ->
                call(nofollow ? HostSyscall.LREMOVEXATTR : HostSyscall.REMOVEXATTR, path.address(), name, 0)));
    }

    static long fremovexattr(Task t, int fd, long nameAddr) {
        if (GuestPaths.readOnlyFile(t, fd)) return -Errno.EROFS;
        int h = hostFd(t, fd);
        if (h < 0) return h;
        return withName(t, nameAddr, Errno.ENODATA, name -> call(HostSyscall.FREMOVEXATTR, h, name, 0));
    }

    private static final byte[] RESERVED = dev.lxrun.vfs.mount.LinuxMetadata.ATTRIBUTE.getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private interface ListOp {
        long apply(long buf, long len);
    }

    /** A listxattr answer without lxrun's own attribute: fetched whole, filtered, then sized for the caller. */
    private static long withoutReserved(Task t, long listAddr, long size, ListOp op) {
        long n = op.apply(0, 0);
        if (n <= 0) return n;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment all = a.allocate(n);
            n = op.apply(all.address(), n);
            if (n < 0) return n;
            java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
            byte[] bytes = all.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
            for (int start = 0, i = 0; i < bytes.length; i++) {
                if (bytes[i] != 0) continue;
                byte[] one = java.util.Arrays.copyOfRange(bytes, start, i);
                if (!java.util.Arrays.equals(one, RESERVED)) kept.write(bytes, start, i - start + 1);
                start = i + 1;
            }
            byte[] out = kept.toByteArray();
            if (size == 0) return out.length;
            if (size < out.length) return -Errno.ERANGE;
            if (out.length > 0) t.process.mm.copyIn(listAddr, MemorySegment.ofArray(out), true);
            return out.length;
        }
    }

    private interface NameOp {
        long apply(long hostName);
    }

    /** The attribute lxrun keeps Linux metadata in is not the guest's: reserved answers that errno. */
    private static long withName(Task t, long nameAddr, int reservedErrno, NameOp op) {
        if (nameAddr == 0) return -Errno.EFAULT;
        byte[] name = t.process.mm.readCString(nameAddr, 256);
        if (name == null) return -Errno.ERANGE;
        if (name.length == 0) return -Errno.ERANGE;
        if (java.util.Arrays.equals(name, RESERVED)) return -reservedErrno;
        try (Arena a = Arena.ofConfined()) {
            return op.apply(HostPosix.cString(a, name).address());
        }
    }


    // ---- pipes and in-kernel copies ----

    static long pipe2(Task t, long fdsAddr, int flags) {
        final int O_NOTIFICATION_PIPE = 0200; // O_EXCL
        if ((flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT | O_NOTIFICATION_PIPE)) != 0) return -Errno.EINVAL;
        // no watch queues here: what a kernel built without CONFIG_WATCH_QUEUE says
        if ((flags & O_NOTIFICATION_PIPE) != 0) return -Errno.ENOPKG;
        t.process.mm.checkAccess(fdsAddr, 8, PROT_WRITE);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(8);
            long r = call(HostSyscall.PIPE2, fds.address(), (flags & ~O_CLOEXEC) | O_CLOEXEC, 0);
            if (r < 0) return r;
            int rd = fds.get(ValueLayout.JAVA_INT, 0), wr = fds.get(ValueLayout.JAVA_INT, 4);
            boolean cloexec = (flags & O_CLOEXEC) != 0;
            int g0 = t.process.fds.install(new HostFile(rd), cloexec, 0);
            if (g0 < 0) {
                HostPosix.close(rd);
                HostPosix.close(wr);
                return g0;
            }
            int g1 = t.process.fds.install(new HostFile(wr), cloexec, 0);
            if (g1 < 0) {
                t.process.fds.close(g0);
                HostPosix.close(wr);
                return g1;
            }
            t.process.mm.writeInt(fdsAddr, g0);
            t.process.mm.writeInt(fdsAddr + 4, g1);
            return 0;
        }
    }

    static long sendfile(Task t, int outFd, int inFd, long offsetAddr, long count) {
        int out = hostFd(t, outFd), in = hostFd(t, inFd);
        if (out < 0) return out;
        if (in < 0) return in;
        var outFile = t.process.fds.get(outFd);
        // A blocking sendfile into a full pipe or socket waits in lxrun's interruptible way first.
        long ready = GuestIo.waitReady(t, outFile, GuestIo.POLLOUT);
        if (ready != 0) return ready;
        dev.lxrun.kernel.net.GuestSocket.beforeSend(t, outFile);
        long n = FileSizeLimit.allowed(t, outFile, -1, count);
        if (n < 0) return n;
        // Into a pipe nobody reads (or a closed socket) Linux raises SIGPIPE with the EPIPE.
        long moved = call(HostSyscall.SENDFILE, out, in, buffer(t, offsetAddr, 8, PROT_READ | PROT_WRITE), n, 0, 0);
        return SysFile.brokenPipe(t, FileSizeLimit.afterCut(t, count, n, moved));
    }

    static long copyFileRange(Task t, int inFd, long inOffAddr, int outFd, long outOffAddr, long len, int flags) {
        int out = hostFd(t, outFd), in = hostFd(t, inFd);
        if (out < 0) return out;
        if (in < 0) return in;
        long n = FileSizeLimit.allowedAt(t, t.process.fds.get(outFd), outOffAddr, len);
        if (n < 0) return n;
        return call(HostSyscall.COPY_FILE_RANGE, in, buffer(t, inOffAddr, 8, PROT_READ | PROT_WRITE), out,
                buffer(t, outOffAddr, 8, PROT_READ | PROT_WRITE), n, flags);
    }

    /** close_range: closes [first, last], or with CLOSE_RANGE_CLOEXEC marks them close-on-exec. */
    static long closeRange(Task t, int first, int last, int flags) {
        final int CLOSE_RANGE_UNSHARE = 2, CLOSE_RANGE_CLOEXEC = 4;
        if ((flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) != 0) return -Errno.EINVAL;
        if (Integer.compareUnsigned(first, last) > 0) return -Errno.EINVAL;
        if ((flags & CLOSE_RANGE_UNSHARE) != 0) t.process.unshareFiles();
        int top = Math.min(Integer.toUnsignedLong(last) > 65536 ? 65536 : last, 65536);
        for (int fd = first; fd >= 0 && fd <= top; fd++) {
            if (t.process.fds.get(fd) == null) continue;
            if ((flags & CLOSE_RANGE_CLOEXEC) != 0) t.process.fds.setCloseOnExec(fd, true);
            else t.process.fds.close(fd);
        }
        return 0;
    }
}
