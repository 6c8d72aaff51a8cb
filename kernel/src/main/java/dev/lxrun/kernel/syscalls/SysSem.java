package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.ipc.Semaphores;
import dev.lxrun.kernel.mm.AddressSpace;
import dev.lxrun.syscalls.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** semget, semop, semtimedop, semctl over the kernel's System V semaphore sets (kernel/ipc). */
final class SysSem {
    private static final long NS = 1_000_000_000L;

    private SysSem() {}

    private static Semaphores sets(Task t) {
        return t.kernel().ipc.semaphores;
    }

    static long semget(Task t, int key, int nsems, int flags) {
        return sets(t).get(key, nsems, flags, t.process.creds);
    }

    /** struct sembuf { unsigned short sem_num; short sem_op; short sem_flg; }; timeout: a relative timespec or 0. */
    static long semtimedop(Task t, int id, long sops, long nsops, long timeoutAddr) {
        if (nsops < 1 || id < 0) return -Errno.EINVAL;
        if (nsops > Semaphores.SEMOPM) return -Errno.E2BIG;
        AddressSpace mm = t.process.mm;
        long deadline = Long.MAX_VALUE;
        if (timeoutAddr != 0) {
            long sec = mm.readLong(timeoutAddr), nsec = mm.readLong(timeoutAddr + 8);
            if (sec < 0 || nsec < 0 || nsec >= NS) return -Errno.EINVAL;
            deadline = System.nanoTime() + (sec > Long.MAX_VALUE / NS - 1 ? Long.MAX_VALUE / 4 : sec * NS + nsec);
        }
        ByteBuffer b = ByteBuffer.wrap(mm.read(sops, (int) nsops * 6)).order(ByteOrder.LITTLE_ENDIAN);
        Semaphores.Op[] ops = new Semaphores.Op[(int) nsops];
        for (int i = 0; i < ops.length; i++) ops[i] = new Semaphores.Op(b.getShort() & 0xffff, b.getShort(), b.getShort());
        return sets(t).op(id, ops, deadline, t.process.creds, t.process.pid, t::hasPendingSignal);
    }

    /** semctl's fourth argument is a union semun passed by value: an int for SETVAL, else a pointer. */
    static long semctl(Task t, int id, int num, int cmd, long arg) {
        Semaphores s = sets(t);
        AddressSpace mm = t.process.mm;
        long[] out = new long[1];
        cmd &= ~0x100; // IPC_64
        if (id < 0 && cmd != Semaphores.IPC_INFO && cmd != Semaphores.SEM_INFO) return -Errno.EINVAL;
        switch (cmd) {
            case Semaphores.IPC_INFO, Semaphores.SEM_INFO -> {
                byte[] info = s.info(cmd, out);
                mm.writeBytes(arg, info);
                return out[0];
            }
            case Semaphores.IPC_STAT, Semaphores.SEM_STAT, Semaphores.SEM_STAT_ANY -> {
                byte[] ds = s.stat(id, cmd, t.process.creds, out);
                if (ds == null) return out[0];
                mm.writeBytes(arg, ds);
                return out[0];
            }
            case Semaphores.IPC_SET -> {
                return s.set(id, mm.read(arg, 104), t.process.creds);
            }
            case Semaphores.IPC_RMID -> {
                return s.remove(id, t.process.creds);
            }
            case Semaphores.GETVAL, Semaphores.GETPID, Semaphores.GETNCNT, Semaphores.GETZCNT -> {
                return s.value(id, num, cmd, t.process.creds);
            }
            case Semaphores.SETVAL -> {
                return s.setValue(id, num, (int) arg, t.process.creds, t.process.pid);
            }
            case Semaphores.GETALL -> {
                int[] values = s.values(id, t.process.creds, out);
                if (values == null) return out[0];
                ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
                for (int v : values) b.putShort((short) v);
                mm.writeBytes(arg, b.array());
                return 0;
            }
            case Semaphores.SETALL -> {
                int n = s.size(id);
                if (n < 0) return n;
                ByteBuffer b = ByteBuffer.wrap(mm.read(arg, n * 2)).order(ByteOrder.LITTLE_ENDIAN);
                int[] values = new int[n];
                for (int i = 0; i < n; i++) values[i] = b.getShort() & 0xffff;
                return s.setAll(id, values, t.process.creds, t.process.pid);
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
    }
}
