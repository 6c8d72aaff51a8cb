package dev.lxrun.kernel;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU time of guest threads and processes: a guest thread's is the CPU time of the Java thread
 * running it (guest code under Unicorn counts as user time, lxrun's syscall handling as user or
 * system time as the host saw it), from the moment it started running guest code; a process's is
 * the sum over its live threads and the ones that have ended.
 */
public final class CpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /**
     * How often CPU-time timers and sleeps look at their clocks: nothing tells the JVM when a
     * thread's CPU time passes a value. One tick at HZ=250 (Debian's kernels), about the
     * precision of Linux's own CPU timers, which it checks from the scheduler tick.
     */
    public static final long SAMPLE_NS = 4_000_000L;

    private CpuTime() {}

    /**
     * The calling Java thread's CPU time so far: {total, user} nanoseconds. The user part comes
     * from getrusage(RUSAGE_THREAD): the JVM's own answer reads and parses /proc/self/task/N/stat,
     * which cost five host calls at the start and the end of every guest process.
     */
    static long[] currentThread() {
        long total = Math.max(0, THREADS.getCurrentThreadCpuTime());
        long user;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment usage = a.allocate(RUSAGE_SIZE, 8);
            user = HostSyscall.call(GETRUSAGE, RUSAGE_THREAD, usage.address(), 0) == 0
                    ? usage.get(JAVA_LONG, 0) * 1_000_000_000L + usage.get(JAVA_LONG, 8) * 1_000L
                    : THREADS.getCurrentThreadUserTime();
        }
        return new long[] {total, Math.max(0, user)};
    }

    private static final int GETRUSAGE = 98, RUSAGE_THREAD = 1, RUSAGE_SIZE = 144;

    /** A task's CPU time (userOnly: user time) since it started running guest code; 0 before that. */
    public static long thread(Task t, boolean userOnly) {
        return t.cpuTime(userOnly);
    }

    /** A process's CPU time: ended threads plus the live ones so far (userOnly: user time only). */
    public static long process(Process p, boolean userOnly) {
        // Under the lock a thread ends with, so an ending thread is counted exactly once.
        synchronized (p.cpuLock) {
            long sum = userOnly ? p.userNanos.get() : p.cpuNanos.get();
            for (Task t : p.tasks) {
                if (!t.cpuCounted()) sum += t.cpuTime(userOnly);
            }
            return sum;
        }
    }

    /** Raw CPU time of a Java thread, or -1 if it has ended. */
    static long javaThread(Thread th, boolean userOnly) {
        if (th == Thread.currentThread()) {
            return userOnly ? THREADS.getCurrentThreadUserTime() : THREADS.getCurrentThreadCpuTime();
        }
        long id = th.threadId();
        return userOnly ? THREADS.getThreadUserTime(id) : THREADS.getThreadCpuTime(id);
    }
}
