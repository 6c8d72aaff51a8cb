package dev.lxrun.cli.distro;

import dev.lxrun.vfs.host.HostPosix;
import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The host calls import and export make, on names given as raw bytes (a distro's file names
 * need not be valid in the JVM's path charset) relative to a directory descriptor. Nothing here
 * follows a final symlink. Every call returns the host's result or -errno.
 */
final class HostTree {
    static final int O_RDONLY = 0, O_WRONLY = 1, O_CREAT = 0100, O_EXCL = 0200, O_TRUNC = 01000, O_DIRECTORY = 0200000,
            O_NOFOLLOW = 0400000, O_CLOEXEC = 02000000, O_PATH = 010000000;
    static final int AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200;
    static final int S_IFMT = 0170000, S_IFDIR = 0040000, S_IFREG = 0100000, S_IFLNK = 0120000, S_IFCHR = 0020000,
            S_IFBLK = 0060000, S_IFIFO = 0010000, S_IFSOCK = 0140000;

    private HostTree() {}

    /** One thread's scratch memory for names and buffers. */
    static final class Scratch implements AutoCloseable {
        final Arena arena = Arena.ofConfined();
        final MemorySegment name = arena.allocate(8192), name2 = arena.allocate(8192), stat = arena.allocate(144),
                buf = arena.allocate(1 << 20), small = arena.allocate(65536);

        MemorySegment name(byte[] b) {
            return fill(name, b);
        }

        MemorySegment name2(byte[] b) {
            return fill(name2, b);
        }

        private static MemorySegment fill(MemorySegment seg, byte[] b) {
            if (b.length + 1 > seg.byteSize()) throw new IllegalArgumentException("file name longer than 8 KiB");
            MemorySegment.copy(b, 0, seg, ValueLayout.JAVA_BYTE, 0, b.length);
            seg.set(ValueLayout.JAVA_BYTE, b.length, (byte) 0);
            return seg;
        }

        @Override
        public void close() {
            arena.close();
        }
    }

    static int open(Scratch s, int dir, byte[] name, int flags, int mode) {
        return HostPosix.openat(dir, s.name(name), flags | O_CLOEXEC, mode);
    }

    static int mkdir(Scratch s, int dir, byte[] name, int mode) {
        return HostPosix.mkdirat(dir, s.name(name), mode);
    }

    static int symlink(Scratch s, byte[] target, int dir, byte[] name) {
        return HostPosix.symlinkat(s.name2(target), dir, s.name(name));
    }

    static int link(Scratch s, int dir, byte[] existing, byte[] name) {
        return HostPosix.linkat(dir, s.name2(existing), dir, s.name(name), 0);
    }

    static int unlink(Scratch s, int dir, byte[] name, boolean directory) {
        return HostPosix.unlinkat(dir, s.name(name), directory ? AT_REMOVEDIR : 0);
    }

    static long mknod(Scratch s, int dir, byte[] name, int mode, long dev) {
        return HostSyscall.call(HostSyscall.MKNODAT, dir, s.name(name).address(), mode, dev, 0, 0);
    }

    static long chown(Scratch s, int dir, byte[] name, int uid, int gid) {
        return HostSyscall.call(HostSyscall.FCHOWNAT, dir, s.name(name).address(), uid, gid, AT_SYMLINK_NOFOLLOW, 0);
    }

    static long chmod(Scratch s, int dir, byte[] name, int mode) {
        return HostSyscall.call(HostSyscall.FCHMODAT, dir, s.name(name).address(), mode);
    }

    /** Sets access and modification time (seconds and nanoseconds), not following a symlink. */
    static long setTimes(Scratch s, int dir, byte[] name, long sec, long nsec) {
        MemorySegment times = s.small;
        times.set(ValueLayout.JAVA_LONG, 0, sec);
        times.set(ValueLayout.JAVA_LONG, 8, nsec);
        times.set(ValueLayout.JAVA_LONG, 16, sec);
        times.set(ValueLayout.JAVA_LONG, 24, nsec);
        return HostSyscall.call(HostSyscall.UTIMENSAT, dir, s.name(name).address(), times.address(), AT_SYMLINK_NOFOLLOW, 0, 0);
    }

    /** Sets the times of an open file (futimens). */
    static long setTimes(Scratch s, int fd, long sec, long nsec) {
        MemorySegment times = s.small;
        times.set(ValueLayout.JAVA_LONG, 0, sec);
        times.set(ValueLayout.JAVA_LONG, 8, nsec);
        times.set(ValueLayout.JAVA_LONG, 16, sec);
        times.set(ValueLayout.JAVA_LONG, 24, nsec);
        return HostSyscall.call(HostSyscall.UTIMENSAT, fd, 0, times.address(), 0, 0, 0);
    }

    /** lstat into s.stat; read the fields with the accessors below. */
    static int lstat(Scratch s, int dir, byte[] name) {
        return HostPosix.fstatat(dir, s.name(name), s.stat, AT_SYMLINK_NOFOLLOW);
    }

    static long dev(Scratch s) { return s.stat.get(ValueLayout.JAVA_LONG, 0); }
    static long ino(Scratch s) { return s.stat.get(ValueLayout.JAVA_LONG, 8); }
    static long nlink(Scratch s) { return s.stat.get(ValueLayout.JAVA_LONG, 16); }
    static int mode(Scratch s) { return s.stat.get(ValueLayout.JAVA_INT, 24); }
    static int uid(Scratch s) { return s.stat.get(ValueLayout.JAVA_INT, 28); }
    static int gid(Scratch s) { return s.stat.get(ValueLayout.JAVA_INT, 32); }
    static long rdev(Scratch s) { return s.stat.get(ValueLayout.JAVA_LONG, 40); }
    static long size(Scratch s) { return s.stat.get(ValueLayout.JAVA_LONG, 48); }
    static long mtimeSec(Scratch s) { return s.stat.get(ValueLayout.JAVA_LONG, 88); }
    static long mtimeNsec(Scratch s) { return s.stat.get(ValueLayout.JAVA_LONG, 96); }

    static byte[] readlink(Scratch s, int dir, byte[] name) {
        long n = HostPosix.readlinkat(dir, s.name(name), s.small);
        return n < 0 ? null : s.small.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
    }

    /** The entries of an open directory, without "." and "..". */
    static List<byte[]> list(Scratch s, int dirFd) {
        List<byte[]> out = new ArrayList<>();
        while (true) {
            long n = HostPosix.getdents64(dirFd, s.buf);
            if (n <= 0) return out;
            for (long off = 0; off < n; ) {
                int reclen = Short.toUnsignedInt(s.buf.get(ValueLayout.JAVA_SHORT_UNALIGNED, off + 16));
                long start = off + 19, end = start;
                while (s.buf.get(ValueLayout.JAVA_BYTE, end) != 0) end++;
                byte[] name = s.buf.asSlice(start, end - start).toArray(ValueLayout.JAVA_BYTE);
                if (!(name.length == 1 && name[0] == '.') && !(name.length == 2 && name[0] == '.' && name[1] == '.')) out.add(name);
                off += reclen;
            }
        }
    }

    /** "/proc/self/fd/DIR/NAME" as bytes: a path the xattr calls can take for a name in an open directory. */
    static byte[] procPath(int dir, byte[] name) {
        byte[] prefix = ("/proc/self/fd/" + dir + "/").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] p = new byte[prefix.length + name.length];
        System.arraycopy(prefix, 0, p, 0, prefix.length);
        System.arraycopy(name, 0, p, prefix.length, name.length);
        return p;
    }

    /** The extended attribute names of a file (not following a symlink), or an empty list. */
    static List<String> listXattrs(Scratch s, byte[] path) {
        long n = HostSyscall.call(HostSyscall.LLISTXATTR, s.name(path).address(), s.small.address(), s.small.byteSize());
        List<String> names = new ArrayList<>();
        if (n <= 0) return names;
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (s.small.get(ValueLayout.JAVA_BYTE, i) == 0) {
                names.add(new String(s.small.asSlice(start, i - start).toArray(ValueLayout.JAVA_BYTE), java.nio.charset.StandardCharsets.ISO_8859_1));
                start = i + 1;
            }
        }
        return names;
    }

    static byte[] getXattr(Scratch s, byte[] path, String attr) {
        s.name2(attr.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        long n = HostSyscall.call(HostSyscall.LGETXATTR, s.name(path).address(), s.name2.address(), s.small.address(),
                s.small.byteSize(), 0, 0);
        return n < 0 ? null : s.small.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
    }

    static long setXattr(Scratch s, byte[] path, String attr, byte[] value) {
        s.name2(attr.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        MemorySegment v = s.small;
        if (value.length > v.byteSize()) return -7; // E2BIG
        MemorySegment.copy(value, 0, v, ValueLayout.JAVA_BYTE, 0, value.length);
        return HostSyscall.call(HostSyscall.LSETXATTR, s.name(path).address(), s.name2.address(), v.address(), value.length, 0, 0);
    }

    /** Writes all of b[0..n) to fd; -errno on failure. */
    static long writeAll(Scratch s, int fd, byte[] b, int n) {
        MemorySegment.copy(b, 0, s.buf, ValueLayout.JAVA_BYTE, 0, n);
        long done = 0;
        while (done < n) {
            long w = HostPosix.write(fd, s.buf.asSlice(done, n - done));
            if (w < 0) return w;
            done += w;
        }
        return done;
    }

    static String strerror(long negErrno) {
        return switch ((int) -negErrno) {
            case 1 -> "Operation not permitted";
            case 2 -> "No such file or directory";
            case 13 -> "Permission denied";
            case 17 -> "File exists";
            case 20 -> "Not a directory";
            case 21 -> "Is a directory";
            case 28 -> "No space left on device";
            case 36 -> "File name too long";
            case 39 -> "Directory not empty";
            case 95 -> "Operation not supported";
            case 122 -> "Disk quota exceeded";
            default -> "error " + (-negErrno);
        };
    }
}
