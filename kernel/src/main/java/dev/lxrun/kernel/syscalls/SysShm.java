package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.ipc.SharedMemory;
import dev.lxrun.kernel.mm.AddressSpace;
import dev.lxrun.syscalls.Errno;

/** shmget, shmat, shmdt, shmctl over the kernel's System V shared memory segments (kernel/ipc). */
final class SysShm {
    private SysShm() {}

    private static final long SHMLBA = 4096;

    private static SharedMemory segments(Task t) {
        return t.kernel().ipc.sharedMemory;
    }

    static long shmget(Task t, int key, long size, int flags) {
        return segments(t).get(key, size, flags, t.process.creds, t.process.pid);
    }

    static long shmat(Task t, int id, long addr, int flags) {
        if (id < 0) return -Errno.EINVAL;
        if ((addr & (SHMLBA - 1)) != 0) {
            if ((flags & SharedMemory.SHM_RND) == 0) return -Errno.EINVAL;
            addr &= -SHMLBA;
        }
        if (addr == 0 && (flags & SharedMemory.SHM_REMAP) != 0) return -Errno.EINVAL;
        int prot = 1, acc = 0444;
        if ((flags & SharedMemory.SHM_RDONLY) == 0) {
            prot |= 2;
            acc |= 0222;
        }
        if ((flags & SharedMemory.SHM_EXEC) != 0) {
            prot |= 4;
            acc |= 0111;
        }
        SharedMemory shm = segments(t);
        synchronized (shm) {
            Object found = shm.attachable(id, acc, t.process.creds);
            if (!(found instanceof SharedMemory.Segment s)) return (Integer) found;
            AddressSpace mm = t.process.mm;
            long len = s.mappedLength();
            long at;
            if (addr != 0) {
                // Without SHM_REMAP an attach may not replace what is mapped there (Linux: EINVAL).
                if ((flags & SharedMemory.SHM_REMAP) == 0 && mm.placeMapping(addr, len, AddressSpace.MAP_FIXED_NOREPLACE) != addr) {
                    return -Errno.EINVAL;
                }
                at = mm.placeMapping(addr, len, AddressSpace.MAP_FIXED);
                if (at < 0) return -Errno.EINVAL;
            } else {
                at = mm.placeMapping(0, len, 0);
                if (at < 0) return at;
            }
            mm.mapHostMemory(at, prot, AddressSpace.MAP_SHARED, s.host, s.mapsName());
            shm.attached(s, t.process, at);
            return at;
        }
    }

    static long shmdt(Task t, long addr) {
        if ((addr & (SHMLBA - 1)) != 0) return -Errno.EINVAL;
        SharedMemory shm = segments(t);
        synchronized (shm) {
            SharedMemory.Segment s = shm.attachedAt(t.process, addr);
            if (s == null) return -Errno.EINVAL;
            t.process.mm.munmap(addr, s.mappedLength());
            shm.detached(s, t.process, addr);
            return 0;
        }
    }

    static long shmctl(Task t, int id, int cmd, long buf) {
        cmd &= ~0x100; // IPC_64: x86-64 has only the 64-bit layouts
        if (cmd == SharedMemory.IPC_STAT && id < 0) return -Errno.EINVAL;
        if ((cmd == SharedMemory.IPC_SET || cmd == SharedMemory.IPC_RMID) && id < 0) return -Errno.EINVAL;
        AddressSpace mm = t.process.mm;
        byte[] set = cmd == SharedMemory.IPC_SET ? mm.read(buf, 112) : null;
        byte[][] out = new byte[1][];
        long r = segments(t).control(id, cmd, set, t.process.creds, out);
        if (r >= 0 && out[0] != null) mm.writeBytes(buf, out[0]);
        return r;
    }
}
