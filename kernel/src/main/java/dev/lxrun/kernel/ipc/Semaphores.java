package dev.lxrun.kernel.ipc;

import dev.lxrun.kernel.Credentials;
import dev.lxrun.syscalls.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The System V semaphore sets of one lxrun kernel: semget, semop/semtimedop (all operations of
 * a call applied atomically or not at all), semctl, and the SEM_UNDO adjustments a process's
 * exit applies, with Linux's limits and errors.
 */
public final class Semaphores {
    public static final int SEMMSL = 32000, SEMMNI = 32000, SEMOPM = 500, SEMVMX = SemaphoreSet.SEMVMX;
    public static final int IPC_CREAT = 01000, IPC_EXCL = 02000, IPC_NOWAIT = 04000, SEM_UNDO = 0x1000;
    public static final int IPC_RMID = 0, IPC_SET = 1, IPC_STAT = 2, IPC_INFO = 3;
    public static final int GETPID = 11, GETVAL = 12, GETALL = 13, GETNCNT = 14, GETZCNT = 15, SETVAL = 16, SETALL = 17;
    public static final int SEM_STAT = 18, SEM_INFO = 19, SEM_STAT_ANY = 20;
    /** sizeof(struct seminfo). */
    public static final int INFO_SIZE = 40;

    /** One operation of a semop call (struct sembuf). */
    public record Op(int num, int op, int flags) {}

    final IpcIds<SemaphoreSet> ids = new IpcIds<>(SEMMNI);
    /** SEM_UNDO adjustments per process (pid) and set (id): what exit adds back to each semaphore. */
    private final Map<Integer, Map<Integer, int[]>> undo = new HashMap<>();

    public synchronized int get(int key, int nsems, int flags, Credentials c) {
        if (nsems < 0 || nsems > SEMMSL) return -Errno.EINVAL;
        SemaphoreSet s = ids.byKey(key);
        if (s != null) {
            if ((flags & IPC_CREAT) != 0 && (flags & IPC_EXCL) != 0) return -Errno.EEXIST;
            if (!s.perm.allows(c, flags)) return -Errno.EACCES;
            if (nsems > s.size()) return -Errno.EINVAL;
            return s.id;
        }
        if (key != IpcIds.IPC_PRIVATE && (flags & IPC_CREAT) == 0) return -Errno.ENOENT;
        if (nsems == 0) return -Errno.EINVAL;
        int id = ids.nextId();
        if (id < 0) return -Errno.ENOSPC;
        s = new SemaphoreSet(new IpcPerm(key, c, flags, IpcIds.seqOf(id)), id, nsems);
        ids.add(s);
        return id;
    }

    /**
     * semop/semtimedop with the operations already read from the guest (nsops checked by the
     * handler). Sleeps until every operation can be applied at once, the deadline passes
     * (EAGAIN), the set is removed (EIDRM) or a signal comes (EINTR: never restarted).
     */
    public long op(int id, Op[] ops, long deadline, Credentials c, int pid, BooleanSupplier interrupted) {
        synchronized (this) {
            SemaphoreSet s = ids.byId(id);
            if (s == null) return -Errno.EINVAL;
            boolean alter = false, undoing = false;
            for (Op o : ops) {
                if (o.num() >= s.size()) return -Errno.EFBIG;
                if (o.op() != 0) alter = true;
                if ((o.flags() & SEM_UNDO) != 0) undoing = true;
            }
            if (!s.perm.allows(c, alter ? 0222 : 0444)) return -Errno.EACCES;
            while (true) {
                if (s.removed) return -Errno.EIDRM;
                int blocked = tryApply(s, ops, pid);
                if (blocked == -2) return -Errno.ERANGE;
                if (blocked < 0) {
                    if (undoing) recordUndo(s, ops, pid);
                    notifyAll();
                    return 0;
                }
                Op o = ops[blocked];
                if ((o.flags() & IPC_NOWAIT) != 0) return -Errno.EAGAIN;
                if (interrupted.getAsBoolean()) return -Errno.EINTR;
                if (deadline != Long.MAX_VALUE && System.nanoTime() >= deadline) return -Errno.EAGAIN;
                int[] count = o.op() == 0 ? s.zcnt : s.ncnt;
                count[o.num()]++;
                try {
                    Monitors.sleep(this, deadline);
                } finally {
                    count[o.num()]--;
                }
            }
        }
    }

    /**
     * Applies every operation or none: -1 when applied, -2 when a value would pass SEMVMX
     * (ERANGE), else the index of the first operation that has to wait.
     */
    private static int tryApply(SemaphoreSet s, Op[] ops, int pid) {
        int[] v = s.values.clone();
        for (int i = 0; i < ops.length; i++) {
            Op o = ops[i];
            int cur = v[o.num()];
            if (o.op() == 0) {
                if (cur != 0) return i;
            } else if (o.op() < 0) {
                if (cur + o.op() < 0) return i;
                v[o.num()] = cur + o.op();
            } else {
                if (cur + o.op() > SEMVMX) return -2;
                v[o.num()] = cur + o.op();
            }
        }
        System.arraycopy(v, 0, s.values, 0, v.length);
        for (Op o : ops) s.pids[o.num()] = pid;
        s.otime = IpcIds.now();
        return -1;
    }

    private void recordUndo(SemaphoreSet s, Op[] ops, int pid) {
        int[] adj = undo.computeIfAbsent(pid, p -> new HashMap<>()).computeIfAbsent(s.id, i -> new int[s.size()]);
        for (Op o : ops) if ((o.flags() & SEM_UNDO) != 0) adj[o.num()] -= o.op();
    }

    /** A process ended: its SEM_UNDO adjustments are applied, each value kept within 0..SEMVMX, as Linux's exit_sem does. */
    public synchronized void processExited(int pid) {
        Map<Integer, int[]> mine = undo.remove(pid);
        if (mine == null) return;
        for (Map.Entry<Integer, int[]> e : mine.entrySet()) {
            SemaphoreSet s = ids.byId(e.getKey());
            if (s == null) continue;
            int[] adj = e.getValue();
            for (int i = 0; i < adj.length; i++) {
                if (adj[i] == 0) continue;
                s.values[i] = Math.max(0, Math.min(SEMVMX, s.values[i] + adj[i]));
                s.pids[i] = pid;
            }
        }
        notifyAll();
    }

    /** Forgets every process's adjustment of one semaphore (SETVAL, SETALL: num -1) of a set. */
    private void clearUndo(int id, int num) {
        for (Iterator<Map<Integer, int[]>> it = undo.values().iterator(); it.hasNext(); ) {
            Map<Integer, int[]> m = it.next();
            int[] adj = m.get(id);
            if (adj == null) continue;
            if (num < 0) m.remove(id);
            else adj[num] = 0;
        }
    }

    /** GETVAL, GETPID, GETNCNT, GETZCNT. */
    public synchronized long value(int id, int num, int cmd, Credentials c) {
        SemaphoreSet s = ids.byId(id);
        if (s == null) return -Errno.EINVAL;
        if (!s.perm.allows(c, 0444)) return -Errno.EACCES;
        if (num < 0 || num >= s.size()) return -Errno.EINVAL;
        return switch (cmd) {
            case GETVAL -> s.values[num];
            case GETPID -> s.pids[num];
            case GETNCNT -> s.ncnt[num];
            default -> s.zcnt[num];
        };
    }

    /** GETALL: the values, or null with the errno in out[0]. */
    public synchronized int[] values(int id, Credentials c, long[] out) {
        SemaphoreSet s = ids.byId(id);
        out[0] = s == null ? -Errno.EINVAL : !s.perm.allows(c, 0444) ? -Errno.EACCES : 0;
        return out[0] == 0 ? s.values.clone() : null;
    }

    /** The number of semaphores in a set (for SETALL/GETALL's buffer), or -errno. */
    public synchronized int size(int id) {
        SemaphoreSet s = ids.byId(id);
        return s == null ? -Errno.EINVAL : s.size();
    }

    public synchronized long setValue(int id, int num, int value, Credentials c, int pid) {
        if (value < 0 || value > SEMVMX) return -Errno.ERANGE;
        SemaphoreSet s = ids.byId(id);
        if (s == null) return -Errno.EINVAL;
        if (num < 0 || num >= s.size()) return -Errno.EINVAL;
        if (!s.perm.allows(c, 0222)) return -Errno.EACCES;
        s.values[num] = value;
        s.pids[num] = pid;
        s.ctime = IpcIds.now();
        clearUndo(id, num);
        notifyAll();
        return 0;
    }

    public synchronized long setAll(int id, int[] values, Credentials c, int pid) {
        SemaphoreSet s = ids.byId(id);
        if (s == null) return -Errno.EINVAL;
        if (!s.perm.allows(c, 0222)) return -Errno.EACCES;
        for (int v : values) if (v < 0 || v > SEMVMX) return -Errno.ERANGE;
        System.arraycopy(values, 0, s.values, 0, s.size());
        java.util.Arrays.fill(s.pids, pid);
        s.ctime = IpcIds.now();
        clearUndo(id, -1);
        notifyAll();
        return 0;
    }

    /** IPC_STAT / SEM_STAT / SEM_STAT_ANY: struct semid64_ds, or null with the errno in out[0]. */
    public synchronized byte[] stat(int idOrIndex, int cmd, Credentials c, long[] out) {
        SemaphoreSet s = cmd == IPC_STAT ? ids.byId(idOrIndex) : ids.byIndex(idOrIndex);
        if (s == null) {
            out[0] = -Errno.EINVAL;
            return null;
        }
        if (cmd != SEM_STAT_ANY && !s.perm.allows(c, 0444)) {
            out[0] = -Errno.EACCES;
            return null;
        }
        out[0] = cmd == IPC_STAT ? 0 : s.id;
        return s.describe();
    }

    public synchronized long set(int id, byte[] ds, Credentials c) {
        SemaphoreSet s = ids.byId(id);
        if (s == null) return -Errno.EINVAL;
        if (!s.perm.ownedBy(c)) return -Errno.EPERM;
        s.perm.set(ByteBuffer.wrap(ds));
        s.ctime = IpcIds.now();
        return 0;
    }

    public synchronized long remove(int id, Credentials c) {
        SemaphoreSet s = ids.byId(id);
        if (s == null) return -Errno.EINVAL;
        if (!s.perm.ownedBy(c)) return -Errno.EPERM;
        ids.remove(s);
        for (Map<Integer, int[]> m : undo.values()) m.remove(id);
        notifyAll(); // sleepers on it see EIDRM
        return 0;
    }

    /** IPC_INFO and SEM_INFO: struct seminfo (SEM_INFO fills in usage) and the highest index in use. */
    public synchronized byte[] info(int cmd, long[] out) {
        boolean usage = cmd == SEM_INFO;
        int sems = 0;
        for (SemaphoreSet s : ids.all()) sems += s.size();
        ByteBuffer b = ByteBuffer.allocate(INFO_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        int semmns = SEMMNI * SEMMSL;
        b.putInt(semmns);                           // semmap
        b.putInt(SEMMNI).putInt(semmns);            // semmni, semmns
        b.putInt(semmns).putInt(SEMMSL);            // semmnu, semmsl
        b.putInt(SEMOPM).putInt(SEMOPM);            // semopm, semume
        b.putInt(usage ? ids.inUse() : 20);         // semusz
        b.putInt(SEMVMX);                           // semvmx
        b.putInt(usage ? sems : SEMVMX);            // semaem
        out[0] = Math.max(ids.maxIndex(), 0);
        return b.array();
    }

    /** /proc/sysvipc/sem: one line per set in Linux's columns. */
    public synchronized String procTable() {
        StringBuilder sb = new StringBuilder("       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n");
        for (SemaphoreSet s : ids.all()) {
            IpcPerm p = s.perm;
            sb.append(String.format("%10d %10d  %4o %10d %5d %5d %5d %5d %10d %10d\n",
                    p.key, s.id, p.mode, s.size(), p.uid, p.gid, p.cuid, p.cgid, s.otime, s.ctime));
        }
        return sb.toString();
    }
}
