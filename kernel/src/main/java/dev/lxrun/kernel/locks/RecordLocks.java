package dev.lxrun.kernel.locks;

import dev.lxrun.kernel.Process;
import dev.lxrun.kernel.SignalDelivery;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.FileDescription;
import dev.lxrun.vfs.host.HostPosix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * fcntl record locks of every guest process, kept by the kernel: POSIX locks (owned by a process,
 * dropped when it closes any descriptor of the file) and OFD locks (owned by an open file
 * description, dropped with it). Files are told apart by host device and inode. The host never
 * sees these locks: they order guest processes among themselves, not against host programs.
 * One monitor guards the table; lock calls are rare and short, and waiters are woken on every
 * change to re-check.
 */
public final class RecordLocks {
    /** Linux's MAX_DEADLK_ITERATIONS: how far a chain of waiting processes is followed. */
    private static final int DEADLOCK_DEPTH = 10;
    private static final long WAIT_SLICE_MS = 50;

    /** A file's identity on the host. */
    public record FileKey(long dev, long ino) {}

    private final Map<FileKey, List<FileLock>> byFile = new HashMap<>();
    /** How many locks each owner holds, so a close by a process holding none costs nothing. */
    private final Map<Object, Integer> heldBy = new HashMap<>();
    /** For deadlock detection: the POSIX owner each blocked POSIX owner waits for. */
    private final Map<Object, Object> waitsFor = new HashMap<>();

    /** The host identity of an open file, or null when it has no host descriptor. */
    public static FileKey keyOf(FileDescription f) {
        int h = f.hostFd();
        if (h < 0) return null;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(144);
            if (HostPosix.fstat(h, st) != 0) return null;
            return new FileKey(st.get(ValueLayout.JAVA_LONG, 0), st.get(ValueLayout.JAVA_LONG, 8));
        }
    }

    /** A process closed a descriptor: its POSIX locks on that file go, whichever descriptor took them. */
    public void descriptorClosed(Process p, FileDescription f) {
        if (!holdsAny(p)) return;
        FileKey key = keyOf(f);
        if (key != null) releaseFile(key, p);
    }

    public synchronized boolean holdsAny(Object owner) {
        return heldBy.containsKey(owner);
    }

    /** F_GETLK: the first lock of another owner that would block this request, or null. */
    public synchronized FileLock conflict(FileKey key, Object owner, boolean write, long start, long end) {
        for (FileLock l : byFile.getOrDefault(key, List.of())) {
            if (l.conflictsWith(owner, write, start, end)) return l;
        }
        return null;
    }

    /**
     * F_SETLK/F_SETLKW (unlock: type null). Returns 0, -EAGAIN when blocked and not waiting,
     * -EDEADLK when waiting would close a cycle of POSIX owners, -ERESTARTSYS when interrupted.
     */
    public synchronized int set(FileKey key, Object owner, int pid, Boolean write, long start, long end, boolean wait,
                                BooleanSupplier interrupted) {
        while (true) {
            FileLock blocker = write == null ? null : conflict(key, owner, write, start, end);
            if (blocker == null) {
                apply(key, owner, pid, write, start, end);
                return 0;
            }
            if (!wait) return -Errno.EAGAIN;
            if (owner instanceof Process && blocker.owner() instanceof Process && closesCycle(owner, blocker.owner())) {
                return -Errno.EDEADLK;
            }
            if (interrupted.getAsBoolean()) return -SignalDelivery.ERESTARTSYS;
            if (owner instanceof Process) waitsFor.put(owner, blocker.owner());
            try {
                wait(WAIT_SLICE_MS);
            } catch (InterruptedException e) {
                Thread.interrupted();
            } finally {
                waitsFor.remove(owner);
            }
        }
    }

    private boolean closesCycle(Object requester, Object blockerOwner) {
        Object o = blockerOwner;
        for (int i = 0; i < DEADLOCK_DEPTH && o != null; i++) {
            if (o == requester) return true;
            o = waitsFor.get(o);
        }
        return false;
    }

    /**
     * Replaces owner's locks on [start, end] with one of the given type (or none): locks of the
     * same type that overlap or touch it merge into it, locks of the other type are cut back.
     */
    private void apply(FileKey key, Object owner, int pid, Boolean write, long start, long end) {
        List<FileLock> old = byFile.getOrDefault(key, List.of());
        List<FileLock> next = new ArrayList<>(old.size() + 2);
        long s = start, e = end;
        int before = 0, after = 0;
        for (FileLock l : old) {
            if (l.owner() != owner) {
                next.add(l);
                continue;
            }
            before++;
            if (write != null && l.write() == write && l.touches(s, e)) {
                s = Math.min(s, l.start());
                e = Math.max(e, l.end());
                continue;
            }
            if (!l.overlaps(start, end)) {
                next.add(l);
                after++;
                continue;
            }
            if (l.start() < start) {
                next.add(new FileLock(owner, l.pid(), l.write(), l.start(), start - 1));
                after++;
            }
            if (l.end() > end) {
                next.add(new FileLock(owner, l.pid(), l.write(), end + 1, l.end()));
                after++;
            }
        }
        if (write != null) {
            next.add(new FileLock(owner, pid, write, s, e));
            after++;
        }
        if (next.isEmpty()) byFile.remove(key);
        else byFile.put(key, inLinuxOrder(next));
        count(owner, after - before);
        notifyAll();
    }

    /**
     * Linux's order of a file's POSIX lock list, which decides which of several conflicting locks
     * F_GETLK reports (the first): owners in the order they first locked the file, each owner's
     * locks by start (fcntl11: a read lock at 1 before a write lock at 10 taken earlier).
     */
    private static List<FileLock> inLinuxOrder(List<FileLock> locks) {
        Map<Object, List<FileLock>> byOwner = new java.util.LinkedHashMap<>();
        for (FileLock l : locks) byOwner.computeIfAbsent(l.owner(), o -> new ArrayList<>()).add(l);
        List<FileLock> ordered = new ArrayList<>(locks.size());
        for (List<FileLock> mine : byOwner.values()) {
            mine.sort(java.util.Comparator.comparingLong(FileLock::start));
            ordered.addAll(mine);
        }
        return ordered;
    }

    private void count(Object owner, int delta) {
        if (delta == 0) return;
        int n = heldBy.getOrDefault(owner, 0) + delta;
        if (n <= 0) heldBy.remove(owner);
        else heldBy.put(owner, n);
    }

    /** Every lock owner holds on the file goes (a POSIX owner closed a descriptor of it). */
    public synchronized void releaseFile(FileKey key, Object owner) {
        if (!heldBy.containsKey(owner)) return;
        apply(key, owner, 0, null, 0, FileLock.TO_EOF);
    }

    /** Every lock owner holds on any file goes (an open file description's last close). */
    public synchronized void releaseAll(Object owner) {
        if (!heldBy.containsKey(owner)) return;
        for (FileKey key : List.copyOf(byFile.keySet())) apply(key, owner, 0, null, 0, FileLock.TO_EOF);
    }
}
