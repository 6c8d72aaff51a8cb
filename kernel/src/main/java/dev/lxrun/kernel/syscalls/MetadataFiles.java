package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Credentials;
import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.host.HostPosix;
import dev.lxrun.vfs.host.HostSyscall;
import dev.lxrun.vfs.mount.LinuxMetadata;
import dev.lxrun.vfs.mount.Mount;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The syscall side of mounts with the metadata option (LinuxMetadata): chown records the owner
 * instead of changing the host file, mknod of a device node makes an empty host file that
 * stat reports as the device, and opening such a node opens the host device it names.
 */
final class MetadataFiles {
    private static final int S_IFMT = 0170000, S_IFREG = 0100000, S_IFDIR = 0040000;
    /** Devices a node may stand for: the host's own, as /dev in a --root offers them. */
    private static final Map<Long, String> HOST_DEVICES = Map.of(
            dev(1, 3), "/dev/null", dev(1, 5), "/dev/zero", dev(1, 7), "/dev/full", dev(1, 8), "/dev/random",
            dev(1, 9), "/dev/urandom", dev(5, 0), "/dev/tty");

    private MetadataFiles() {}

    static boolean kept(Mount m) {
        return m != null && m.metadata();
    }

    private static long dev(int major, int minor) {
        return ((long) (major & 0xfff) << 8) | (minor & 0xff) | ((long) (minor & ~0xff) << 12) | ((long) (major & ~0xfff) << 32);
    }

    /** The host file type at a path (0 when it cannot be read). */
    /** The host file's type, owner and group; type 0 when it cannot be read. */
    private record HostOwner(int type, int uid, int gid) {}

    private static HostOwner hostOwner(String hostPath, boolean follow) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(144);
            int r = HostPosix.fstatat(HostPosix.AT_FDCWD, HostPosix.cString(a, hostPath.getBytes(StandardCharsets.ISO_8859_1)),
                    st, follow ? 0 : 0x100);
            if (r < 0) return new HostOwner(0, -1, -1);
            return new HostOwner(st.get(ValueLayout.JAVA_INT, 24) & S_IFMT, st.get(ValueLayout.JAVA_INT, 28), st.get(ValueLayout.JAVA_INT, 32));
        }
    }

    /** User attributes exist only on regular files and directories. */
    private static boolean holdsAttributes(int type) {
        return type == S_IFREG || type == S_IFDIR;
    }

    /**
     * Overlays stored metadata on a struct stat the host filled for hostPath. The attribute is
     * read as lxrun: stat needs no read permission on the file, a user attribute does.
     */
    static void overlayStat(Task t, String hostPath, boolean follow, MemorySegment stat) {
        int type = stat.get(ValueLayout.JAVA_INT, 24) & S_IFMT;
        if (holdsAttributes(type)) LinuxMetadata.overlayStat(read(t, hostPath, follow), stat);
    }

    static void overlayStatx(Task t, String hostPath, boolean follow, MemorySegment statx) {
        int type = statx.get(ValueLayout.JAVA_SHORT, 28) & S_IFMT;
        if (holdsAttributes(type)) LinuxMetadata.overlayStatx(read(t, hostPath, follow), statx);
    }

    private static LinuxMetadata read(Task t, String hostPath, boolean follow) {
        LinuxMetadata[] out = new LinuxMetadata[1];
        dev.lxrun.kernel.HostCredentials.asLxrun(t.process.creds, () -> {
            out[0] = LinuxMetadata.readPath(hostPath, follow);
            return 0;
        });
        return out[0];
    }

    /** getdents64 records: device nodes kept as metadata are regular files on the host, DT_CHR/DT_BLK to the guest. */
    static void fixEntryTypes(int dirHostFd, MemorySegment records) {
        final byte DT_CHR = 2, DT_BLK = 6, DT_REG = 8;
        for (long off = 0; off + 19 < records.byteSize(); ) {
            int reclen = Short.toUnsignedInt(records.get(ValueLayout.JAVA_SHORT_UNALIGNED, off + 16));
            if (reclen == 0) break;
            if (records.get(ValueLayout.JAVA_BYTE, off + 18) == DT_REG) {
                String name = records.getString(off + 19, StandardCharsets.ISO_8859_1);
                LinuxMetadata m = LinuxMetadata.readPath("/proc/self/fd/" + dirHostFd + "/" + name, false);
                if (m.isDevice()) records.set(ValueLayout.JAVA_BYTE, off + 18, m.type() == LinuxMetadata.S_IFCHR ? DT_CHR : DT_BLK);
            }
            off += reclen;
        }
    }

    /**
     * chown as Linux decides it (CAP_CHOWN for a new owner; the owner may pick one of its own
     * groups), recorded in the file's attribute. Files that cannot hold one change on the host.
     */
    static long chown(Task t, String hostPath, boolean follow, int uid, int gid) {
        HostOwner owner = hostOwner(hostPath, follow);
        if (!holdsAttributes(owner.type())) return hostChown(hostPath, follow, uid, gid);
        LinuxMetadata current = LinuxMetadata.readPath(hostPath, follow);
        int curUid = current.uid() != -1 ? current.uid() : owner.uid(), curGid = current.gid() != -1 ? current.gid() : owner.gid();
        Credentials c = t.process.creds;
        if (!c.privileged()) {
            if (c.euid() != curUid) return -Errno.EPERM;
            if (uid != -1 && uid != curUid) return -Errno.EPERM;
            if (gid != -1 && gid != curGid && gid != c.egid() && java.util.Arrays.stream(c.groups()).noneMatch(g -> g == gid)) {
                return -Errno.EPERM;
            }
        }
        long r = LinuxMetadata.writePath(hostPath, follow, current.withOwner(uid, gid));
        return r < 0 ? r : 0;
    }


    private static long hostChown(String hostPath, boolean follow, int uid, int gid) {
        try (Arena a = Arena.ofConfined()) {
            return HostSyscall.call(HostSyscall.FCHOWNAT, HostPosix.AT_FDCWD,
                    HostPosix.cString(a, hostPath.getBytes(StandardCharsets.ISO_8859_1)).address(), uid, gid, follow ? 0 : 0x100, 0);
        }
    }

    /** mknod of a character or block device: an empty host file with the node's permissions and metadata. */
    static long mknodDevice(Task t, int dir, MemorySegment path, int mode, long dev) {
        if (!t.process.creds.privileged()) return -Errno.EPERM;
        final int O_WRONLY = 1, O_CREAT = 0100, O_EXCL = 0200, O_CLOEXEC = 02000000, O_NOFOLLOW = 0400000;
        int fd = HostPosix.openat(dir, path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode & 07777);
        if (fd < 0) return fd;
        long r = LinuxMetadata.writePath("/proc/self/fd/" + fd, true, new LinuxMetadata(-1, -1, mode & S_IFMT, dev));
        HostPosix.close(fd);
        if (r < 0) {
            HostPosix.unlinkat(dir, path, 0);
            return r;
        }
        return 0;
    }

    /**
     * A device node opened on a metadata mount: the host device it stands for, opened with the
     * caller's flags, or ENXIO (no such device), as Linux says for a node without a driver.
     * Returns null when hostFd is not a stored device node.
     */
    static Integer openDevice(int hostFd, int flags) {
        LinuxMetadata m = LinuxMetadata.read(hostFd);
        if (!m.isDevice()) return null;
        String device = m.type() == LinuxMetadata.S_IFCHR ? HOST_DEVICES.get(m.rdev()) : null;
        if (device == null) return -Errno.ENXIO;
        try (Arena a = Arena.ofConfined()) {
            return HostPosix.openat(HostPosix.AT_FDCWD, HostPosix.cString(a, device.getBytes(StandardCharsets.ISO_8859_1)),
                    flags | 02000000, 0);
        }
    }
}
