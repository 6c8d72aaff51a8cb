package dev.lxrun.kernel;

import java.util.HashMap;
import java.util.Map;

/**
 * A process's POSIX timers by id. Ids start at 0 and count up per process, as Linux hands them
 * out. Timers belong to the process: a forked child starts with none, and exec deletes them.
 */
public final class PosixTimers {
    private final Process process;
    private final Map<Integer, PosixTimer> timers = new HashMap<>();
    private int nextId;

    PosixTimers(Process process) {
        this.process = process;
    }

    /** A new disarmed timer; target is the thread for SIGEV_THREAD_ID, else null; cpuClock as PosixTimer's. */
    public synchronized PosixTimer create(int clock, int notify, int signo, long value, Task target, boolean valueIsId,
                                          java.util.function.LongSupplier cpuClock) {
        int id = nextId;
        while (timers.containsKey(id)) id = id == Integer.MAX_VALUE ? 0 : id + 1;
        nextId = id == Integer.MAX_VALUE ? 0 : id + 1;
        PosixTimer t = new PosixTimer(id, clock, process, notify, signo, valueIsId ? id : value, target, cpuClock);
        timers.put(id, t);
        return t;
    }

    public synchronized PosixTimer get(int id) {
        return timers.get(id);
    }

    /** timer_delete; false when there is no such timer. */
    public synchronized boolean delete(int id) {
        PosixTimer t = timers.remove(id);
        if (t == null) return false;
        t.delete();
        return true;
    }

    /** exec and exit: every timer goes. */
    public synchronized void deleteAll() {
        for (PosixTimer t : timers.values()) t.delete();
        timers.clear();
    }
}
