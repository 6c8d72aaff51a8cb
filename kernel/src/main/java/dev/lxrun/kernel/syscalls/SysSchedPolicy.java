package dev.lxrun.kernel.syscalls;

import static dev.lxrun.kernel.TaskSched.*;

import dev.lxrun.kernel.Process;
import dev.lxrun.kernel.Rlimits;
import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.TaskSched;
import dev.lxrun.syscalls.Errno;

/**
 * sched_setscheduler/sched_getscheduler, sched_setparam/sched_getparam and
 * sched_setattr/sched_getattr with Linux's checks, in Linux's order. The result is recorded per
 * thread (TaskSched) and reported back; the host still runs every guest thread as SCHED_OTHER,
 * and SCHED_DEADLINE has no admission control (never EBUSY). The nice value is lxrun's per
 * process one, so sched_setattr's sched_nice on one thread sets it for the whole process.
 */
final class SysSchedPolicy {
    /** sched_setparam's "keep the policy" (Linux's SETPARAM_POLICY). */
    private static final int KEEP_POLICY = -1;
    private static final int SCHED_RESET_ON_FORK = 0x40000000;
    private static final long FLAG_RESET_ON_FORK = 0x01, FLAG_RECLAIM = 0x02, FLAG_DL_OVERRUN = 0x04,
            FLAG_KEEP_POLICY = 0x08, FLAG_KEEP_PARAMS = 0x10, FLAG_UTIL_CLAMP_MIN = 0x20, FLAG_UTIL_CLAMP_MAX = 0x40,
            FLAG_SUGOV = 0x10000000;
    private static final long FLAGS_ALL = 0x7f;
    /** struct sched_attr: 48 bytes in its first version, 56 with the utilisation clamps. */
    private static final int ATTR_SIZE_VER0 = 48, ATTR_SIZE_VER1 = 56, PAGE_SIZE = 4096;
    /** Linux's defaults of /proc/sys/kernel/sched_deadline_period_{min,max}_us, in ns. */
    private static final long DL_PERIOD_MIN = 100L * 1000, DL_PERIOD_MAX = (1L << 22) * 1000;

    private SysSchedPolicy() {}

    /** The parameters one request asks for (Linux's struct sched_attr, policy possibly KEEP_POLICY). */
    private record Attr(int policy, long flags, int nice, long priority, long runtime, long deadline, long period) {}

    static long setscheduler(Task t, int pid, int policy, long paramAddr) {
        if (policy < 0) return -Errno.EINVAL;
        return setFromParam(t, pid, policy, paramAddr);
    }

    static long setparam(Task t, int pid, long paramAddr) {
        return setFromParam(t, pid, KEEP_POLICY, paramAddr);
    }

    private static long setFromParam(Task t, int pid, int policy, long paramAddr) {
        if (paramAddr == 0 || pid < 0) return -Errno.EINVAL;
        long priority = t.process.mm.readInt(paramAddr) & 0xffffffffL; // Linux keeps it unsigned
        Task target = SysSched.target(t, pid);
        if (target == null) return -Errno.ESRCH;
        long flags = 0;
        if (policy != KEEP_POLICY && (policy & SCHED_RESET_ON_FORK) != 0) {
            flags |= FLAG_RESET_ON_FORK;
            policy &= ~SCHED_RESET_ON_FORK;
        }
        return apply(t, target, new Attr(policy, flags, target.process.nice, priority, 0, 0, 0), policy == KEEP_POLICY);
    }

    static long getscheduler(Task t, int pid) {
        if (pid < 0) return -Errno.EINVAL;
        Task target = SysSched.target(t, pid);
        if (target == null) return -Errno.ESRCH;
        return target.sched.policy | (target.sched.resetOnFork ? SCHED_RESET_ON_FORK : 0);
    }

    static long getparam(Task t, int pid, long paramAddr) {
        if (paramAddr == 0 || pid < 0) return -Errno.EINVAL;
        Task target = SysSched.target(t, pid);
        if (target == null) return -Errno.ESRCH;
        t.process.mm.writeInt(paramAddr, TaskSched.realTime(target.sched.policy) ? target.sched.priority : 0);
        return 0;
    }

    static long setattr(Task t, int pid, long attrAddr, int flags) {
        if (attrAddr == 0 || pid < 0 || flags != 0) return -Errno.EINVAL;
        var mm = t.process.mm;
        long size = mm.readInt(attrAddr) & 0xffffffffL;
        if (size == 0) size = ATTR_SIZE_VER0;
        if (size < ATTR_SIZE_VER0 || size > PAGE_SIZE) {
            mm.writeInt(attrAddr, ATTR_SIZE_VER1); // Linux tells the caller the size it knows
            return -Errno.E2BIG;
        }
        // A newer caller's extra fields must be zero, else Linux cannot honour them: E2BIG.
        if (size > ATTR_SIZE_VER1) {
            for (byte b : mm.read(attrAddr + ATTR_SIZE_VER1, (int) size - ATTR_SIZE_VER1)) if (b != 0) return -Errno.E2BIG;
        }
        byte[] raw = new byte[ATTR_SIZE_VER1];
        byte[] given = mm.read(attrAddr, (int) Math.min(size, ATTR_SIZE_VER1));
        System.arraycopy(given, 0, raw, 0, given.length);
        var b = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int policy = b.getInt(4);
        long schedFlags = b.getLong(8);
        int nice = Math.max(-20, Math.min(19, b.getInt(16)));
        long priority = b.getInt(20) & 0xffffffffL;
        long runtime = b.getLong(24), deadline = b.getLong(32), period = b.getLong(40);
        int utilMin = b.getInt(48), utilMax = b.getInt(52);
        if ((schedFlags & (FLAG_UTIL_CLAMP_MIN | FLAG_UTIL_CLAMP_MAX)) != 0 && size < ATTR_SIZE_VER1) return -Errno.EINVAL;
        if (policy < 0) return -Errno.EINVAL;
        boolean keepPolicy = (schedFlags & FLAG_KEEP_POLICY) != 0;
        Task target = SysSched.target(t, pid);
        if (target == null) return -Errno.ESRCH;
        if ((schedFlags & FLAG_KEEP_PARAMS) != 0) {
            TaskSched s = target.sched;
            priority = s.priority;
            runtime = s.dlRuntime;
            deadline = s.dlDeadline;
            period = s.dlPeriod;
            nice = target.process.nice;
        }
        if ((schedFlags & FLAG_UTIL_CLAMP_MIN) != 0 && (utilMin & 0xffffffffL) > 1024) return -Errno.EINVAL;
        if ((schedFlags & FLAG_UTIL_CLAMP_MAX) != 0 && (utilMax & 0xffffffffL) > 1024) return -Errno.EINVAL;
        return apply(t, target, new Attr(keepPolicy ? KEEP_POLICY : policy, schedFlags, nice, priority, runtime, deadline,
                period), keepPolicy);
    }

    /** Linux's __sched_setscheduler: validation, then the permission checks of an unprivileged caller, then the change. */
    private static long apply(Task t, Task target, Attr a, boolean keepPolicy) {
        TaskSched s = target.sched;
        int policy = keepPolicy ? s.policy : a.policy();
        boolean resetOnFork = keepPolicy ? s.resetOnFork : (a.flags() & FLAG_RESET_ON_FORK) != 0;
        if (!keepPolicy && !valid(policy)) return -Errno.EINVAL;
        if ((a.flags() & ~(FLAGS_ALL | FLAG_SUGOV)) != 0) return -Errno.EINVAL;
        if (a.priority() > 99) return -Errno.EINVAL;
        if (policy == SCHED_DEADLINE && !validDeadline(a)) return -Errno.EINVAL;
        if (TaskSched.realTime(policy) != (a.priority() != 0)) return -Errno.EINVAL;
        boolean fair = policy == SCHED_OTHER || policy == SCHED_BATCH;
        Process p = target.process;
        if (t.process.creds.euid() != 0) {
            long denied = unprivileged(t, target, policy, a, fair, resetOnFork);
            if (denied != 0) return denied;
        }
        if (fair || policy == SCHED_IDLE) p.nice = a.nice();
        if (policy == SCHED_DEADLINE) {
            s.dlRuntime = a.runtime();
            s.dlDeadline = a.deadline();
            s.dlPeriod = a.period() == 0 ? a.deadline() : a.period();
        } else {
            s.dlRuntime = s.dlDeadline = s.dlPeriod = 0;
        }
        s.priority = TaskSched.realTime(policy) ? (int) a.priority() : 0;
        s.policy = policy;
        s.resetOnFork = resetOnFork;
        // Real-time and deadline threads have no timer slack; a normal one gets its default back.
        if (TaskSched.realTime(policy) || policy == SCHED_DEADLINE) s.timerSlack = 0;
        else if (s.timerSlack == 0) s.timerSlack = s.defaultTimerSlack;
        return 0;
    }

    /** What Linux refuses a caller without CAP_SYS_NICE (user_check_sched_setscheduler). */
    private static long unprivileged(Task t, Task target, int policy, Attr a, boolean fair, boolean resetOnFork) {
        TaskSched s = target.sched;
        Process p = target.process;
        if (fair && a.nice() < p.nice && 20 - a.nice() > t.process.rlimits.cur(Rlimits.NICE)) return -Errno.EPERM;
        if (TaskSched.realTime(policy)) {
            long rtprio = t.process.rlimits.cur(Rlimits.RTPRIO);
            if (policy != s.policy && rtprio == 0) return -Errno.EPERM;
            if (a.priority() > s.priority && a.priority() > rtprio) return -Errno.EPERM;
        }
        if (policy == SCHED_DEADLINE) return -Errno.EPERM;
        if (s.policy == SCHED_IDLE && policy != SCHED_IDLE
                && 20 - p.nice > t.process.rlimits.cur(Rlimits.NICE)) return -Errno.EPERM;
        int euid = t.process.creds.euid();
        if (euid != p.creds.euid() && euid != p.creds.uid()) return -Errno.EPERM;
        if (s.resetOnFork && !resetOnFork) return -Errno.EPERM;
        return 0;
    }

    private static boolean valid(int policy) {
        return switch (policy) {
            case SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE, SCHED_DEADLINE -> true;
            default -> false;
        };
    }

    /** Linux's __checkparam_dl: runtime <= deadline <= period, within the period limits. */
    private static boolean validDeadline(Attr a) {
        if (a.deadline() == 0 || Long.compareUnsigned(a.runtime(), 1 << 10) < 0) return false;
        if (a.deadline() < 0 || a.period() < 0) return false; // bit 63 set
        long period = a.period() == 0 ? a.deadline() : a.period();
        if (period < a.deadline() || Long.compareUnsigned(a.deadline(), a.runtime()) < 0) return false;
        return period >= DL_PERIOD_MIN && period <= DL_PERIOD_MAX;
    }

    /**
     * The fair scheduler's base slice as Linux scales it by default: 0.7 ms times
     * 1 + log2(online CPUs, at most 8).
     */
    private static long fairSlice() {
        int cpus = Math.min(8, Math.max(1, Runtime.getRuntime().availableProcessors()));
        return 700_000L * (1 + 31 - Integer.numberOfLeadingZeros(cpus));
    }

    static long getattr(Task t, int pid, long attrAddr, long usize, int flags) {
        if (attrAddr == 0 || pid < 0 || usize > PAGE_SIZE || usize < ATTR_SIZE_VER0 || flags != 0) return -Errno.EINVAL;
        Task target = SysSched.target(t, pid);
        if (target == null) return -Errno.ESRCH;
        TaskSched s = target.sched;
        int size = (int) Math.min(usize, ATTR_SIZE_VER1);
        var b = java.nio.ByteBuffer.allocate(ATTR_SIZE_VER1).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, size);
        b.putInt(4, s.policy);
        b.putLong(8, s.resetOnFork ? FLAG_RESET_ON_FORK : 0);
        if (s.policy == SCHED_DEADLINE) {
            b.putLong(24, s.dlRuntime);
            b.putLong(32, s.dlDeadline);
            b.putLong(40, s.dlPeriod);
        } else if (TaskSched.realTime(s.policy)) {
            b.putInt(20, s.priority);
        } else {
            b.putInt(16, target.process.nice);
            b.putLong(24, fairSlice()); // Linux reports a fair thread's time slice as its runtime
        }
        // util_min and util_max stay 0, as on a kernel without utilisation clamping (CONFIG_UCLAMP_TASK).
        byte[] out = new byte[size];
        b.get(0, out);
        t.process.mm.writeBytes(attrAddr, out);
        return 0;
    }
}
