package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.ipc.MqueueFile;
import dev.lxrun.kernel.ipc.PosixQueue;
import dev.lxrun.kernel.ipc.PosixQueues;
import dev.lxrun.kernel.mm.AddressSpace;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.FileDescription;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * POSIX message queues: mq_open, mq_unlink, mq_timedsend, mq_timedreceive, mq_notify and
 * mq_getsetattr over the kernel's queues (kernel/ipc PosixQueues), checked in Linux's order.
 */
final class SysMqueue {
    private static final int PATH_MAX = 4096, O_NONBLOCK = 04000, O_CLOEXEC = 02000000;
    private static final int SIGEV_SIGNAL = 0, SIGEV_NONE = 1, SIGEV_THREAD = 2;
    private static final long NS = 1_000_000_000L;

    private SysMqueue() {}

    private static PosixQueues queues(Task t) {
        return t.kernel().ipc.posixQueues;
    }

    /**
     * The queue name as the kernel looks it up in the mqueue root: an empty name is ENOENT; "." and "..",
     * or one with a '/' is EACCES, a name longer than NAME_MAX ENAMETOOLONG. Returns null with
     * err[0] set otherwise.
     */
    private static String name(Task t, long addr, long[] err) {
        byte[] b = t.process.mm.readCString(addr, PATH_MAX);
        if (b == null) {
            err[0] = -Errno.ENAMETOOLONG;
            return null;
        }
        String s = new String(b, StandardCharsets.ISO_8859_1);
        if (s.isEmpty()) { // getname: an empty path is ENOENT
            err[0] = -Errno.ENOENT;
            return null;
        }
        if (s.equals(".") || s.equals("..") || s.indexOf('/') >= 0) {
            err[0] = -Errno.EACCES;
            return null;
        }
        if (b.length > PosixQueues.NAME_MAX) {
            err[0] = -Errno.ENAMETOOLONG;
            return null;
        }
        return s;
    }

    static long open(Task t, long nameAddr, int flags, int mode, long attrAddr) {
        AddressSpace mm = t.process.mm;
        long maxmsg = 0, msgsize = 0;
        if (attrAddr != 0) {
            maxmsg = mm.readLong(attrAddr + 8);
            msgsize = mm.readLong(attrAddr + 16);
        }
        long[] err = new long[2];
        String n = name(t, nameAddr, err);
        // Linux takes the descriptor slot before it looks the name up: no free fd is EMFILE first.
        if (t.process.fds.full()) return -Errno.EMFILE;
        if (n == null) return err[0];
        PosixQueue q = queues(t).open(n, flags, mode & ~t.process.fs.umask(), maxmsg, msgsize,
                attrAddr != 0 && (flags & 0100) != 0, t.process.creds, err);
        if (q == null) return err[0];
        boolean created = err[1] == 1;
        MqueueFile f = MqueueFile.open(q, flags, err);
        if (f == null) {
            if (created) queues(t).unlink(n, t.process.creds);
            return err[0];
        }
        int fd = t.process.fds.install(f, (flags & O_CLOEXEC) != 0, 0);
        if (fd < 0) {
            f.release();
            if (created) queues(t).unlink(n, t.process.creds);
        }
        return fd;
    }

    static long unlink(Task t, long nameAddr) {
        long[] err = new long[1];
        String n = name(t, nameAddr, err);
        if (n == null) return err[0];
        return queues(t).unlink(n, t.process.creds);
    }

    /** An absolute CLOCK_REALTIME timeout as a System.nanoTime deadline; EINVAL as Linux's timespec64_valid. */
    private static long deadline(Task t, long tsAddr, long[] err) {
        if (tsAddr == 0) return Long.MAX_VALUE;
        long sec = t.process.mm.readLong(tsAddr), nsec = t.process.mm.readLong(tsAddr + 8);
        if (sec < 0 || nsec < 0 || nsec >= NS) {
            err[0] = -Errno.EINVAL;
            return 0;
        }
        Instant now = Instant.now();
        long nowNs = now.getEpochSecond() * NS + now.getNano();
        long abs = sec > Long.MAX_VALUE / NS - 1 ? Long.MAX_VALUE / 2 : sec * NS + nsec;
        long left = abs - nowNs;
        long base = System.nanoTime();
        return left > Long.MAX_VALUE / 4 ? Long.MAX_VALUE : base + left;
    }

    private static MqueueFile mqueue(Task t, int fd) {
        FileDescription f = t.process.fds.get(fd);
        return f instanceof MqueueFile m ? m : null;
    }

    static long timedsend(Task t, int fd, long msg, long len, long prio, long tsAddr) {
        long[] err = new long[1];
        long deadline = deadline(t, tsAddr, err);
        if (err[0] != 0) return err[0];
        if ((prio & 0xffffffffL) >= PosixQueue.MQ_PRIO_MAX) return -Errno.EINVAL;
        MqueueFile f = mqueue(t, fd);
        if (f == null || !f.writable()) return -Errno.EBADF;
        if (len < 0 || len > f.queue.msgsize) return -Errno.EMSGSIZE;
        byte[] text = t.process.mm.read(msg, (int) len);
        return f.queue.send(text, (int) prio, f.nonblocking(), deadline, t::hasPendingSignal,
                t.process.pid, t.process.creds.uid());
    }

    static long timedreceive(Task t, int fd, long msg, long len, long prioAddr, long tsAddr) {
        long[] err = new long[1];
        long deadline = deadline(t, tsAddr, err);
        if (err[0] != 0) return err[0];
        MqueueFile f = mqueue(t, fd);
        if (f == null || !f.readable()) return -Errno.EBADF;
        if (len < f.queue.msgsize) return -Errno.EMSGSIZE;
        PosixQueue.Received r = f.queue.receive(f.nonblocking(), deadline, t::hasPendingSignal);
        if (r.result() < 0) return r.result();
        t.process.mm.writeBytes(msg, r.text());
        if (prioAddr != 0) t.process.mm.writeInt(prioAddr, r.prio());
        return r.result();
    }

    /** struct sigevent: sigev_value at 0, sigev_signo at 8, sigev_notify at 12. */
    static long notify(Task t, int fd, long sevAddr) {
        PosixQueue.Notification n = null;
        if (sevAddr != 0) {
            AddressSpace mm = t.process.mm;
            long value = mm.readLong(sevAddr);
            int signo = mm.readInt(sevAddr + 8), kind = mm.readInt(sevAddr + 12);
            if (kind != SIGEV_NONE && kind != SIGEV_SIGNAL && kind != SIGEV_THREAD) return -Errno.EINVAL;
            if (kind == SIGEV_SIGNAL && (signo < 0 || signo > 64)) return -Errno.EINVAL;
            // SIGEV_THREAD is the C library's protocol over a NETLINK_ROUTE socket lxrun does not have.
            if (kind == SIGEV_THREAD) return -Errno.ENOSYS;
            n = new PosixQueue.Notification(t.process, kind, signo, value);
        }
        MqueueFile f = mqueue(t, fd);
        if (f == null) return -Errno.EBADF;
        return f.queue.notify(t.process, n);
    }

    /** struct mq_attr { long mq_flags, mq_maxmsg, mq_msgsize, mq_curmsgs; long reserved[4]; }. */
    static long getsetattr(Task t, int fd, long newAddr, long oldAddr) {
        AddressSpace mm = t.process.mm;
        long newFlags = 0;
        if (newAddr != 0) {
            newFlags = mm.readLong(newAddr);
            if ((newFlags & ~O_NONBLOCK) != 0) return -Errno.EINVAL;
        }
        MqueueFile f = mqueue(t, fd);
        if (f == null) return -Errno.EBADF;
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(f.nonblocking() ? O_NONBLOCK : 0).putLong(f.queue.maxmsg).putLong(f.queue.msgsize)
                .putLong(f.queue.currentMessages());
        if (newAddr != 0) f.setNonblocking((newFlags & O_NONBLOCK) != 0);
        if (oldAddr != 0) mm.writeBytes(oldAddr, b.array());
        return 0;
    }
}
