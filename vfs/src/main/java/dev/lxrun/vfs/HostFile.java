package dev.lxrun.vfs;

import dev.lxrun.vfs.host.HostPosix;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

/** A file open on the host: every operation is the host's own call on the host descriptor. */
public final class HostFile implements FileDescription {
    private static final int F_GETFL = 3;

    private final int fd;
    private final AtomicInteger refs = new AtomicInteger(1);

    public HostFile(int hostFd) {
        this.fd = hostFd;
    }

    @Override public long read(MemorySegment dst) { return HostPosix.read(fd, dst); }
    @Override public long write(MemorySegment src) { return HostPosix.write(fd, src); }
    @Override public long pread(MemorySegment dst, long offset) { return HostPosix.pread(fd, dst, offset); }
    @Override public long pwrite(MemorySegment src, long offset) { return HostPosix.pwrite(fd, src, offset); }
    @Override public long seek(long offset, int whence) { return HostPosix.lseek(fd, offset, whence); }
    @Override public int stat(MemorySegment statBuf) { return HostPosix.fstat(fd, statBuf); }
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

    @Override
    public void retain() {
        refs.incrementAndGet();
    }

    @Override
    public void release() {
        if (refs.decrementAndGet() == 0) HostPosix.close(fd);
    }
}
