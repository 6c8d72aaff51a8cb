package dev.lxrun.kernel.ipc;

import dev.lxrun.kernel.Credentials;
import dev.lxrun.syscalls.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.BooleanSupplier;

/**
 * The System V message queues of one lxrun kernel (its IPC namespace): msgget, msgsnd, msgrcv
 * and msgctl over Java values, with Linux's limits, checks in Linux's order and errors. The
 * handlers (syscalls/SysMsg) move the bytes to and from guest memory.
 */
public final class MessageQueues {
    public static final int MSGMAX = 8192, MSGMNB = 16384, MSGMNI = 32000;
    public static final int IPC_CREAT = 01000, IPC_EXCL = 02000, IPC_NOWAIT = 04000;
    public static final int MSG_NOERROR = 010000, MSG_EXCEPT = 020000, MSG_COPY = 040000;
    public static final int IPC_RMID = 0, IPC_SET = 1, IPC_STAT = 2, IPC_INFO = 3;
    public static final int MSG_STAT = 11, MSG_INFO = 12, MSG_STAT_ANY = 13;
    /** sizeof(struct msginfo). */
    public static final int INFO_SIZE = 32;

    final IpcIds<MessageQueue> ids = new IpcIds<>(MSGMNI);

    /** A received message: its type and text (cut to the buffer with MSG_NOERROR), or an error. */
    public record Received(long errno, long type, byte[] text) {
        static Received error(int errno) {
            return new Received(-errno, 0, null);
        }
    }

    public synchronized int get(int key, int flags, Credentials c) {
        MessageQueue q = ids.byKey(key);
        if (q != null) {
            if ((flags & IPC_CREAT) != 0 && (flags & IPC_EXCL) != 0) return -Errno.EEXIST;
            if (!q.perm.allows(c, flags)) return -Errno.EACCES;
            return q.id;
        }
        if (key != IpcIds.IPC_PRIVATE && (flags & IPC_CREAT) == 0) return -Errno.ENOENT;
        int id = ids.nextId();
        if (id < 0) return -Errno.ENOSPC;
        q = new MessageQueue(new IpcPerm(key, c, flags, IpcIds.seqOf(id)), id, MSGMNB);
        ids.add(q);
        return id;
    }

    /** msgsnd, after its argument checks and with the text already read from the guest. */
    public long send(int id, long type, byte[] text, int flags, Credentials c, int pid, BooleanSupplier interrupted) {
        synchronized (this) {
            MessageQueue q = ids.byId(id);
            if (q == null) return -Errno.EINVAL;
            if (!q.perm.allows(c, 0222)) return -Errno.EACCES;
            while (true) {
                if (q.removed) return -Errno.EIDRM;
                if (q.fits(text.length)) {
                    q.add(new MessageQueue.Message(type, text), pid);
                    notifyAll();
                    return 0;
                }
                if ((flags & IPC_NOWAIT) != 0) return -Errno.EAGAIN;
                // System V IPC calls are never restarted after a signal handler: EINTR.
                if (interrupted.getAsBoolean()) return -Errno.EINTR;
                Monitors.sleep(this, Long.MAX_VALUE);
            }
        }
    }

    public Received receive(int id, long bufSize, long type, int flags, Credentials c, int pid, BooleanSupplier interrupted) {
        boolean copy = (flags & MSG_COPY) != 0;
        if (copy && ((flags & IPC_NOWAIT) == 0 || (flags & MSG_EXCEPT) != 0)) return Received.error(Errno.EINVAL);
        synchronized (this) {
            MessageQueue q = ids.byId(id);
            if (q == null) return Received.error(Errno.EINVAL);
            if (!q.perm.allows(c, 0444)) return Received.error(Errno.EACCES);
            while (true) {
                if (q.removed) return Received.error(Errno.EIDRM);
                int at = copy ? (type >= 0 && type < q.messages.size() ? (int) type : -1) : q.find(type, (flags & MSG_EXCEPT) != 0);
                if (at >= 0) {
                    MessageQueue.Message m = q.messages.get(at);
                    if (m.text().length > bufSize && (flags & MSG_NOERROR) == 0) return Received.error(Errno.E2BIG);
                    if (!copy) {
                        q.take(at, pid);
                        notifyAll();
                    }
                    int n = (int) Math.min(bufSize, m.text().length);
                    return new Received(n, m.type(), n == m.text().length ? m.text() : java.util.Arrays.copyOf(m.text(), n));
                }
                if ((flags & IPC_NOWAIT) != 0) return Received.error(Errno.ENOMSG);
                if (interrupted.getAsBoolean()) return Received.error(Errno.EINTR);
                Monitors.sleep(this, Long.MAX_VALUE);
            }
        }
    }

    /** IPC_STAT / MSG_STAT / MSG_STAT_ANY: struct msqid64_ds, or null with the errno in out[0]. */
    public synchronized byte[] stat(int idOrIndex, int cmd, Credentials c, long[] out) {
        MessageQueue q = cmd == IPC_STAT ? ids.byId(idOrIndex) : ids.byIndex(idOrIndex);
        if (q == null) {
            out[0] = -Errno.EINVAL;
            return null;
        }
        if (cmd != MSG_STAT_ANY && !q.perm.allows(c, 0444)) {
            out[0] = -Errno.EACCES;
            return null;
        }
        out[0] = cmd == IPC_STAT ? 0 : q.id;
        return q.describe();
    }

    /** IPC_SET from a guest struct msqid64_ds. */
    public synchronized long set(int id, byte[] ds, Credentials c) {
        MessageQueue q = ids.byId(id);
        if (q == null) return -Errno.EINVAL;
        if (!q.perm.ownedBy(c)) return -Errno.EPERM;
        long qbytes = ByteBuffer.wrap(ds).order(ByteOrder.LITTLE_ENDIAN).getLong(88);
        if (qbytes > MSGMNB && c.euid() != 0) return -Errno.EPERM; // CAP_SYS_RESOURCE
        q.perm.set(ByteBuffer.wrap(ds));
        q.qbytes = qbytes;
        q.ctime = IpcIds.now();
        notifyAll(); // a larger queue may let senders in
        return 0;
    }

    public synchronized long remove(int id, Credentials c) {
        MessageQueue q = ids.byId(id);
        if (q == null) return -Errno.EINVAL;
        if (!q.perm.ownedBy(c)) return -Errno.EPERM;
        ids.remove(q);
        notifyAll(); // sleepers on it see EIDRM
        return 0;
    }

    /** IPC_INFO and MSG_INFO: struct msginfo (MSG_INFO fills in usage) and the highest index in use. */
    public synchronized byte[] info(int cmd, long[] out) {
        ByteBuffer b = ByteBuffer.allocate(INFO_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        boolean usage = cmd == MSG_INFO;
        long messages = 0, bytes = 0;
        for (MessageQueue q : ids.all()) {
            messages += q.messages.size();
            bytes += q.cbytes;
        }
        b.putInt(usage ? ids.inUse() : MSGMNI * (MSGMNB / 1024)); // msgpool
        b.putInt(usage ? (int) messages : MSGMNB);                 // msgmap
        b.putInt(MSGMAX).putInt(MSGMNB).putInt(MSGMNI);
        b.putInt(16);                                              // msgssz
        b.putInt(usage ? (int) bytes : MSGMNB);                    // msgtql
        b.putShort((short) 0xffff);                                // msgseg
        out[0] = Math.max(ids.maxIndex(), 0);
        return b.array();
    }

    /** /proc/sysvipc/msg: one line per queue in Linux's columns. */
    public synchronized String procTable() {
        StringBuilder sb = new StringBuilder("       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid"
                + "      stime      rtime      ctime\n");
        for (MessageQueue q : ids.all()) {
            IpcPerm p = q.perm;
            sb.append(String.format("%10d %10d  %4o  %10d %10d %5d %5d %5d %5d %5d %5d %10d %10d %10d\n",
                    p.key, q.id, p.mode, q.cbytes, q.messages.size(), q.lspid, q.lrpid, p.uid, p.gid, p.cuid, p.cgid,
                    q.stime, q.rtime, q.ctime));
        }
        return sb.toString();
    }
}
