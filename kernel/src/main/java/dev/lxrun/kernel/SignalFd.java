package dev.lxrun.kernel;

import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.FileDescription;
import dev.lxrun.vfs.host.HostPosix;
import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A signalfd: reading it takes pending signals of a mask with their info. Guest signals live in
 * lxrun, not the host, so readiness for poll, select and epoll (which wait on host descriptors)
 * is shown through a host eventfd standing behind the guest fd: it holds 1 while a signal of the
 * mask is pending for the process that created the signalfd, and 0 otherwise. Reads never touch
 * the eventfd; they take signals of the reading thread and its process, as Linux does.
 */
public final class SignalFd implements FileDescription {
    private static final int O_CLOEXEC = 02000000, O_NONBLOCK = 04000, F_GETFL = 3;
    private static final long UNBLOCKABLE = PendingSignals.bit(Signals.SIGKILL) | PendingSignals.bit(Signals.SIGSTOP);

    private final Process owner;
    private final int eventFd;
    private final AtomicInteger refs = new AtomicInteger(1);
    private volatile long mask;
    /** Whether the eventfd's counter is 1 (guarded by this). */
    private boolean readable;
    /** Bumped on every change of the owner's pending signals, so a reader cannot miss one between look and wait. */
    private long changes;

    private SignalFd(Process owner, int eventFd, long mask) {
        this.owner = owner;
        this.eventFd = eventFd;
        this.mask = mask & ~UNBLOCKABLE;
    }

    /** A new signalfd for owner; returns null with err[0] = -errno when the host eventfd cannot be made. */
    public static SignalFd open(Process owner, long mask, boolean nonblock, long[] err) {
        long fd = HostSyscall.call(HostSyscall.EVENTFD2, 0, O_CLOEXEC | (nonblock ? O_NONBLOCK : 0), 0);
        if (fd < 0) {
            err[0] = fd;
            return null;
        }
        SignalFd f = new SignalFd(owner, (int) fd, mask);
        owner.signalFds.add(f);
        f.refresh();
        return f;
    }

    public long mask() {
        return mask;
    }

    /** signalfd(fd, mask): a new mask for an existing signalfd. */
    public void setMask(long m) {
        mask = m & ~UNBLOCKABLE;
        refresh();
    }

    public boolean nonblocking() {
        return (statusFlags() & O_NONBLOCK) != 0;
    }

    /** Takes the next signal of the mask pending for t, or null. */
    public SigInfo take(Task t) {
        return PendingSignals.take(t, mask);
    }

    /** A snapshot of the change counter, for {@link #awaitChange}. */
    public synchronized long changes() {
        return changes;
    }

    /** Waits up to maxNanos for the owner's pending signals to change after the snapshot seen. */
    public synchronized void awaitChange(long seen, long maxNanos) {
        if (changes != seen) return;
        try {
            wait(Math.max(1, maxNanos / 1_000_000L));
        } catch (InterruptedException e) {
            Thread.interrupted();
        }
    }

    /** The owner's pending signals changed: set the eventfd to match and wake blocked readers. */
    synchronized void refresh() {
        long pending = owner.pendingSignals;
        for (Task t : owner.tasks) pending |= t.pendingSignals;
        boolean ready = (pending & mask) != 0;
        if (ready != readable) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment one = a.allocate(8);
                if (ready) {
                    one.set(ValueLayout.JAVA_LONG, 0, 1);
                    HostPosix.write(eventFd, one);
                } else {
                    HostPosix.read(eventFd, one); // the counter is 1: this read never blocks
                }
            }
            readable = ready;
        }
        changes++;
        notifyAll();
    }

    // Reads go through the syscall layer, which knows the reading thread; the rest is Linux's answer for a signalfd.
    @Override public long read(MemorySegment dst) { return -Errno.EINVAL; }
    @Override public long write(MemorySegment src) { return -Errno.EINVAL; }
    @Override public long pread(MemorySegment dst, long offset) { return -Errno.ESPIPE; }
    @Override public long pwrite(MemorySegment src, long offset) { return -Errno.ESPIPE; }
    @Override public long seek(long offset, int whence) { return -Errno.ESPIPE; }
    @Override public int stat(MemorySegment statBuf) { return HostPosix.fstat(eventFd, statBuf); }
    @Override public long getdents64(MemorySegment buf) { return -Errno.ENOTDIR; }
    @Override public int ioctl(long request, MemorySegment arg) { return -Errno.ENOTTY; }
    @Override public int truncate(long length) { return -Errno.EINVAL; }
    @Override public int sync(boolean dataOnly) { return -Errno.EINVAL; }
    @Override public int statusFlags() { return HostPosix.fcntl(eventFd, F_GETFL, 0); }
    @Override public int hostFd() { return eventFd; }

    @Override
    public void retain() {
        refs.incrementAndGet();
    }

    @Override
    public void release() {
        if (refs.decrementAndGet() != 0) return;
        owner.signalFds.remove(this);
        HostPosix.close(eventFd);
    }
}
