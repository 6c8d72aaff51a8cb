package dev.lxrun.kernel.ipc;

import java.util.ArrayList;
import java.util.List;

/**
 * The objects of one System V IPC kind, by id and by key. An id is seq * IPCMNI + index, with a
 * per-slot sequence number that changes each time the slot is reused, so that a stale id of a
 * removed object is refused (EINVAL or EIDRM) instead of naming its successor, as on Linux.
 */
final class IpcIds<T extends IpcIds.Entry> {
    static final int IPCMNI = 32768;
    static final int IPC_PRIVATE = 0;

    /** What every IPC object carries. */
    abstract static class Entry {
        final IpcPerm perm;
        final int id;
        boolean removed;
        long ctime = now();

        Entry(IpcPerm perm, int id) {
            this.perm = perm;
            this.id = id;
        }
    }

    private final List<T> slots = new ArrayList<>();
    private final int[] seqs = new int[IPCMNI];
    private final int max;

    IpcIds(int max) {
        this.max = max;
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    T byKey(int key) {
        if (key == IPC_PRIVATE) return null;
        for (T e : slots) if (e != null && e.perm.key == key) return e;
        return null;
    }

    /** The live object with this id, or null (a removed object's id, an unused slot or garbage). */
    T byId(int id) {
        if (id < 0) return null;
        int index = id % IPCMNI;
        if (index >= slots.size()) return null;
        T e = slots.get(index);
        return e != null && e.id == id ? e : null;
    }

    /** The object in slot index (MSG_STAT, SEM_STAT), or null. */
    T byIndex(int index) {
        return index >= 0 && index < slots.size() ? slots.get(index) : null;
    }

    /**
     * The id the next object should get (kernel/{shm,msg,sem}_next_id, written by checkpoint/restore
     * tools), or -1 for the usual choice. Used once, as Linux's ipc_idr_alloc does.
     */
    volatile int wanted = -1;

    /** The next id to hand out with the sequence number that goes with it, or -1 when the table is full. */
    int nextId() {
        if (wanted >= 0) {
            int want = wanted;
            wanted = -1;
            // Linux takes the first free slot at or above the wanted one, with the wanted sequence number.
            int index = want % IPCMNI;
            while (index < slots.size() && slots.get(index) != null) index++;
            return index >= IPCMNI || inUse() >= max ? -1 : seqOf(want) * IPCMNI + index;
        }
        int index = slots.indexOf(null);
        if (index < 0) index = slots.size();
        if (index >= max) return -1;
        return seqs[index] * IPCMNI + index;
    }

    static int seqOf(int id) {
        return id / IPCMNI;
    }

    void add(T e) {
        int index = e.id % IPCMNI;
        while (slots.size() <= index) slots.add(null);
        slots.set(index, e);
        seqs[index] = (seqs[index] + 1) % (Integer.MAX_VALUE / IPCMNI);
    }

    void remove(T e) {
        e.removed = true;
        slots.set(e.id % IPCMNI, null);
        while (!slots.isEmpty() && slots.get(slots.size() - 1) == null) slots.remove(slots.size() - 1);
    }

    /** The highest slot in use, or -1 (what IPC_INFO and MSG_INFO/SEM_INFO return). */
    int maxIndex() {
        return slots.size() - 1;
    }

    int inUse() {
        int n = 0;
        for (T e : slots) if (e != null) n++;
        return n;
    }

    List<T> all() {
        List<T> out = new ArrayList<>();
        for (T e : slots) if (e != null) out.add(e);
        return out;
    }
}
