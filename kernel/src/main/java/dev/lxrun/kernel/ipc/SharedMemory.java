package dev.lxrun.kernel.ipc;

import dev.lxrun.cpu.HostMemory;
import dev.lxrun.kernel.Credentials;
import dev.lxrun.kernel.Process;
import dev.lxrun.syscalls.Errno;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The System V shared memory segments of one lxrun kernel (its IPC namespace): shmget, shmctl
 * and the bookkeeping of shmat/shmdt, with Linux's default limits, checks in Linux's order and
 * errors. A segment is one block of host memory; every attach maps that same block MAP_SHARED,
 * so all processes (and children after fork) see each other's writes. syscalls/SysShm maps and
 * unmaps it in the guest's address space.
 */
public final class SharedMemory {
    public static final int IPC_CREAT = 01000, IPC_EXCL = 02000;
    public static final int IPC_RMID = 0, IPC_SET = 1, IPC_STAT = 2, IPC_INFO = 3;
    public static final int SHM_LOCK = 11, SHM_UNLOCK = 12, SHM_STAT = 13, SHM_INFO = 14, SHM_STAT_ANY = 15;
    public static final int SHM_HUGETLB = 04000;
    public static final int SHM_RDONLY = 010000, SHM_RND = 020000, SHM_REMAP = 040000, SHM_EXEC = 0100000;
    /** Mode bits Linux keeps above the permissions: removal pending, locked in memory. */
    static final int SHM_DEST = 01000, SHM_LOCKED = 02000;
    /** Linux's defaults (include/uapi/linux/shm.h): SHMMAX = SHMALL = ULONG_MAX - 2^24, SHMMNI 4096. */
    public static final long SHMMAX = 0xFFFFFFFFFEFFFFFFL, SHMALL = SHMMAX;
    public static final int SHMMIN = 1, SHMMNI = 4096;
    static final long PAGE = 4096;

    final IpcIds<Segment> ids = new IpcIds<>(SHMMNI);
    /** kernel/shmmax, shmall (in pages) and shmmni: Linux's defaults until a privileged process writes them. */
    public volatile long shmMax = SHMMAX, shmAll = SHMALL;
    public volatile int shmMni = SHMMNI;

    /** One segment: its host memory and where it is attached. */
    public static final class Segment extends IpcIds.Entry {
        final long size;
        public final MemorySegment host;
        final int cpid;
        int lpid;
        long atime, dtime;
        int key;
        final List<Attach> attaches = new ArrayList<>();

        Segment(IpcPerm perm, int id, long size, MemorySegment host, int cpid) {
            super(perm, id);
            this.size = size;
            this.host = host;
            this.cpid = cpid;
            this.key = perm.key;
        }

        /** What /proc/PID/maps shows for an attach: the segment's key, as Linux names its shm file. */
        public String mapsName() {
            return String.format("/SYSV%08x (deleted)", perm.key);
        }

        public long mappedLength() {
            return host.byteSize();
        }
    }

    /** Segment s mapped at start in process p's address space (as it was then). */
    record Attach(Process p, Object mm, long start) {}

    /** Whether an attach still stands: same process image, mapping still there. */
    private static boolean live(Attach a, Segment s) {
        return a.p().mm == a.mm() && a.p().mm.mapsHostAt(a.start(), s.host.address());
    }

    private int nattch(Segment s) {
        s.attaches.removeIf(a -> !live(a, s));
        return s.attaches.size();
    }

    private Segment byKey(int key) {
        if (key == IpcIds.IPC_PRIVATE) return null;
        for (Segment s : ids.all()) if (s.key == key) return s;
        return null;
    }

    public synchronized int get(int key, long size, int flags, Credentials c, int pid) {
        Segment s = byKey(key);
        if (s != null) {
            if ((flags & IPC_CREAT) != 0 && (flags & IPC_EXCL) != 0) return -Errno.EEXIST;
            if (!s.perm.allows(c, flags)) return -Errno.EACCES;
            if (Long.compareUnsigned(size, s.size) > 0) return -Errno.EINVAL;
            return s.id;
        }
        if (key != IpcIds.IPC_PRIVATE && (flags & IPC_CREAT) == 0) return -Errno.ENOENT;
        if (Long.compareUnsigned(size, SHMMIN) < 0 || Long.compareUnsigned(size, shmMax) > 0) return -Errno.EINVAL;
        long length = (size + PAGE - 1) & -PAGE;
        if (length == 0 || length < 0) return -Errno.ENOSPC;
        long pages = 0;
        for (Segment other : ids.all()) pages += other.host.byteSize() / PAGE;
        if (Long.compareUnsigned(pages + length / PAGE, shmAll) > 0) return -Errno.ENOSPC;
        // lxrun has no huge pages (vm/nr_hugepages reads 0): as Linux then, SHM_HUGETLB is EPERM for a
        // caller without CAP_IPC_LOCK and ENOMEM (no pages in the pool) for one with it.
        if ((flags & SHM_HUGETLB) != 0) return c.euid() != 0 ? -Errno.EPERM : -Errno.ENOMEM;
        if (ids.inUse() >= shmMni) return -Errno.ENOSPC;
        int id = ids.nextId();
        if (id < 0) return -Errno.ENOSPC;
        MemorySegment host;
        try {
            host = HostMemory.allocate(length);
        } catch (OutOfMemoryError | RuntimeException e) {
            return -Errno.ENOMEM;
        }
        Segment seg = new Segment(new IpcPerm(key, c, flags, IpcIds.seqOf(id)), id, size, host, pid);
        ids.add(seg);
        return id;
    }

    /**
     * shmat's checks once the address is settled: the segment for id (or an error in Linux's
     * order, EINVAL then EACCES); acc is the permission the attach needs (0444, 0666, | 0111).
     */
    public synchronized Object attachable(int id, int acc, Credentials c) {
        Segment s = ids.byId(id);
        if (s == null) return -Errno.EINVAL;
        if (!s.perm.allows(c, acc)) return -Errno.EACCES;
        return s;
    }

    /** The guest mapped s at start: counts the attach. */
    public synchronized void attached(Segment s, Process p, long start) {
        s.attaches.add(new Attach(p, p.mm, start));
        s.atime = IpcIds.now();
        s.lpid = p.pid;
    }

    /** The segment p attached at exactly start, for shmdt, or null. */
    public synchronized Segment attachedAt(Process p, long start) {
        for (Segment s : ids.all()) {
            for (Attach a : s.attaches) if (a.p() == p && a.start() == start && live(a, s)) return s;
        }
        return null;
    }

    /** shmdt unmapped s at start in p: the attach ends, and a segment marked for removal goes with its last one. */
    public synchronized void detached(Segment s, Process p, long start) {
        s.attaches.removeIf(a -> a.p() == p && a.start() == start);
        s.dtime = IpcIds.now();
        s.lpid = p.pid;
        reap(s);
    }

    /** fork: the child inherits every attach of the parent, at the same addresses. */
    public synchronized void forked(Process parent, Process child) {
        for (Segment s : ids.all()) {
            for (Attach a : List.copyOf(s.attaches)) {
                if (a.p() == parent && live(a, s)) s.attaches.add(new Attach(child, child.mm, a.start()));
            }
        }
    }

    /** A process ended (or its attaches went with an exec): segments marked for removal may go. */
    public synchronized void processExited(int pid) {
        for (Segment s : ids.all()) {
            s.attaches.removeIf(a -> a.p().pid == pid);
            reap(s);
        }
    }

    private void reap(Segment s) {
        if ((s.perm.mode & SHM_DEST) != 0 && nattch(s) == 0 && !s.removed) ids.remove(s);
    }

    /** shmctl; buf is the guest's struct (read for IPC_SET, written otherwise); returns the result and what to write. */
    public synchronized long control(int id, int cmd, byte[] setBuf, Credentials c, byte[][] out) {
        switch (cmd) {
            case IPC_INFO -> {
                ByteBuffer b = ByteBuffer.allocate(72).order(ByteOrder.LITTLE_ENDIAN);
                b.putLong(shmMax).putLong(SHMMIN).putLong(shmMni).putLong(SHMMNI).putLong(shmAll);
                out[0] = b.array();
                return Math.max(ids.maxIndex(), 0);
            }
            case SHM_INFO -> {
                long pages = 0;
                for (Segment s : ids.all()) pages += s.host.byteSize() / PAGE;
                ByteBuffer b = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
                b.putInt(ids.inUse()).putInt(0).putLong(pages).putLong(pages).putLong(0).putLong(0).putLong(0);
                out[0] = b.array();
                return Math.max(ids.maxIndex(), 0);
            }
            case IPC_STAT, SHM_STAT, SHM_STAT_ANY -> {
                Segment s = cmd == IPC_STAT ? ids.byId(id) : ids.byIndex(id);
                if (s == null) return -Errno.EINVAL;
                if (cmd != SHM_STAT_ANY && !s.perm.allows(c, 0444)) return -Errno.EACCES;
                ByteBuffer b = ByteBuffer.allocate(112).order(ByteOrder.LITTLE_ENDIAN);
                s.perm.write(b);
                b.putInt(0, s.key);
                b.position(IpcPerm.SIZE);
                b.putLong(s.size).putLong(s.atime).putLong(s.dtime).putLong(s.ctime);
                b.putInt(s.cpid).putInt(s.lpid).putLong(nattch(s));
                out[0] = b.array();
                return cmd == IPC_STAT ? 0 : s.id;
            }
            case IPC_SET, IPC_RMID, SHM_LOCK, SHM_UNLOCK -> {
                Segment s = ids.byId(id);
                if (s == null) return -Errno.EINVAL;
                if (cmd == SHM_LOCK || cmd == SHM_UNLOCK) {
                    // Root may lock any segment; others need the owner's rights and a memlock limit lxrun does not enforce.
                    if (!s.perm.ownedBy(c)) return -Errno.EPERM;
                    s.perm.mode = cmd == SHM_LOCK ? s.perm.mode | SHM_LOCKED : s.perm.mode & ~SHM_LOCKED;
                    return 0;
                }
                if (!s.perm.ownedBy(c)) return -Errno.EPERM;
                if (cmd == IPC_SET) {
                    s.perm.set(ByteBuffer.wrap(setBuf));
                    s.ctime = IpcIds.now();
                    return 0;
                }
                // IPC_RMID: gone now when nothing is attached, else when the last attach goes; the
                // key is freed at once (a new shmget of it creates a new segment).
                s.perm.mode |= SHM_DEST;
                s.key = IpcIds.IPC_PRIVATE;
                reap(s);
                return 0;
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
    }

    /** /proc/sysvipc/shm: one line per segment in Linux's columns (rss and swap are 0: lxrun does not count resident pages). */
    public synchronized String procTable() {
        StringBuilder sb = new StringBuilder("       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid"
                + "      atime      dtime      ctime                   rss                  swap\n");
        for (Segment s : ids.all()) {
            IpcPerm p = s.perm;
            sb.append(String.format("%10d %10d  %4o %21s %5d %5d  %5d %5d %5d %5d %5d %10d %10d %10d %21d %21d\n",
                    p.key, s.id, p.mode, Long.toUnsignedString(s.size), s.cpid, s.lpid, nattch(s), p.uid, p.gid, p.cuid, p.cgid,
                    s.atime, s.dtime, s.ctime, 0, 0));
        }
        return sb.toString();
    }
}
