package dev.lxrun.kernel.ipc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** A System V message queue: messages in arrival order, with Linux's byte limit and statistics. */
final class MessageQueue extends IpcIds.Entry {
    /** sizeof(struct msqid64_ds) on x86-64. */
    static final int DS_SIZE = 120;

    record Message(long type, byte[] text) {}

    final List<Message> messages = new ArrayList<>();
    long qbytes;
    long cbytes;
    long stime, rtime;
    int lspid, lrpid;

    MessageQueue(IpcPerm perm, int id, long qbytes) {
        super(perm, id);
        this.qbytes = qbytes;
    }

    /** Whether a message of size bytes fits now (Linux counts both bytes and messages against qbytes). */
    boolean fits(long size) {
        return size + cbytes <= qbytes && 1 + messages.size() <= qbytes;
    }

    void add(Message m, int pid) {
        messages.add(m);
        cbytes += m.text().length;
        lspid = pid;
        stime = IpcIds.now();
    }

    /**
     * The index of the message msgrcv would take: the first one (type 0), the first of that type
     * (type > 0; not of that type with MSG_EXCEPT), or the first of the lowest type not above
     * -type (type < 0). -1 when none.
     */
    int find(long type, boolean except) {
        if (type == 0) return messages.isEmpty() ? -1 : 0;
        if (type > 0) {
            for (int i = 0; i < messages.size(); i++) {
                if ((messages.get(i).type() == type) != except) return i;
            }
            return -1;
        }
        int best = -1;
        long limit = type == Long.MIN_VALUE ? Long.MAX_VALUE : -type;
        for (int i = 0; i < messages.size(); i++) {
            long t = messages.get(i).type();
            if (t <= limit && (best < 0 || t < messages.get(best).type())) best = i;
        }
        return best;
    }

    Message take(int index, int pid) {
        Message m = messages.remove(index);
        cbytes -= m.text().length;
        lrpid = pid;
        rtime = IpcIds.now();
        return m;
    }

    /** struct msqid64_ds. */
    byte[] describe() {
        ByteBuffer b = ByteBuffer.allocate(DS_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        perm.write(b);
        b.putLong(stime).putLong(rtime).putLong(ctime).putLong(cbytes).putLong(messages.size()).putLong(qbytes);
        b.putInt(lspid).putInt(lrpid);
        return b.array();
    }
}
