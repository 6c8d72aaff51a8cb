package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.CpuTime;
import dev.lxrun.kernel.Process;
import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;

/** Resource usage (getrusage, times), membarrier and CPU affinity requests. */
final class SysUsage {
    private static final long NS = 1_000_000_000L, TICK_NS = NS / 100;

    private SysUsage() {}

    /** {cpu, user} nanoseconds of the process: ended threads plus the live ones so far. */
    private static long[] processTimes(Process p) {
        return new long[] {CpuTime.process(p, false), CpuTime.process(p, true)};
    }

    static long getrusage(Task t, int who, long addr) {
        final int RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1;
        long cpu, user;
        switch (who) {
            case RUSAGE_SELF -> {
                long[] times = processTimes(t.process);
                cpu = times[0];
                user = times[1];
            }
            case RUSAGE_CHILDREN -> {
                cpu = t.process.childCpuNanos.get();
                user = t.process.childUserNanos.get();
            }
            case RUSAGE_THREAD -> {
                cpu = CpuTime.thread(t, false);
                user = CpuTime.thread(t, true);
            }
            default -> { return -Errno.EINVAL; }
        }
        long sys = Math.max(0, cpu - user);
        byte[] ru = new byte[144];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(ru).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, user / NS).putLong(8, (user % NS) / 1000).putLong(16, sys / NS).putLong(24, (sys % NS) / 1000);
        if (who != RUSAGE_CHILDREN && t.process.mm != null) b.putLong(32, t.process.mm.residentBytes() / 1024);
        t.process.mm.writeBytes(addr, ru);
        return 0;
    }

    /** times(2): CPU ticks of the process and its reaped children; returns ticks since boot. */
    static long times(Task t, long addr) {
        if (addr != 0) {
            long[] self = processTimes(t.process);
            long cu = t.process.childUserNanos.get(), cc = t.process.childCpuNanos.get();
            var mm = t.process.mm;
            mm.writeLong(addr, self[1] / TICK_NS);
            mm.writeLong(addr + 8, Math.max(0, self[0] - self[1]) / TICK_NS);
            mm.writeLong(addr + 16, cu / TICK_NS);
            mm.writeLong(addr + 24, Math.max(0, cc - cu) / TICK_NS);
        }
        return (System.nanoTime() - t.kernel().bootNanos) / TICK_NS;
    }

    /**
     * membarrier: with threads taking turns on one CPU under a lock whose handover is itself a
     * full barrier, every barrier command is already satisfied when the call is made. With
     * threads in parallel, every other engine of the address space is first brought out of guest
     * code (the barrier of an munmap): each passes a lock handover, so what it stored before is
     * visible to the caller and what the caller stored before is visible to it when it resumes.
     * GLOBAL reaches only the caller's address space (another process sees shared memory after
     * its own next lock handover, i.e. syscall or preemption).
     */
    static long membarrier(Task t, int cmd, int flags) {
        final int QUERY = 0, SUPPORTED = 1 | 2 | 4 | 8 | 16;
        if (flags != 0) return -Errno.EINVAL;
        if (cmd == QUERY) return SUPPORTED;
        if ((cmd & ~SUPPORTED) != 0 || Integer.bitCount(cmd) != 1) return -Errno.EINVAL;
        t.stopOtherEngines();
        return 0;
    }

}
