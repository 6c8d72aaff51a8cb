package dev.lxrun.vfs.mount;

import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Linux file metadata the host file does not hold, kept in one user extended attribute of the
 * file (as WSL1 keeps uid, gid, mode and device in NTFS extended attributes): an owner set by a
 * guest chown the host could not or should not make, and the type and device number of a
 * device node, which the host stores as an empty regular file. Fields the attribute does not
 * set (-1) are the host file's own. User attributes exist only on regular files and
 * directories, so symlinks, FIFOs and sockets keep their host owners.
 *
 * @param uid owner, or -1
 * @param gid group, or -1
 * @param type S_IFCHR or S_IFBLK for a device node, or -1
 * @param rdev the device number (Linux encoding) of a device node
 */
public record LinuxMetadata(int uid, int gid, int type, long rdev) {
    public static final String ATTRIBUTE = "user.lxrun.meta";
    public static final LinuxMetadata NONE = new LinuxMetadata(-1, -1, -1, 0);
    public static final int S_IFMT = 0170000, S_IFCHR = 0020000, S_IFBLK = 0060000, S_IFREG = 0100000, S_IFDIR = 0040000;

    public boolean isDevice() {
        return type == S_IFCHR || type == S_IFBLK;
    }

    public LinuxMetadata withOwner(int newUid, int newGid) {
        return new LinuxMetadata(newUid == -1 ? uid : newUid, newGid == -1 ? gid : newGid, type, rdev);
    }

    public static int major(long dev) {
        return (int) (((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL));
    }

    public static int minor(long dev) {
        return (int) ((dev & 0xff) | ((dev >>> 12) & ~0xffL));
    }

    /** Text form, readable with getfattr on the host: "uid=0 gid=0 type=020000 rdev=259". */
    String encode() {
        StringBuilder b = new StringBuilder();
        if (uid != -1) b.append("uid=").append(Integer.toUnsignedString(uid)).append(' ');
        if (gid != -1) b.append("gid=").append(Integer.toUnsignedString(gid)).append(' ');
        if (type != -1) b.append("type=0").append(Integer.toOctalString(type)).append(" rdev=").append(rdev).append(' ');
        return b.toString().strip();
    }

    static LinuxMetadata decode(String text) {
        int uid = -1, gid = -1, type = -1;
        long rdev = 0;
        for (String field : text.strip().split("\\s+")) {
            int eq = field.indexOf('=');
            if (eq < 0) continue;
            String k = field.substring(0, eq), v = field.substring(eq + 1);
            try {
                switch (k) {
                    case "uid" -> uid = Integer.parseUnsignedInt(v);
                    case "gid" -> gid = Integer.parseUnsignedInt(v);
                    case "type" -> type = Integer.parseInt(v, 8);
                    case "rdev" -> rdev = Long.parseLong(v);
                    default -> { }
                }
            } catch (NumberFormatException ignored) {
                // A damaged field leaves the host's own value visible.
            }
        }
        return new LinuxMetadata(uid, gid, type, rdev);
    }

    /** The metadata of an open host descriptor (any kind, O_PATH included). */
    public static LinuxMetadata read(int hostFd) {
        return readPath("/proc/self/fd/" + hostFd, true);
    }

    /** The metadata of a host path (not following a final symlink unless follow). */
    public static LinuxMetadata readPath(String hostPath, boolean follow) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(256);
            long n = HostSyscall.call(follow ? HostSyscall.GETXATTR : HostSyscall.LGETXATTR, path(a, hostPath),
                    name(a), buf.address(), 256, 0, 0);
            if (n <= 0) return NONE;
            return decode(new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII));
        }
    }

    /** Stores the metadata on a host path; -errno (e.g. EPERM on a symlink) when the host cannot. */
    public static long writePath(String hostPath, boolean follow, LinuxMetadata m) {
        try (Arena a = Arena.ofConfined()) {
            byte[] v = m.encode().getBytes(StandardCharsets.US_ASCII);
            MemorySegment value = a.allocate(Math.max(1, v.length));
            MemorySegment.copy(MemorySegment.ofArray(v), 0, value, 0, v.length);
            return HostSyscall.call(follow ? HostSyscall.SETXATTR : HostSyscall.LSETXATTR, path(a, hostPath), name(a),
                    value.address(), v.length, 0, 0);
        }
    }

    /** Replaces the host's owner, type and device in a 144-byte struct stat with the stored ones. */
    public static void overlayStat(LinuxMetadata m, MemorySegment stat) {
        if (m == NONE) return;
        if (m.uid != -1) stat.set(ValueLayout.JAVA_INT, 28, m.uid);
        if (m.gid != -1) stat.set(ValueLayout.JAVA_INT, 32, m.gid);
        if (m.type != -1) {
            int mode = stat.get(ValueLayout.JAVA_INT, 24);
            stat.set(ValueLayout.JAVA_INT, 24, (mode & ~S_IFMT) | m.type);
            stat.set(ValueLayout.JAVA_LONG, 40, m.rdev);
            stat.set(ValueLayout.JAVA_LONG, 48, 0); // st_size of a device node
        }
    }

    /** The same for a struct statx (256 bytes). */
    public static void overlayStatx(LinuxMetadata m, MemorySegment statx) {
        if (m == NONE) return;
        if (m.uid != -1) statx.set(ValueLayout.JAVA_INT, 20, m.uid);
        if (m.gid != -1) statx.set(ValueLayout.JAVA_INT, 24, m.gid);
        if (m.type != -1) {
            short mode = statx.get(ValueLayout.JAVA_SHORT, 28);
            statx.set(ValueLayout.JAVA_SHORT, 28, (short) ((mode & ~S_IFMT) | m.type));
            statx.set(ValueLayout.JAVA_INT, 128, major(m.rdev));
            statx.set(ValueLayout.JAVA_INT, 132, minor(m.rdev));
            statx.set(ValueLayout.JAVA_LONG, 40, 0);
        }
    }

    private static long path(Arena a, String p) {
        return a.allocateFrom(p, StandardCharsets.ISO_8859_1).address();
    }

    private static long name(Arena a) {
        return a.allocateFrom(ATTRIBUTE, StandardCharsets.US_ASCII).address();
    }
}
