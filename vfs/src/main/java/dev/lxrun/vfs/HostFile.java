package dev.lxrun.vfs;

import dev.lxrun.vfs.host.HostPosix;
import dev.lxrun.vfs.mount.LinuxMetadata;
import dev.lxrun.vfs.mount.Mount;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file open on the host: every operation is the host's own call on the host descriptor.
 * Not final: net-shim's sockets are host files that also keep guest-side socket state.
 */
public class HostFile implements FileDescription {
    private static final int F_GETFL = 3;

    private final int fd;
    private final AtomicInteger refs = new AtomicInteger(1);
    /** -1 unknown, else whether reads and writes may block indefinitely (pipe, FIFO, terminal, socket). */
    private volatile int slow = -1;
    private static final long UNKNOWN = Long.MIN_VALUE;
    /** See characterDevice; UNKNOWN until asked. */
    private volatile long device = UNKNOWN;
    /** Run once when the last reference goes, before the host descriptor closes (OFD record locks go then). */
    private volatile Runnable lastRelease;

    /** The guest path the file was opened by, when the kernel's walk knows it (mounts); else null. */
    private final String guestPath;
    /** The mount it was opened through, when known. */
    private final Mount mount;

    public HostFile(int hostFd) {
        this(hostFd, null, null);
    }

    public HostFile(int hostFd, String guestPath, Mount mount) {
        this.fd = hostFd;
        this.guestPath = guestPath;
        this.mount = mount;
    }

    public String guestPath() {
        return guestPath;
    }

    private static final int PREADV2 = 327, PWRITEV2 = 328, RWF_NOWAIT = 8, EAGAIN = 11, EOPNOTSUPP = 95;
    /** An iovec per thread for the RWF_NOWAIT calls (guest threads are long-lived Java threads). */
    private static final ThreadLocal<MemorySegment> IOVEC = ThreadLocal.withInitial(() -> java.lang.foreign.Arena.global().allocate(16, 8));
    /** -1 not yet known, 0 the host cannot do RWF_NOWAIT on this file (a terminal), 1 it can (pipes, FIFOs). */
    private volatile int nowait = -1;

    /**
     * read or write that never blocks, whatever the file's O_NONBLOCK: -EAGAIN when it would, and
     * -EOPNOTSUPP when the host has no such call for this kind of file (then never tried again).
     */
    public long transferNow(MemorySegment seg, boolean write) {
        if (nowait == 0) return -EOPNOTSUPP;
        MemorySegment iov = IOVEC.get();
        iov.set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, seg.address());
        iov.set(java.lang.foreign.ValueLayout.JAVA_LONG, 8, seg.byteSize());
        long r = dev.lxrun.vfs.host.HostSyscall.call(write ? PWRITEV2 : PREADV2, fd, iov.address(), 1, -1, 0, RWF_NOWAIT);
        if (r == -EOPNOTSUPP) nowait = 0;
        else if (nowait < 0 && r != -EAGAIN) nowait = 1;
        return r;
    }

    /**
     * The same over a host iovec array at iovAddr (cnt entries, host memory): readv or writev
     * that never blocks, in one host call, so a vectored transfer stays one transfer.
     */
    public long transferNow(long iovAddr, int cnt, boolean write) {
        if (nowait == 0) return -EOPNOTSUPP;
        long r = dev.lxrun.vfs.host.HostSyscall.call(write ? PWRITEV2 : PREADV2, fd, iovAddr, cnt, -1, 0, RWF_NOWAIT);
        if (r == -EOPNOTSUPP) nowait = 0;
        else if (nowait < 0 && r != -EAGAIN) nowait = 1;
        return r;
    }

    /** The mount the file was opened through, or null when lxrun has no mount table. */
    public Mount mount() {
        return mount;
    }

    /** Whether the file lies on a mount the guest may not change (fchmod, fchown… give EROFS). */
    public boolean onReadOnlyMount() {
        return mount != null && mount.readOnly();
    }

    /** Whether owner and device data live in the file's metadata attribute (LinuxMetadata). */
    public boolean keepsMetadata() {
        return mount != null && mount.metadata();
    }

    @Override public long read(MemorySegment dst) { return HostPosix.read(fd, dst); }
    @Override public long write(MemorySegment src) { return HostPosix.write(fd, src); }
    @Override public long pread(MemorySegment dst, long offset) { return HostPosix.pread(fd, dst, offset); }
    @Override public long pwrite(MemorySegment src, long offset) { return HostPosix.pwrite(fd, src, offset); }
    @Override public long seek(long offset, int whence) { return HostPosix.lseek(fd, offset, whence); }
    @Override
    public int stat(MemorySegment statBuf) {
        int r = HostPosix.fstat(fd, statBuf);
        // The guest's fstat (stdio makes one on every fopen) also tells mayBlock the file's type,
        // which its first read or write would otherwise ask the host for again.
        if (r == 0 && slow < 0) {
            int type = statBuf.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 24) & 0170000;
            if (device == UNKNOWN) device = type == 0020000 ? statBuf.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 40) : -1;
            slow = slowType(type) ? 1 : 0;
        }
        if (r == 0 && keepsMetadata()) LinuxMetadata.overlayStat(LinuxMetadata.read(fd), statBuf);
        return r;
    }
    @Override public long getdents64(MemorySegment buf) { return HostPosix.getdents64(fd, buf); }
    @Override public int ioctl(long request, MemorySegment arg) { return HostPosix.ioctl(fd, request, arg); }
    @Override public int truncate(long length) { return HostPosix.ftruncate(fd, length); }
    @Override public int sync(boolean dataOnly) { return HostPosix.fsync(fd, dataOnly); }

    @Override
    public int statusFlags() {
        // The host reports O_LARGEFILE (0x8000) for every 64-bit open; so does Linux for the guest.
        return HostPosix.fcntl(fd, F_GETFL, 0);
    }

    @Override public int hostFd() { return fd; }

    /**
     * Whether an I/O call can block for as long as another party pleases: FIFOs, character
     * devices, sockets and event descriptors. Regular files and directories never block that way.
     */
    @Override
    public boolean mayBlock() {
        int s = slow;
        if (s < 0) {
            s = slowType(HostPosix.fileType(fd)) ? 1 : 0;
            slow = s;
        }
        return s == 1;
    }

    /** FIFOs, character devices, sockets and type 0, an anonymous inode: eventfd, timerfd, inotify, whose reads wait for events. */
    private static boolean slowType(int mode) {
        return mode == 0010000 || mode == 0020000 || mode == 0140000 || mode == 0;
    }

    /** The device number (st_rdev) of a character device, e.g. a terminal; -1 for any other file. */
    public long characterDevice() {
        long d = device;
        if (d == UNKNOWN) device = d = HostPosix.characterDevice(fd);
        return d;
    }

    @Override
    public void retain() {
        refs.incrementAndGet();
    }

    @Override
    public void release() {
        if (refs.decrementAndGet() != 0) return;
        Runnable r = lastRelease;
        if (r != null) r.run();
        HostPosix.close(fd);
    }

    /** Registers the action for the last release (one holder: the kernel's record locks). */
    public void whenLastReleased(Runnable r) {
        lastRelease = r;
    }
}
