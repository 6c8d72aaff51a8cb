package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.ipc.MessageQueues;
import dev.lxrun.kernel.mm.AddressSpace;
import dev.lxrun.syscalls.Errno;

/** msgget, msgsnd, msgrcv, msgctl over the kernel's System V message queues (kernel/ipc). */
final class SysMsg {
    private SysMsg() {}

    private static MessageQueues queues(Task t) {
        return t.kernel().ipc.messages;
    }

    static long msgget(Task t, int key, int flags) {
        return queues(t).get(key, flags, t.process.creds);
    }

    /** struct msgbuf { long mtype; char mtext[]; }. */
    static long msgsnd(Task t, int id, long msgp, long size, int flags) {
        AddressSpace mm = t.process.mm;
        long type = mm.readLong(msgp);
        if (size > MessageQueues.MSGMAX || size < 0 || id < 0) return -Errno.EINVAL;
        if (type < 1) return -Errno.EINVAL;
        byte[] text = mm.read(msgp + 8, (int) size);
        return queues(t).send(id, type, text, flags, t.process.creds, t.process.pid, t::hasPendingSignal);
    }

    static long msgrcv(Task t, int id, long msgp, long size, long type, int flags) {
        if (id < 0 || size < 0) return -Errno.EINVAL;
        MessageQueues.Received r = queues(t).receive(id, size, type, flags, t.process.creds, t.process.pid, t::hasPendingSignal);
        if (r.errno() < 0) return r.errno();
        AddressSpace mm = t.process.mm;
        mm.writeLong(msgp, r.type());
        mm.writeBytes(msgp + 8, r.text());
        return r.text().length;
    }

    static long msgctl(Task t, int id, int cmd, long buf) {
        MessageQueues q = queues(t);
        AddressSpace mm = t.process.mm;
        long[] out = new long[1];
        cmd &= ~0x100; // IPC_64: x86-64 has only the 64-bit layouts
        switch (cmd) {
            case MessageQueues.IPC_INFO, MessageQueues.MSG_INFO -> {
                byte[] info = q.info(cmd, out);
                mm.writeBytes(buf, info);
                return out[0];
            }
            case MessageQueues.IPC_STAT, MessageQueues.MSG_STAT, MessageQueues.MSG_STAT_ANY -> {
                if (cmd == MessageQueues.IPC_STAT && id < 0) return -Errno.EINVAL;
                byte[] ds = q.stat(id, cmd, t.process.creds, out);
                if (ds == null) return out[0];
                mm.writeBytes(buf, ds);
                return out[0];
            }
            case MessageQueues.IPC_SET -> {
                if (id < 0) return -Errno.EINVAL;
                return q.set(id, mm.read(buf, 120), t.process.creds);
            }
            case MessageQueues.IPC_RMID -> {
                if (id < 0) return -Errno.EINVAL;
                return q.remove(id, t.process.creds);
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
    }
}
