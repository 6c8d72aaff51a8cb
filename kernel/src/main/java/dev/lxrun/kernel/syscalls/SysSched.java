package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Scheduler queries and CPU affinity. Guest threads run on Java threads the host schedules as
 * SCHED_OTHER, so the answers are Linux's for the policies, the host's time slice, and an
 * affinity mask kept per thread (inherited by fork and clone) that sched_getaffinity reports.
 */
final class SysSched {
    private static final int SCHED_OTHER = 0, SCHED_FIFO = 1, SCHED_RR = 2, SCHED_BATCH = 3, SCHED_IDLE = 5,
            SCHED_DEADLINE = 6;
    private static final int SCHED_RR_GET_INTERVAL = 148;

    private SysSched() {}

    /** sched_get_priority_max (max) or _min: 1..99 for the real-time policies, 0 for the others. */
    static long priorityLimit(int policy, boolean max) {
        return switch (policy) {
            case SCHED_FIFO, SCHED_RR -> max ? 99 : 1;
            case SCHED_OTHER, SCHED_BATCH, SCHED_IDLE, SCHED_DEADLINE -> 0;
            default -> -Errno.EINVAL;
        };
    }

    /**
     * sched_rr_get_interval: 0 for SCHED_FIFO, the host's round-robin slice
     * (/proc/sys/kernel/sched_rr_timeslice_ms) for SCHED_RR, and the host's answer for its own
     * SCHED_OTHER thread otherwise (guest threads run as that whatever policy they recorded).
     */
    static long rrInterval(Task t, int pid, long tsAddr) {
        if (pid < 0) return -Errno.EINVAL;
        Task target = target(t, pid);
        if (target == null) return -Errno.ESRCH;
        long sec, nsec;
        int policy = target.sched.policy;
        if (policy == SCHED_FIFO) {
            sec = 0;
            nsec = 0;
        } else if (policy == SCHED_RR) {
            long ms = rrSliceMillis();
            sec = ms / 1000;
            nsec = ms % 1000 * 1_000_000;
        } else {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment ts = a.allocate(16);
                long r = HostSyscall.call(SCHED_RR_GET_INTERVAL, 0, ts.address(), 0);
                if (r < 0) return r;
                sec = ts.get(ValueLayout.JAVA_LONG, 0);
                nsec = ts.get(ValueLayout.JAVA_LONG, 8);
            }
        }
        t.process.mm.writeLong(tsAddr, sec);
        t.process.mm.writeLong(tsAddr + 8, nsec);
        return 0;
    }

    private static long rrSliceMillis() {
        // One read of the whole value: Files.readString gave only its first byte ("1" for 100) for
        // this /proc/sys file, whose size is 0.
        try (var in = new java.io.FileInputStream("/proc/sys/kernel/sched_rr_timeslice_ms")) {
            byte[] buf = new byte[32];
            int n = in.read(buf);
            return Long.parseLong(new String(buf, 0, Math.max(0, n), java.nio.charset.StandardCharsets.US_ASCII).strip());
        } catch (Exception | Error e) {
            return 100; // Linux's default RR_TIMESLICE
        }
    }

    /** The CPUs a mask may name: the host's online ones (up to 64). */
    static long online() {
        int cpus = Math.min(64, Runtime.getRuntime().availableProcessors());
        return cpus == 64 ? -1L : (1L << cpus) - 1;
    }

    static Task target(Task t, int pid) {
        return pid == 0 ? t : t.kernel().task(pid);
    }

    /**
     * sched_setaffinity: the mask (a shorter one zero-extended, a longer one cut to 64 CPUs, as
     * Linux's get_user_cpu_mask) limited to online CPUs; EINVAL when nothing is left.
     */
    static long setAffinity(Task t, int pid, long len, long maskAddr) {
        Task target = target(t, pid);
        if (target == null) return -Errno.ESRCH;
        // Linux's check_same_owner: another user's thread needs CAP_SYS_NICE.
        var me = t.process.creds;
        var them = target.process.creds;
        if (me.euid() != them.euid() && me.euid() != them.uid()
                && !t.process.caps.has(dev.lxrun.kernel.Capabilities.CAP_SYS_NICE)) return -Errno.EPERM;
        byte[] raw = t.process.mm.read(maskAddr, (int) Math.min(Math.max(len, 0), 8));
        long mask = 0;
        for (int i = 0; i < raw.length; i++) mask |= (raw[i] & 0xffL) << (8 * i);
        mask &= online();
        if (mask == 0) return -Errno.EINVAL;
        target.affinity = mask;
        return 0;
    }

    /**
     * sched_getaffinity: the thread's mask. Which lengths are accepted and how many bytes come
     * back (the kernel's cpumask size) are the host's: it is asked about the JVM's own thread.
     */
    static long getAffinity(Task t, int pid, long len, long maskAddr) {
        final int SCHED_GETAFFINITY = 204;
        if (pid < 0) return -Errno.ESRCH;
        Task target = target(t, pid);
        if (target == null) return -Errno.ESRCH;
        if (len < 0 || len > 1 << 16) return -Errno.EINVAL;
        long size;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment host = a.allocate(Math.max(len, 8));
            size = HostSyscall.call(SCHED_GETAFFINITY, 0, len, host.address());
        }
        if (size < 0) return size;
        byte[] out = new byte[(int) size];
        long mask = target.affinity & online();
        for (int i = 0; i < Math.min(8, out.length); i++) out[i] = (byte) (mask >>> (8 * i));
        t.process.mm.writeBytes(maskAddr, out);
        return size;
    }
}
