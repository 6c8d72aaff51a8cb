package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.CpuTime;
import dev.lxrun.kernel.Kernel;
import dev.lxrun.kernel.Process;
import dev.lxrun.kernel.Task;

/**
 * A CPU-time clock a clockid names: CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID, or the
 * negative ids of clock_getcpuclockid and pthread_getcpuclockid, which Linux encodes
 * (include/linux/posix-timers.h) as ~pid << 3 | which, bit 2 set for a thread, which being PROF
 * (0, user + system), VIRT (1, user) or SCHED (2, all CPU time; the same as PROF here, lxrun has
 * no separate scheduler clock) and 3 meaning a clock file descriptor. Pid 0 is the caller. Exactly
 * one of thread and process is set.
 */
record CpuClock(Task thread, Process process, boolean userOnly) {
    private static final int VIRT = 1, SCHED = 2, CLOCKFD = 3, PERTHREAD = 4, WHICH = 3;
    /** clock_getres of PROF and VIRT clocks on Linux: one tick; 4 ms is HZ=250, Debian's kernels' rate. */
    private static final long TICK_NS = 4_000_000L;

    long now() {
        return thread != null ? CpuTime.thread(thread, userOnly) : CpuTime.process(process, userOnly);
    }

    /** Whether the id is of a CPU clock (it may still name no one). */
    static boolean isCpuClock(int clock) {
        return clock == SysTime.CLOCK_PROCESS_CPUTIME_ID || clock == SysTime.CLOCK_THREAD_CPUTIME_ID || clock < 0;
    }

    /** clock_getres: exact for the SCHED clocks, a tick for the others, as Linux answers. */
    static long resolution(int clock) {
        return clock >= 0 || (clock & WHICH) == SCHED ? 1 : TICK_NS;
    }

    /**
     * The clock, or null (EINVAL) when the id names no thread of the caller's process, or no
     * process. clock_gettime (gettime) also takes the caller's own thread id as its process, as
     * Linux's pid_for_clock does; timers and clock_getres want a process id.
     */
    static CpuClock of(Task caller, int clock, boolean gettime) {
        if (clock == SysTime.CLOCK_PROCESS_CPUTIME_ID) return new CpuClock(null, caller.process, false);
        if (clock == SysTime.CLOCK_THREAD_CPUTIME_ID) return new CpuClock(caller, null, false);
        if (clock >= 0 || (clock & WHICH) == CLOCKFD) return null;
        boolean user = (clock & WHICH) == VIRT;
        int pid = ~(clock >> 3);
        Kernel k = caller.kernel();
        if ((clock & PERTHREAD) != 0) {
            Task t = pid == 0 ? caller : k.task(pid);
            return t != null && t.process == caller.process ? new CpuClock(t, null, user) : null;
        }
        if (pid == 0 || (gettime && pid == caller.tid)) return new CpuClock(null, caller.process, user);
        Process p = k.process(pid);
        return p != null ? new CpuClock(null, p, user) : null;
    }

    /** Whether this is the caller's own thread clock (clock_nanosleep refuses to sleep on it). */
    boolean isThreadOf(Task caller) {
        return thread == caller;
    }
}
