package dev.lxrun.kernel.ipc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A System V semaphore set: values, the last pid to change each, and the counts of waiters. */
final class SemaphoreSet extends IpcIds.Entry {
    /** sizeof(struct semid64_ds) on x86-64. */
    static final int DS_SIZE = 104;
    static final int SEMVMX = 32767;

    final int[] values;
    final int[] pids;
    /** Sleepers waiting for a value to grow (semncnt) or to reach zero (semzcnt), per semaphore. */
    final int[] ncnt, zcnt;
    long otime;

    SemaphoreSet(IpcPerm perm, int id, int nsems) {
        super(perm, id);
        values = new int[nsems];
        pids = new int[nsems];
        ncnt = new int[nsems];
        zcnt = new int[nsems];
    }

    int size() {
        return values.length;
    }

    /** struct semid64_ds. */
    byte[] describe() {
        ByteBuffer b = ByteBuffer.allocate(DS_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        perm.write(b);
        b.putLong(otime).putLong(0).putLong(ctime).putLong(0).putLong(values.length);
        return b.array();
    }
}
