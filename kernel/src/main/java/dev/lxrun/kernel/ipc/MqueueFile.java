package dev.lxrun.kernel.ipc;

import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.FileDescription;
import dev.lxrun.vfs.host.HostPosix;
import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An open POSIX message queue (what mq_open returns). Guest queues live in lxrun, so poll, select
 * and epoll, which wait on host descriptors, see the queue through a host eventfd of this open
 * file: its counter is 0 while the queue is empty (writable only), 1 while it holds messages and
 * has room (readable and writable), and 0xfffffffffffffffe while it is full (an eventfd at that
 * value is readable and not writable). Its O_NONBLOCK is the description's, so fcntl(F_SETFL)
 * and mq_setattr change the same flag.
 */
public final class MqueueFile implements FileDescription {
    private static final int O_CLOEXEC = 02000000, O_NONBLOCK = 04000, F_GETFL = 3, F_SETFL = 4;
    private static final long FULL = 0xfffffffffffffffeL;

    public final PosixQueue queue;
    private final int accessMode;
    private final int eventFd;
    private final AtomicInteger refs = new AtomicInteger(1);
    /** The readiness the eventfd shows now (guarded by the queue's monitor). */
    private int shown;
    private long readOffset;

    private MqueueFile(PosixQueue queue, int accessMode, int eventFd) {
        this.queue = queue;
        this.accessMode = accessMode;
        this.eventFd = eventFd;
    }

    /** A new open file of q; null with err[0] = -errno when the host eventfd cannot be made. */
    public static MqueueFile open(PosixQueue q, int flags, long[] err) {
        long fd = HostSyscall.call(HostSyscall.EVENTFD2, 0, O_CLOEXEC | (flags & O_NONBLOCK), 0);
        if (fd < 0) {
            err[0] = fd;
            return null;
        }
        MqueueFile f = new MqueueFile(q, flags & 3, (int) fd);
        synchronized (q) {
            q.files.add(f);
            f.show(q.readiness());
        }
        return f;
    }

    public boolean readable() {
        return accessMode == 0 || accessMode == 2;
    }

    public boolean writable() {
        return accessMode == 1 || accessMode == 2;
    }

    public boolean nonblocking() {
        return (statusFlags() & O_NONBLOCK) != 0;
    }

    /** mq_setattr: only O_NONBLOCK of mq_flags changes. */
    public void setNonblocking(boolean on) {
        int fl = HostPosix.fcntl(eventFd, F_GETFL, 0);
        HostPosix.fcntl(eventFd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
    }

    /** Sets the eventfd's counter for a readiness of the queue (called under the queue's monitor). */
    void show(int readiness) {
        if (readiness == shown) return;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(8);
            // The counter is nonzero here, so this read never blocks; it resets the counter to 0.
            if (shown != 0) HostPosix.read(eventFd, v);
            if (readiness != 0) {
                v.set(ValueLayout.JAVA_LONG, 0, readiness == 1 ? 1 : FULL);
                HostPosix.write(eventFd, v); // onto 0: never blocks
            }
        }
        shown = readiness;
    }

    /** read(2) of a queue's file gives its status line, as Linux's mqueue filesystem does. */
    @Override
    public synchronized long read(MemorySegment dst) {
        byte[] text = queue.describe().getBytes(StandardCharsets.US_ASCII);
        if (readOffset >= text.length) return 0;
        int n = (int) Math.min(dst.byteSize(), text.length - readOffset);
        MemorySegment.copy(text, (int) readOffset, dst, ValueLayout.JAVA_BYTE, 0, n);
        readOffset += n;
        return n;
    }

    @Override public long write(MemorySegment src) { return -Errno.EINVAL; }
    @Override public long pread(MemorySegment dst, long offset) { return -Errno.EINVAL; }
    @Override public long pwrite(MemorySegment src, long offset) { return -Errno.EINVAL; }
    @Override public synchronized long seek(long offset, int whence) {
        if (whence != 0 || offset < 0) return -Errno.EINVAL;
        readOffset = offset;
        return offset;
    }
    @Override public int stat(MemorySegment statBuf) { return HostPosix.fstat(eventFd, statBuf); }
    @Override public long getdents64(MemorySegment buf) { return -Errno.ENOTDIR; }
    @Override public int ioctl(long request, MemorySegment arg) { return -Errno.ENOTTY; }
    @Override public int truncate(long length) { return -Errno.EINVAL; }
    @Override public int sync(boolean dataOnly) { return -Errno.EINVAL; }

    @Override
    public int statusFlags() {
        return accessMode | (HostPosix.fcntl(eventFd, F_GETFL, 0) & O_NONBLOCK);
    }

    @Override public int hostFd() { return eventFd; }

    @Override
    public void retain() {
        refs.incrementAndGet();
    }

    @Override
    public void release() {
        if (refs.decrementAndGet() != 0) return;
        synchronized (queue) {
            queue.files.remove(this);
        }
        HostPosix.close(eventFd);
    }
}
