package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Process;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.FileDescription;
import dev.lxrun.vfs.host.HostPosix;
import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pidfd: a descriptor naming one guest process. poll, select and epoll wait on host
 * descriptors, so a host eventfd stands behind it and becomes readable when the process has
 * exited (a virtual thread watches for that). Reading and writing are EINVAL as on Linux.
 */
final class PidFd implements FileDescription {
    private static final int O_CLOEXEC = 02000000, O_NONBLOCK = 04000, O_RDWR = 2;
    private static final long WATCH_MS = 10;

    final Process process;
    private final int eventFd;
    private final int flags;
    private final AtomicInteger refs = new AtomicInteger(1);
    private volatile boolean closed;

    private PidFd(Process process, int eventFd, int flags) {
        this.process = process;
        this.eventFd = eventFd;
        this.flags = flags;
    }

    /** A pidfd for p, or null with err[0] = -errno when the host eventfd cannot be made. */
    static PidFd open(Process p, boolean nonblock, long[] err) {
        long fd = HostSyscall.call(HostSyscall.EVENTFD2, 0, O_CLOEXEC | O_NONBLOCK, 0, 0, 0, 0);
        if (fd < 0) {
            err[0] = fd;
            return null;
        }
        PidFd f = new PidFd(p, (int) fd, O_RDWR | (nonblock ? O_NONBLOCK : 0));
        Thread.ofVirtual().name("pidfd-" + p.pid).start(f::watch);
        return f;
    }

    private void watch() {
        try {
            while (!closed && !process.exited()) Thread.sleep(WATCH_MS);
        } catch (InterruptedException e) {
            return;
        }
        // Under the lock that close takes: the host fd number must not be reused meanwhile.
        synchronized (this) {
            if (closed) return;
            try (Arena a = Arena.ofConfined()) {
                MemorySegment one = a.allocate(ValueLayout.JAVA_LONG);
                one.set(ValueLayout.JAVA_LONG, 0, 1);
                HostPosix.write(eventFd, one);
            }
        }
    }

    @Override public long read(MemorySegment dst) { return -Errno.EINVAL; }
    @Override public long write(MemorySegment src) { return -Errno.EINVAL; }
    @Override public long pread(MemorySegment dst, long offset) { return -Errno.EINVAL; }
    @Override public long pwrite(MemorySegment src, long offset) { return -Errno.EINVAL; }
    @Override public long seek(long offset, int whence) { return -Errno.ESPIPE; }
    @Override public int stat(MemorySegment statBuf) { return HostPosix.fstat(eventFd, statBuf); }
    @Override public long getdents64(MemorySegment buf) { return -Errno.ENOTDIR; }
    @Override public int ioctl(long request, MemorySegment arg) { return -Errno.ENOTTY; }
    @Override public int truncate(long length) { return -Errno.EINVAL; }
    @Override public int sync(boolean dataOnly) { return -Errno.EINVAL; }
    @Override public int statusFlags() { return flags; }
    @Override public int hostFd() { return eventFd; }

    @Override
    public void retain() {
        refs.incrementAndGet();
    }

    @Override
    public void release() {
        if (refs.decrementAndGet() != 0) return;
        synchronized (this) {
            closed = true;
            HostPosix.close(eventFd);
        }
    }
}
