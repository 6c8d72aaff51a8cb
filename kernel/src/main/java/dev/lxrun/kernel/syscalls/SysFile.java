package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.ControllingTerminal;
import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.mm.AddressSpace;
import dev.lxrun.kernel.net.GuestSocket;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.FileDescription;
import dev.lxrun.vfs.HostFile;
import dev.lxrun.vfs.host.HostPosix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/** File I/O and file-descriptor syscalls: read/write family, open/close, stat, seek, dup, fcntl, ioctl. */
final class SysFile {
    private static final int PROT_READ = 1, PROT_WRITE = 2;
    /** The JVM never takes a file the guest opens as its own controlling terminal. */
    private static final int O_NOCTTY = 0400;
    static final int O_CREAT = 0100, O_CLOEXEC = 02000000, O_TMPFILE = 020200000, O_PATH = 010000000, O_DIRECTORY = 0200000, O_NOFOLLOW = 0400000;
    private static final int AT_EMPTY_PATH = 0x1000;

    private SysFile() {}

    static FileDescription file(Task t, int fd) {
        return t.process.fds.get(fd);
    }

    // ---- read / write ----

    static long read(Task t, int fd, long buf, long count) {
        FileDescription f = file(t, fd);
        if (f == null) return -Errno.EBADF;
        if (!GuestIo.userRange(buf, count)) return outsideUserSpace(f, false);
        if (f instanceof dev.lxrun.kernel.SignalFd s) return SysSignalFd.read(t, s, buf, count);
        if (f.getClass() == HostFile.class && f.mayBlock()) {
            long check = terminalRead(t, f);
            return check != 0 ? check : GuestIo.pipeIo(t, (HostFile) f, buf, count, false);
        }
        long ready = GuestIo.waitReady(t, f, GuestIo.POLLIN);
        if (ready != 0) return ready;
        return GuestIo.fileTransfer(t, f, buf, count, PROT_WRITE, seg -> f.read(seg));
    }

    /** Before reading f: 0, or what a background job reading its controlling terminal gets (SIGTTIN). */
    private static long terminalRead(Task t, FileDescription f) {
        if (!f.mayBlock()) return 0;
        ControllingTerminal tty = terminalOf(t, f);
        return tty != null && !SysPty.isMaster(f) ? tty.readFromBackground(t) : 0;
    }

    /** The terminal f is: lxrun's own (see ControllingTerminal), a guest pty (either end), or null. */
    private static ControllingTerminal terminalOf(Task t, FileDescription f) {
        if (!(f instanceof HostFile h)) return null;
        if (t.process.kernel.terminal.is(h.characterDevice())) return t.process.kernel.terminal;
        return SysPty.terminalOf(t, f);
    }

    static long write(Task t, int fd, long buf, long count) {
        FileDescription f = file(t, fd);
        if (f == null) return -Errno.EBADF;
        if (!GuestIo.userRange(buf, count)) return outsideUserSpace(f, true);
        if (f.getClass() == HostFile.class && f.mayBlock()) {
            long r = GuestIo.pipeIo(t, (HostFile) f, buf, count, true);
            SysPty.input(t, f, buf, r);
            return brokenPipe(t, r);
        }
        long ready = GuestIo.waitReady(t, f, GuestIo.POLLOUT);
        if (ready != 0) return ready;
        GuestSocket.beforeSend(t, f);
        long n = FileSizeLimit.allowed(t, f, -1, count);
        if (n < 0) return n;
        return FileCodeWrites.after(t, f, brokenPipe(t, GuestIo.fileTransfer(t, f, buf, n, PROT_READ, seg -> f.write(seg))));
    }

    /** A buffer access_ok refuses: EFAULT before any wait, once the access mode is right (vfs_read, vfs_write). */
    private static long outsideUserSpace(FileDescription f, boolean write) {
        long e = GuestIo.notOpenFor(f, write);
        return e != 0 ? e : -Errno.EFAULT;
    }

    /** A write to a pipe nobody reads raises SIGPIPE as well as returning EPIPE. */
    static long brokenPipe(Task t, long result) {
        if (result == -Errno.EPIPE) dev.lxrun.kernel.SignalPosting.post(t.process, dev.lxrun.kernel.Signals.SIGPIPE);
        return result;
    }

    static long pread(Task t, int fd, long buf, long count, long offset) {
        if (offset < 0) return -Errno.EINVAL; // ksys_pread64 checks the offset before the descriptor
        FileDescription f = file(t, fd);
        if (f == null) return -Errno.EBADF;
        if (!GuestIo.userRange(buf, count)) return beforeBuffer(f.pread(MemorySegment.NULL, offset), -Errno.EFAULT);
        try {
            return GuestIo.fileTransfer(t, f, buf, count, PROT_WRITE, seg -> f.pread(seg, offset));
        } catch (dev.lxrun.kernel.mm.GuestFault fault) {
            return beforeBuffer(f.pread(MemorySegment.NULL, offset), fault);
        }
    }

    static long pwrite(Task t, int fd, long buf, long count, long offset) {
        if (offset < 0) return -Errno.EINVAL;
        FileDescription f = file(t, fd);
        if (f == null) return -Errno.EBADF;
        if (f instanceof dev.lxrun.kernel.pseudo.PseudoFile p && p.refusesPositionedWrite()) return -Errno.ESPIPE;
        // no positioned write on a pipe (ESPIPE), then the access mode, before access_ok's EFAULT
        if (!GuestIo.userRange(buf, count)) return beforeBuffer(f.pwrite(MemorySegment.NULL, offset), -Errno.EFAULT);
        long r, n = FileSizeLimit.allowed(t, f, offset, count);
        if (n < 0) return n;
        try {
            r = GuestIo.fileTransfer(t, f, buf, n, PROT_READ, seg -> f.pwrite(seg, offset));
        } catch (dev.lxrun.kernel.mm.GuestFault fault) {
            return beforeBuffer(f.pwrite(MemorySegment.NULL, offset), fault);
        }
        return FileCodeWrites.after(t, f, r);
    }

    /**
     * A bad buffer is found after what Linux checks of the file first: no positioned I/O on a
     * pipe or socket (ESPIPE), a file not open for it (EBADF), one that cannot do it (EINVAL).
     * probe is the same call with no bytes; fault is the buffer's, thrown when none of those.
     */
    private static long beforeBuffer(long probe, dev.lxrun.kernel.mm.GuestFault fault) {
        if (probe == -Errno.ESPIPE || probe == -Errno.EBADF || probe == -Errno.EINVAL) return probe;
        throw fault;
    }

    /** As above for a buffer outside user space: the probe's error, else efault. */
    private static long beforeBuffer(long probe, long efault) {
        return probe == -Errno.ESPIPE || probe == -Errno.EBADF || probe == -Errno.EINVAL ? probe : efault;
    }

    /** The bytes an iovec array asks for (negative lengths count as 0: VectorIo refuses them). */
    private static long iovTotal(Task t, long iov, long iovcnt) {
        long total = 0;
        try {
            for (int i = 0; i < iovcnt; i++) total += Math.max(0, t.process.mm.readLong(iov + 16L * i + 8));
        } catch (dev.lxrun.kernel.mm.GuestFault e) {
            return VectorIo.MAX_RW; // VectorIo reports the fault
        }
        return Math.min(total, VectorIo.MAX_RW);
    }

    static long readv(Task t, int fd, long iov, long iovcnt, boolean write, long offset) {
        return readv(t, fd, iov, iovcnt, write, offset, 0);
    }

    /**
     * readv/writev/preadv/pwritev (offset -1: the file position) and preadv2/pwritev2 (rwf: their
     * RWF_* flags). A host file takes the whole iovec array in one host call (VectorIo), as Linux
     * moves it in one transfer; other files, a pty master (whose input lxrun scans for signal
     * characters) go iovec by iovec.
     */
    static long readv(Task t, int fd, long iov, long iovcnt, boolean write, long offset, int rwf) {
        FileDescription f = file(t, fd);
        if (f == null) return -Errno.EBADF;
        if (iovcnt < 0 || iovcnt > 1024) return -Errno.EINVAL;
        if (offset < 0) {
            long check = write ? 0 : terminalRead(t, f);
            if (check != 0) return check;
        }
        boolean oneCall = f instanceof HostFile && !SysPty.isMaster(f);
        if (write && offset < 0) GuestSocket.beforeSend(t, f);
        if (oneCall) {
            HostFile h = (HostFile) f;
            long cap = VectorIo.MAX_RW;
            if (write && t.process.rlimits.cur(dev.lxrun.kernel.Rlimits.FSIZE) != dev.lxrun.kernel.Rlimits.INFINITY) {
                long allowed = FileSizeLimit.allowed(t, f, offset, iovTotal(t, iov, iovcnt));
                if (allowed < 0) return allowed;
                cap = Math.min(cap, allowed);
            }
            long r = VectorIo.transfer(t, h, iov, (int) iovcnt, write, offset, rwf, cap);
            return write ? FileCodeWrites.after(t, f, brokenPipe(t, r)) : r;
        }
        if (rwf != 0) return SysSplice.readv2ByIovec(t, f, iov, iovcnt, offset, rwf, write);
        if (offset < 0) {
            long ready = GuestIo.waitReady(t, f, write ? GuestIo.POLLOUT : GuestIo.POLLIN);
            if (ready != 0) return ready;
        }
        AddressSpace mm = t.process.mm;
        long total = 0;
        for (int i = 0; i < iovcnt; i++) {
            long base = mm.readLong(iov + 16L * i), len = mm.readLong(iov + 16L * i + 8);
            if (len < 0) return -Errno.EINVAL;
            if (len == 0) continue;
            final long off = offset < 0 ? -1 : offset + total;
            long r = GuestIo.transfer(t, base, len, write ? PROT_READ : PROT_WRITE, seg -> write
                    ? (off < 0 ? f.write(seg) : f.pwrite(seg, off))
                    : (off < 0 ? f.read(seg) : f.pread(seg, off)));
            if (r < 0) return total > 0 ? (write ? FileCodeWrites.after(t, f, total) : total) : (write ? brokenPipe(t, r) : r);
            if (write && offset < 0) SysPty.input(t, f, base, r);
            total += r;
            if (r < len) break;
        }
        return write ? FileCodeWrites.after(t, f, total) : total;
    }

    // ---- open / close ----

    /**
     * What open(2) passes on, as build_open_how makes it: unknown bits dropped, O_PATH keeping only
     * O_DIRECTORY, O_NOFOLLOW and O_CLOEXEC, and O_NOCTTY (lxrun's terminal is never acquired by
     * open). The host's openat2, used under --root, refuses what openat ignores.
     */
    private static int hostOpenFlags(int flags) {
        final int VALID_OPEN_FLAGS = 037777703;
        int f = flags & VALID_OPEN_FLAGS;
        return (f & O_PATH) != 0 ? f & (O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : f | O_NOCTTY;
    }

    static long openat(Task t, int dirfd, long pathAddr, int flags, int mode) {
        // build_open_flags comes before the name: O_TMPFILE needs O_DIRECTORY without O_CREAT, and write access
        final int TMPFILE_BIT = 020000000;
        if ((flags & O_PATH) == 0 && (flags & TMPFILE_BIT) != 0
                && ((flags & (O_TMPFILE | O_CREAT)) != O_TMPFILE || (flags & 3) == 0)) {
            return -Errno.EINVAL;
        }
        long[] err = new long[1];
        byte[] path = GuestPaths.read(t, pathAddr, err);
        if (path == null) return err[0];
        if (path.length == 0) return -Errno.ENOENT;
        if ((flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE) mode &= ~t.process.fs.umask();
        if ((flags & (O_CREAT | O_PATH)) == O_CREAT && (flags & O_TMPFILE) != O_TMPFILE && t.rooted() != null
                && (GuestPaths.endsInSlash(path) || GuestPaths.endsInDots(path))) {
            // open_last_lookups: O_CREAT on a name ending in "/" is EISDIR once the parent is found;
            // on "." or ".." do_open says EEXIST for O_EXCL, else EISDIR
            long parent = GuestPaths.parentError(t, dirfd, path);
            if (parent != 0) return parent;
            final int O_EXCL = 0200;
            return GuestPaths.endsInDots(path) && (flags & O_EXCL) != 0 ? -Errno.EEXIST : -Errno.EISDIR;
        }
        MagicDirs.Via via = MagicDirs.rewrite(t, dirfd, path, (flags & O_NOFOLLOW) == 0);
        if (via == null) {
            Long pseudo = SysPseudo.open(t, dirfd, path, flags, mode);
            if (pseudo != null) return pseudo;
            String ptyTty = SysPty.devTty(t, path);
            if (ptyTty != null) path = ptyTty.getBytes(StandardCharsets.ISO_8859_1);
        }
        int host;
        HostFile file = null;
        if (t.rooted() != null) {
            dev.lxrun.kernel.RootedPaths.Opened opened;
            if (via != null) {
                opened = via.open(t, hostOpenFlags(flags), mode & 07777);
            } else {
                var start = path[0] == '/' ? null : GuestPaths.start(t, dirfd, err);
                if (start == null && err[0] != 0) return err[0];
                opened = t.rooted().openFile(new String(path, StandardCharsets.ISO_8859_1), hostOpenFlags(flags), mode & 07777, start);
            }
            host = opened.fd();
            if (host >= 0 && MetadataFiles.kept(opened.mount()) && (flags & O_PATH) == 0) {
                Integer device = MetadataFiles.openDevice(host, flags);
                if (device != null) {
                    HostPosix.close(host);
                    host = device;
                    if (host < 0) return host;
                    opened = new dev.lxrun.kernel.RootedPaths.Opened(host, null);
                }
            }
            if (host >= 0) file = new HostFile(host, null, opened.mount());
        } else {
            int dir = GuestPaths.dirFd(t, dirfd, path);
            if (dir < 0 && dir != HostPosix.AT_FDCWD) return dir;
            try (Arena a = Arena.ofConfined()) {
                host = HostPosix.openat(dir, HostPosix.cString(a, path), flags | O_CLOEXEC | O_NOCTTY, mode & 07777);
            }
        }
        if (host < 0) return host;
        if (file == null) file = new HostFile(host);
        int fd = t.process.fds.install(file, (flags & O_CLOEXEC) != 0, 0);
        if (fd < 0) HostPosix.close(host);
        else if (SysPty.mayBePty(path)) SysPty.opened(t, file, flags);
        return fd;
    }

    static long close(Task t, int fd) {
        return t.process.fds.close(fd);
    }

    // ---- stat ----

    static long fstat(Task t, int fd, long statAddr) {
        FileDescription f = file(t, fd);
        if (f == null) return -Errno.EBADF;
        // straight into guest memory only when it is aligned as struct stat is: the file
        // descriptions read and patch it with aligned accesses (fuzz: a buffer at ...064 was an internal error)
        MemorySegment buf = (statAddr & 7) == 0 ? t.process.mm.direct(statAddr, 144, PROT_WRITE) : null;
        if (buf != null) return f.stat(buf);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment tmp = a.allocate(144);
            int r = f.stat(tmp);
            if (r == 0) t.process.mm.copyIn(statAddr, tmp, true);
            return r;
        }
    }

    static long fstatat(Task t, int dirfd, long pathAddr, long statAddr, int flags) {
        long[] err = new long[1];
        byte[] path;
        try {
            path = pathAddr == 0 && (flags & AT_EMPTY_PATH) != 0 ? new byte[0] : GuestPaths.read(t, pathAddr, err);
        } catch (dev.lxrun.kernel.mm.GuestFault fault) {
            path = null;
            err[0] = -Errno.EFAULT;
        }
        // vfs_fstatat (6.18): an empty (or NULL) name with AT_EMPTY_PATH is fstat of the
        // descriptor (a dirfd >= 0), whatever the other flags; else vfs_statx takes AT_SYMLINK_NOFOLLOW,
        // AT_NO_AUTOMOUNT, AT_EMPTY_PATH and the AT_STATX_SYNC bits only, before the name's errors
        if (path != null && path.length == 0 && (flags & AT_EMPTY_PATH) != 0 && dirfd >= 0) return fstat(t, dirfd, statAddr);
        if ((flags & ~(0x100 | 0x800 | AT_EMPTY_PATH | 0x6000)) != 0) return -Errno.EINVAL;
        if (path == null) return err[0];
        if (path.length == 0 && (flags & AT_EMPTY_PATH) == 0) return -Errno.ENOENT;
        if (path.length == 0 && dirfd < 0 && dirfd != GuestPaths.AT_FDCWD) return -Errno.EBADF;
        if (path.length == 0 && pathAddr == 0 && dirfd == GuestPaths.AT_FDCWD) return statOfCwd(t, statAddr);
        Long pseudo = SysPseudo.stat(t, dirfd, path, flags, statAddr);
        if (pseudo != null) return pseudo;
        return GuestPaths.withMountedPath(t, dirfd, pathAddr, true, (flags & 0x100) == 0, false, (dir, cpath, mount) -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment tmp = a.allocate(144);
                int r = HostPosix.fstatat(dir, cpath, tmp, flags);
                if (r == 0 && MetadataFiles.kept(mount)) MetadataFiles.overlayStat(t, GuestPaths.hostPath(dir, cpath), (flags & 0x100) == 0, tmp);
                if (r == 0) t.process.mm.copyIn(statAddr, tmp, true);
                return r;
            }
        });
    }

    /** newfstatat(AT_FDCWD, NULL, AT_EMPTY_PATH): the working directory, as an empty name would be. */
    private static long statOfCwd(Task t, long statAddr) {
        int cwd = t.process.fs.cwdFd();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment tmp = a.allocate(144), empty = HostPosix.cString(a, new byte[0]);
            int r = HostPosix.fstatat(cwd, empty, tmp, AT_EMPTY_PATH);
            if (r == 0 && MetadataFiles.kept(t.process.fs.cwdMount())) MetadataFiles.overlayStat(t, GuestPaths.hostPath(cwd, empty), true, tmp);
            if (r == 0) t.process.mm.copyIn(statAddr, tmp, true);
            return r;
        }
    }

    // ---- directory, links, access ----

    /**
     * The old getdents: struct linux_dirent (d_ino, d_off, d_reclen, d_name, then d_type in the
     * record's last byte), made from getdents64's records; each is at most as long as its
     * dirent64, so what the host fills into a buffer of the guest's size always fits.
     */
    static long getdents(Task t, int fd, long buf, long count) {
        FileDescription f = file(t, fd);
        if (f == null) return -Errno.EBADF;
        int size = (int) Math.min(Math.max(count, 0), 1 << 20);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment tmp = a.allocate(Math.max(size, 1));
            long n = f.getdents64(tmp.asSlice(0, size));
            if (n <= 0) return n;
            if (f instanceof HostFile h && h.keepsMetadata()) MetadataFiles.fixEntryTypes(h.hostFd(), tmp.asSlice(0, n));
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (long p = 0; p < n; ) {
                long ino = tmp.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, p);
                long off = tmp.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, p + 8);
                int reclen64 = Short.toUnsignedInt(tmp.get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, p + 16));
                byte type = tmp.get(java.lang.foreign.ValueLayout.JAVA_BYTE, p + 18);
                long nameAt = p + 19, nameLen = 0;
                while (tmp.get(java.lang.foreign.ValueLayout.JAVA_BYTE, nameAt + nameLen) != 0) nameLen++;
                int reclen = (int) ((18 + nameLen + 2 + 7) & ~7L);
                java.nio.ByteBuffer r = java.nio.ByteBuffer.allocate(reclen).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                r.putLong(ino).putLong(off).putShort((short) reclen);
                r.put(tmp.asSlice(nameAt, nameLen).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                r.put(reclen - 1, type);
                out.writeBytes(r.array());
                p += reclen64;
            }
            t.process.mm.writeBytes(buf, out.toByteArray());
            return out.size();
        }
    }

    static long getdents64(Task t, int fd, long buf, long countArg) {
        long count = countArg & 0xffffffffL; // an unsigned int
        // no access_ok over the whole count: filldir64 checks each entry it writes, so a count
        // reaching past user space is what fits below its end
        if (Long.compareUnsigned(buf, AddressSpace.TASK_SIZE) < 0) count = Math.min(count, AddressSpace.TASK_SIZE - buf);
        FileDescription f = file(t, fd);
        if (f == null) return -Errno.EBADF;
        if (!GuestIo.userRange(buf, count)) {
            // a buffer in kernel space: fdget refuses O_PATH, iterate_dir a non-directory, then the copy faults
            if ((f.statusFlags() & O_PATH) != 0) return -Errno.EBADF;
            return isDirectory(f) ? -Errno.EFAULT : -Errno.ENOTDIR;
        }
        try {
            if (f instanceof HostFile h) {
                // the host fills what fits of a buffer that runs into unmapped memory, as filldir64 does
                return GuestIo.fileTransfer(t, f, buf, count, PROT_WRITE, seg -> {
                    long n = f.getdents64(seg);
                    if (n > 0 && h.keepsMetadata()) MetadataFiles.fixEntryTypes(h.hostFd(), seg.asSlice(0, n));
                    return n;
                });
            }
            return GuestIo.transfer(t, buf, count, PROT_WRITE, f::getdents64);
        } catch (dev.lxrun.kernel.mm.GuestFault fault) {
            // iterate_dir refuses a file that is no directory before anything is copied out
            if (!isDirectory(f)) return -Errno.ENOTDIR;
            throw fault;
        }
    }

    private static boolean isDirectory(FileDescription f) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(144);
            return f.stat(st) != 0 || (st.get(java.lang.foreign.ValueLayout.JAVA_INT, 24) & 0170000) == 0040000;
        }
    }

    static long readlinkat(Task t, int dirfd, long pathAddr, long buf, long bufsiz) {
        int size = (int) bufsiz; // an int in do_readlinkat, checked before the name is read
        if (size <= 0) return -Errno.EINVAL;
        long[] err = new long[1];
        byte[] path = GuestPaths.read(t, pathAddr, err);
        if (path == null) return err[0];
        Long pseudo = SysPseudo.readlink(t, dirfd, path, buf, size);
        if (pseudo != null) return pseudo;
        if (path.length == 0) return -Errno.ENOENT;
        // The link is looked up and read before its text is copied out: a bad buffer is EFAULT
        // only for a name that is a symbolic link.
        return GuestPaths.withPath(t, dirfd, pathAddr, false, false, (dir, cpath) -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment tmp = a.allocate(Math.min(size, 4096));
                long n = HostPosix.readlinkat(dir, cpath, tmp);
                if (n > 0) t.process.mm.copyIn(buf, tmp.asSlice(0, n), true);
                return n;
            }
        });
    }

    static long faccessat(Task t, int dirfd, long pathAddr, int mode, int flags) {
        // do_faccessat checks the mode and the flags before the name
        if ((mode & ~7) != 0 || (flags & ~(0x200 | 0x100 | AT_EMPTY_PATH)) != 0) return -Errno.EINVAL;
        long[] err = new long[1];
        byte[] path = GuestPaths.read(t, pathAddr, err);
        if (path == null) return err[0];
        if (path.length == 0 && (flags & AT_EMPTY_PATH) == 0) return -Errno.ENOENT;
        Long pseudo = SysPseudo.access(t, dirfd, path, mode, flags);
        if (pseudo != null) return pseudo;
        final int AT_EACCESS = 0x200, FACCESSAT2 = 439;
        // access(2) checks with the real ids, AT_EACCESS with the effective ones (the thread's fs ids).
        return GuestPaths.withPath(t, dirfd, pathAddr, true, (flags & 0x100) == 0, (dir, cpath) -> (flags & AT_EACCESS) != 0
                ? HostPosix.faccessat(dir, cpath, mode, flags)
                : dev.lxrun.kernel.HostCredentials.withRealIds(t.process.creds, () -> dev.lxrun.vfs.host.HostSyscall.call(
                        FACCESSAT2, dir, cpath.address(), mode, flags | AT_EACCESS, 0, 0)));
    }

    static long mkdirat(Task t, int dirfd, long pathAddr, int mode) {
        long[] err = new long[1];
        byte[] path = GuestPaths.read(t, pathAddr, err);
        if (path == null) return err[0];
        if (path.length == 0) return -Errno.ENOENT;
        return GuestPaths.withPathCreating(t, dirfd, pathAddr,
                (dir, cpath) -> HostPosix.mkdirat(dir, cpath, mode & ~t.process.fs.umask() & 07777));
    }

    static long unlinkat(Task t, int dirfd, long pathAddr, int flags) {
        if ((flags & ~0x200) != 0) return -Errno.EINVAL; // AT_REMOVEDIR only, checked before the name is read
        long[] err = new long[1];
        byte[] path = GuestPaths.read(t, pathAddr, err);
        if (path == null) return err[0];
        if (path.length == 0) return -Errno.ENOENT;
        // a mount point (a --tmpfs or --mount target, /proc, /dev, the root) cannot be removed
        if ((flags & 0x200) != 0 && !GuestPaths.endsInDots(path) && GuestPaths.isMountPoint(t, dirfd, path)) return -Errno.EBUSY;
        return GuestPaths.withPathChanging(t, dirfd, pathAddr, false, false, (dir, cpath) -> HostPosix.unlinkat(dir, cpath, flags));
    }

    static long renameat(Task t, int olddirfd, long oldAddr, int newdirfd, long newAddr) {
        return SysFileMeta.renameat2(t, olddirfd, oldAddr, newdirfd, newAddr, 0);
    }

    static long symlinkat(Task t, long targetAddr, int newdirfd, long linkAddr) {
        long[] err = new long[1];
        byte[] target = GuestPaths.read(t, targetAddr, err);
        if (target == null) return err[0];
        if (target.length == 0) return -Errno.ENOENT;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ctarget = HostPosix.cString(a, target);
            return GuestPaths.withPathCreating(t, newdirfd, linkAddr, (d, link) -> HostPosix.symlinkat(ctarget, d, link));
        }
    }

    static long linkat(Task t, int olddirfd, long oldAddr, int newdirfd, long newAddr, int flags) {
        final int AT_SYMLINK_FOLLOW = 0x400, AT_EMPTY_PATH = 0x1000;
        if ((flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) != 0) return -Errno.EINVAL;
        if ((flags & AT_EMPTY_PATH) != 0) {
            long[] err = new long[1];
            byte[] old = GuestPaths.read(t, oldAddr, err);
            if (old == null) return err[0];
            if (old.length == 0) return linkOpenFile(t, olddirfd, newdirfd, newAddr);
        }
        boolean follow = (flags & AT_SYMLINK_FOLLOW) != 0;
        if (t.rooted() != null) {
            // a new name with a trailing slash: EEXIST when it exists, else ENOENT (filename_create),
            // once the old name is found
            long[] err = new long[1];
            byte[] to = GuestPaths.read(t, newAddr, err), from = to == null ? null : GuestPaths.read(t, oldAddr, err);
            if (to != null && from != null && GuestPaths.endsInSlash(to) && !GuestPaths.endsInDots(to)) {
                int old = GuestPaths.lastNameType(t, olddirfd, from);
                if (old < 0) return old;
                long parent = GuestPaths.parentError(t, newdirfd, to);
                if (parent != 0) return parent;
                return GuestPaths.lastNameType(t, newdirfd, to) >= 0 ? -Errno.EEXIST : -Errno.ENOENT;
            }
        }
        return GuestPaths.withTwoPaths(t, olddirfd, oldAddr, follow, newdirfd, newAddr,
                (d1, from, d2, to) -> HostPosix.linkat(d1, from, d2, to, flags));
    }

    /**
     * linkat(fd, "", …, AT_EMPTY_PATH): gives an open file (an O_TMPFILE one, say) a name. Linux
     * asks for CAP_DAC_READ_SEARCH and says ENOENT without it.
     */
    private static long linkOpenFile(Task t, int fd, int newdirfd, long newAddr) {
        FileDescription f = file(t, fd);
        if (f == null) return -Errno.EBADF;
        if (!t.process.creds.privileged()) return -Errno.ENOENT;
        if (f.hostFd() < 0) return -Errno.ENOENT;
        dev.lxrun.vfs.mount.Mount from = f instanceof HostFile h ? h.mount() : null;
        return GuestPaths.withMountedPath(t, newdirfd, newAddr, false, false, true, (d, to, mount) -> {
            if (from != null && mount != null && from != mount) return -Errno.EXDEV;
            try (Arena a = Arena.ofConfined()) {
                return HostPosix.linkat(f.hostFd(), HostPosix.cString(a, new byte[0]), d, to, 0x1000);
            }
        });
    }

    // ---- seek, truncate, sync ----

    static long lseek(Task t, int fd, long offset, int whence) {
        FileDescription f = file(t, fd);
        if (f == null) return -Errno.EBADF;
        return f.seek(offset, whence);
    }

    static long ftruncate(Task t, int fd, long length) {
        // do_sys_ftruncate checks the length before it looks up the descriptor.
        if (length < 0) return -Errno.EINVAL;
        FileDescription f = file(t, fd);
        if (f == null) return -Errno.EBADF;
        long big = FileSizeLimit.growTo(t, f, length);
        if (big != 0) return big;
        return f.truncate(length);
    }

    static long fsync(Task t, int fd, boolean dataOnly) {
        FileDescription f = file(t, fd);
        if (f == null) return -Errno.EBADF;
        return f.sync(dataOnly);
    }

    // ---- dup / fcntl ----

    static long dup(Task t, int fd) {
        FileDescription f = file(t, fd);
        if (f == null) return -Errno.EBADF;
        f.retain();
        int r = t.process.fds.install(f, false, 0);
        if (r < 0) f.release();
        return r;
    }

    static long dup3(Task t, int oldfd, int newfd, int flags, boolean isDup2) {
        // ksys_dup3's order: flags, the same descriptor twice, then the old descriptor
        if (!isDup2 && (flags & ~O_CLOEXEC) != 0) return -Errno.EINVAL;
        if (!isDup2 && oldfd == newfd) return -Errno.EINVAL;
        FileDescription f = file(t, oldfd);
        if (f == null) return -Errno.EBADF;
        if (oldfd == newfd) return newfd;
        f.retain();
        int r = t.process.fds.installAt(newfd, f, (flags & O_CLOEXEC) != 0);
        if (r < 0) f.release();
        return r;
    }

    static long fcntl(Task t, int fd, int cmd, long arg) {
        final int F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_DUPFD_CLOEXEC = 1030,
                F_SETPIPE_SZ = 1031, F_GETPIPE_SZ = 1032, F_ADD_SEALS = 1033, F_GET_SEALS = 1034;
        FileDescription f = file(t, fd);
        if (f == null) return -Errno.EBADF;
        // an O_PATH descriptor answers only check_fcntl_cmd's commands (F_DUPFD_QUERY, F_CREATED_QUERY too)
        if ((f.statusFlags() & 010000000) != 0 && cmd != F_DUPFD && cmd != F_DUPFD_CLOEXEC && cmd != F_GETFD
                && cmd != F_SETFD && cmd != F_GETFL && cmd != 1027 && cmd != 1028) {
            return -Errno.EBADF;
        }
        if (SysLock.isLockCommand(cmd)) return SysLock.fcntl(t, f, cmd, arg);
        switch (cmd) {
            case F_DUPFD, F_DUPFD_CLOEXEC -> {
                if (arg < 0 || arg >= t.process.rlimits.cur(dev.lxrun.kernel.Rlimits.NOFILE)) return -Errno.EINVAL;
                f.retain();
                int r = t.process.fds.install(f, cmd == F_DUPFD_CLOEXEC, (int) arg);
                if (r < 0) f.release();
                return r;
            }
            case F_GETFD -> {
                return t.process.fds.closeOnExec(fd) ? 1 : 0;
            }
            case F_SETFD -> {
                t.process.fds.setCloseOnExec(fd, (arg & 1) != 0);
                return 0;
            }
            case F_GETFL -> {
                return f.statusFlags();
            }
            case F_SETFL -> {
                int h = f.hostFd();
                return h < 0 ? -Errno.EINVAL : HostPosix.fcntl(h, F_SETFL, arg);
            }
            case F_SETPIPE_SZ, F_GETPIPE_SZ, F_ADD_SEALS, F_GET_SEALS -> {
                // Seals too: a memfd is a host memfd, whose seals the host keeps and enforces.
                // Guest pipes are host pipes: the host rounds, limits (pipe-max-size) and refuses (EBUSY) as Linux.
                int h = f.hostFd();
                return h < 0 ? -Errno.EBADF : HostPosix.fcntl(h, cmd, arg);
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
    }

    // ---- ioctl ----

    /** Terminal ioctls reach the host terminal behind the file; the argument sizes are Linux's. */
    static long ioctl(Task t, int fd, long request, long arg) {
        FileDescription f = file(t, fd);
        if (f == null) return -Errno.EBADF;
        if (request == 0x5421) return fionbio(t, f, arg); // FIONBIO
        if (request == 0x5451 || request == 0x5450) { // FIOCLEX, FIONCLEX: any file (do_vfs_ioctl)
            t.process.fds.setCloseOnExec(fd, request == 0x5451);
            return 0;
        }
        if (request == 2 && !(f instanceof HostFile)) { // FIGETBSZ of a file lxrun makes up: a page, as procfs says
            t.process.mm.writeInt(arg, 4096);
            return 0;
        }
        Long pty = SysPty.ioctl(t, f, request, arg);
        if (pty != null) return pty;
        ControllingTerminal tty = terminalOf(t, f);
        switch ((int) request) {
            case 0x540E, 0x540F, 0x5410, 0x5429, 0x5422 -> { // TIOCSCTTY, TIOCGPGRP, TIOCSPGRP, TIOCGSID, TIOCNOTTY
                return tty != null ? SysTerminal.jobControl(t, tty, request, arg) : -Errno.ENOTTY;
            }
            case 0x5402, 0x5403, 0x5404, 0x402C542B, 0x402C542C, 0x402C542D -> { // TCSETS*: a background job is stopped first
                long check = tty != null && !SysPty.isMaster(f) ? tty.changeFromBackground(t) : 0;
                if (check != 0) return check;
            }
            default -> { }
        }
        int size;
        boolean out;
        switch ((int) request) {
            case 0x5401 -> { size = 36; out = true; }            // TCGETS
            case 0x5402, 0x5403, 0x5404 -> { size = 36; out = false; } // TCSETS, TCSETSW, TCSETSF
            case 0x5413 -> { size = 8; out = true; }             // TIOCGWINSZ
            case 0x5414 -> { size = 8; out = false; }            // TIOCSWINSZ
            case 0x541B -> { size = 4; out = true; }             // FIONREAD
            case 0x2 -> { size = 4; out = true; }                // FIGETBSZ: the host file system's block size
            case 0x5411, 0x5424, 0x80045440 -> { size = 4; out = true; } // TIOCOUTQ, TIOCGETD, TIOCGEXCL
            case 0x5423 -> { size = 4; out = false; }            // TIOCSETD
            case 0x802C542A -> { size = 44; out = true; }        // TCGETS2
            // SIOCGIFINDEX, SIOCGIFNAME, SIOCGIFFLAGS, SIOCGIFADDR, SIOCGIFDSTADDR, SIOCGIFBRDADDR,
            // SIOCGIFNETMASK, SIOCGIFMETRIC, SIOCGIFMTU, SIOCGIFHWADDR, SIOCGIFTXQLEN: struct ifreq in and out
            case 0x8933, 0x8910, 0x8913, 0x8915, 0x8917, 0x8919, 0x891b, 0x891d, 0x8921, 0x8927, 0x8942 -> {
                if (!(f instanceof dev.lxrun.kernel.net.GuestSocket)) return -Errno.ENOTTY;
                return interfaceQuery(t, f, request, arg);
            }
            // SIOCSIFFLAGS, SIOCSIFADDR, SIOCSIFDSTADDR, SIOCSIFBRDADDR, SIOCSIFNETMASK, SIOCSIFMETRIC,
            // SIOCSIFMTU, SIOCSIFHWADDR, SIOCSIFTXQLEN: the guest's interfaces are the host's, which a
            // guest may not change; the request is read first, as Linux copies it before the check
            case 0x8914, 0x8916, 0x8918, 0x891a, 0x891c, 0x891e, 0x8922, 0x8924, 0x8943 -> {
                if (!(f instanceof dev.lxrun.kernel.net.GuestSocket)) return -Errno.ENOTTY;
                t.process.mm.checkAccess(arg, 40, PROT_READ);
                return -Errno.EPERM;
            }
            case 0x8912 -> {                                     // SIOCGIFCONF: struct ifconf with a buffer pointer
                if (!(f instanceof dev.lxrun.kernel.net.GuestSocket)) return -Errno.ENOTTY;
                return interfaceList(t, f, arg);
            }
            case 0x8905 -> {                                     // SIOCATMARK: the host socket's answer
                if (!(f instanceof dev.lxrun.kernel.net.GuestSocket)) return -Errno.ENOTTY;
                size = 4; out = true;
            }
            case 0x402C542B, 0x402C542C, 0x402C542D -> { size = 44; out = false; } // TCSETS2, TCSETSW2, TCSETSF2
            case 0x5409, 0x540A, 0x540B, 0x5425, 0x540C, 0x540D -> { // TCSBRK, TCXONC, TCFLSH, TCSBRKP, TIOCEXCL, TIOCNXCL: by value
                if (!(f instanceof HostFile)) return -Errno.ENOTTY;
                return f.ioctl(request, MemorySegment.ofAddress(arg));
            }
            default -> { return -Errno.ENOTTY; }
        }
        AddressSpace mm = t.process.mm;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(64);
            if (!out) mm.copyOut(arg, buf.asSlice(0, size), false);
            else mm.checkAccess(arg, size, PROT_WRITE);
            int r = f.ioctl(request, buf);
            if (r >= 0 && out) mm.copyIn(arg, buf.asSlice(0, size), true);
            return r;
        }
    }

    /** An interface query on a socket: the host's interfaces, which are the guest's (its network is the host's). */
    private static long interfaceQuery(Task t, FileDescription f, long request, long arg) {
        AddressSpace mm = t.process.mm;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ifr = a.allocate(40);
            mm.copyOut(arg, ifr, false);
            int r = f.ioctl(request, ifr);
            if (r >= 0) mm.copyIn(arg, ifr, true);
            return r;
        }
    }

    /**
     * SIOCGIFCONF: the host's interface list (the guest's network is the host's), written by the
     * host straight into the guest's buffer, which is guest memory mapped in the JVM (through a
     * bounce buffer when it spans mappings); a NULL buffer asks only for the length.
     */
    private static long interfaceList(Task t, FileDescription f, long arg) {
        AddressSpace mm = t.process.mm;
        int len = mm.readInt(arg);
        long buf = mm.readLong(arg + 8);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ifc = a.allocate(16);
            long host = 0;
            MemorySegment bounce = null;
            if (buf != 0 && len > 0) {
                MemorySegment seg = mm.direct(buf, len, PROT_WRITE);
                if (seg == null) bounce = seg = a.allocate(len);
                host = seg.address();
            }
            ifc.set(ValueLayout.JAVA_INT, 0, buf == 0 ? 0 : Math.max(len, 0));
            ifc.set(ValueLayout.JAVA_LONG, 8, host);
            int r = f.ioctl(0x8912, ifc);
            if (r < 0) return r;
            int filled = ifc.get(ValueLayout.JAVA_INT, 0);
            if (bounce != null && filled > 0) mm.copyIn(buf, bounce.asSlice(0, Math.min(filled, len)), false);
            mm.writeInt(arg, filled);
            return r;
        }
    }

    /** FIONBIO: the same O_NONBLOCK status flag fcntl(F_SETFL) sets, on the host descriptor. */
    private static long fionbio(Task t, FileDescription f, long arg) {
        final int F_GETFL = 3, F_SETFL = 4, O_NONBLOCK = 04000;
        int h = f.hostFd();
        if (h < 0) return -Errno.ENOTTY;
        boolean on = t.process.mm.readInt(arg) != 0;
        int flags = HostPosix.fcntl(h, F_GETFL, 0);
        if (flags < 0) return flags;
        return HostPosix.fcntl(h, F_SETFL, on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK);
    }

    static long getcwd(Task t, long buf, long size) {
        byte[] cwd = t.process.fs.cwd().getBytes(StandardCharsets.ISO_8859_1);
        if (Long.compareUnsigned(size, cwd.length + 1) < 0) return -Errno.ERANGE; // size is unsigned
        byte[] z = java.util.Arrays.copyOf(cwd, cwd.length + 1);
        t.process.mm.copyIn(buf, MemorySegment.ofArray(z), true);
        return z.length;
    }

    static long chdir(Task t, long pathAddr) {
        long[] err = new long[1];
        byte[] path = GuestPaths.read(t, pathAddr, err);
        if (path == null) return err[0];
        if (path.length == 0) return -Errno.ENOENT;
        var opened = GuestPaths.openDirectory(t, path);
        return opened.fd() < 0 ? opened.fd() : changeDir(t, opened.fd(), opened.mount());
    }

    static long fchdir(Task t, int guestFd) {
        FileDescription f = file(t, guestFd);
        if (f == null) return -Errno.EBADF;
        int fd;
        try (Arena a = Arena.ofConfined()) {
            fd = HostPosix.openat(f.hostFd(), HostPosix.cString(a, new byte[] {'.'}), O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        }
        if (fd < 0) return fd;
        return changeDir(t, fd, f instanceof HostFile h ? h.mount() : null);
    }

    /**
     * chdir to a directory open at hostFd (which the cwd takes over). Its guest path is the one the
     * walk found, or else the physical path read back from the host, as Linux's getcwd reports it.
     */
    private static long changeDir(Task t, int hostFd, dev.lxrun.vfs.mount.Mount mount) {
        try (Arena a = Arena.ofConfined()) {
            int search = HostPosix.faccessat(hostFd, HostPosix.cString(a, new byte[] {'.'}), 1, 0x200 /* AT_EACCESS: the fs ids */);
            if (search < 0) {
                HostPosix.close(hostFd);
                return search;
            }
        }
        String guestPath; // kept for a namespace that names its cwd by the path (no --root, or a chroot from the host's root)
        {
            long[] err = new long[1];
            String host = GuestPaths.hostPathOf(hostFd, err);
            if (host == null) {
                HostPosix.close(hostFd);
                return err[0];
            }
            guestPath = t.guestPathOf(host);
        }
        t.process.fs.changeTo(guestPath, hostFd, mount);
        return 0;
    }

    static long umask(Task t, int mask) {
        return t.process.fs.setUmask(mask);
    }
}
