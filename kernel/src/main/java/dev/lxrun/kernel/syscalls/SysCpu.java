package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Task;
import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** getcpu: which CPU the calling thread is on, numbered as the guest sees CPUs. */
public final class SysCpu {
    private static final int HOST_GETCPU = 309;

    private SysCpu() {}

    /**
     * The CPU is the one the task's Java thread runs on now (the host's answer), folded into the
     * 0..n-1 that sched_getaffinity, /proc/cpuinfo and /sys show the guest; NUMA node 0, the only
     * node lxrun shows. The third argument (a cache) has been unused since Linux 2.6.24.
     */
    static long getcpu(Task t, long cpuAddr, long nodeAddr) {
        int cpus = SysProcess.guestCpuCount();
        int cpu = 0;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.JAVA_INT);
            if (HostSyscall.call(HOST_GETCPU, out.address(), 0, 0) == 0) cpu = Math.floorMod(out.get(ValueLayout.JAVA_INT, 0), cpus);
        }
        if (cpuAddr != 0) t.process.mm.writeInt(cpuAddr, cpu);
        if (nodeAddr != 0) t.process.mm.writeInt(nodeAddr, 0);
        return 0;
    }
}
