package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.PosixTimer;
import dev.lxrun.kernel.Signals;
import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;

/** POSIX per-process timers: timer_create, timer_settime, timer_gettime, timer_getoverrun, timer_delete. */
final class SysTimer {
    private static final long NS = 1_000_000_000L;
    private static final int TIMER_ABSTIME = 1;

    private SysTimer() {}

    /** The wall clocks a timer can run on (CPU-time clocks are CpuClock's). */
    private static boolean timerClock(int clock) {
        return clock == SysTime.CLOCK_REALTIME || clock == SysTime.CLOCK_MONOTONIC || clock == SysTime.CLOCK_BOOTTIME
                || clock == SysTime.CLOCK_TAI;
    }

    static long timerCreate(Task t, int clock, long sevAddr, long idAddr) {
        CpuClock cpu = null;
        if (CpuClock.isCpuClock(clock)) {
            // libc passes CLOCK_PROCESS/THREAD_CPUTIME_ID as the encoded clocks of pid/tid 0.
            cpu = CpuClock.of(t, clock, false);
            if (cpu == null) return -Errno.EINVAL;
        } else {
            if (clock == SysTime.CLOCK_REALTIME_ALARM || clock == SysTime.CLOCK_BOOTTIME_ALARM) return -Errno.EOPNOTSUPP;
            if (!timerClock(clock)) return -Errno.EINVAL;
        }
        var mm = t.process.mm;
        int notify = PosixTimer.SIGEV_SIGNAL, signo = Signals.SIGALRM;
        long value = 0;
        boolean valueIsId = true;
        Task target = null;
        if (sevAddr != 0) {
            value = mm.readLong(sevAddr);
            signo = mm.readInt(sevAddr + 8);
            notify = mm.readInt(sevAddr + 12);
            valueIsId = false;
            // Linux's good_sigevent: SIGEV_THREAD (userspace's job) is not a kernel notification.
            switch (notify) {
                case PosixTimer.SIGEV_NONE -> { }
                case PosixTimer.SIGEV_SIGNAL, PosixTimer.SIGEV_THREAD_ID -> {
                    if (signo <= 0 || signo > Signals.NSIG) return -Errno.EINVAL;
                    if (notify != PosixTimer.SIGEV_SIGNAL) {
                        target = t.kernel().task(mm.readInt(sevAddr + 16));
                        if (target == null || target.process != t.process) return -Errno.EINVAL;
                    }
                }
                default -> { return -Errno.EINVAL; }
            }
        }
        // SIGEV_THREAD_ID is SIGEV_SIGNAL aimed at one thread: the target says which.
        PosixTimer timer = t.process.posixTimers.create(clock, notify & ~PosixTimer.SIGEV_THREAD_ID, signo, value,
                target, valueIsId, cpu == null ? null : cpu::now);
        try {
            mm.writeInt(idAddr, timer.id);
        } catch (RuntimeException e) {
            t.process.posixTimers.delete(timer.id);
            throw e;
        }
        return 0;
    }

    static long timerSettime(Task t, int id, int flags, long newAddr, long oldAddr) {
        PosixTimer timer = t.process.posixTimers.get(id);
        if (timer == null) return -Errno.EINVAL;
        var mm = t.process.mm;
        long isec = mm.readLong(newAddr), insec = mm.readLong(newAddr + 8);
        long vsec = mm.readLong(newAddr + 16), vnsec = mm.readLong(newAddr + 24);
        if (!valid(isec, insec) || !valid(vsec, vnsec)) return -Errno.EINVAL;
        long interval = nanos(isec, insec), value = nanos(vsec, vnsec);
        long delay = value;
        if (value != 0 && (flags & TIMER_ABSTIME) != 0) {
            // An absolute time already past expires at once.
            long now = timer.cpuClock != null ? timer.cpuClock.getAsLong() : SysTime.now(timer.clock);
            delay = Math.max(1, value - now);
        }
        long[] old = timer.set(delay, value == 0 ? 0 : interval);
        if (oldAddr != 0) writeItimerspec(t, oldAddr, old);
        return 0;
    }

    static long timerGettime(Task t, int id, long currAddr) {
        PosixTimer timer = t.process.posixTimers.get(id);
        if (timer == null) return -Errno.EINVAL;
        writeItimerspec(t, currAddr, timer.get());
        return 0;
    }

    static long timerGetoverrun(Task t, int id) {
        PosixTimer timer = t.process.posixTimers.get(id);
        return timer == null ? -Errno.EINVAL : timer.overrun();
    }

    static long timerDelete(Task t, int id) {
        return t.process.posixTimers.delete(id) ? 0 : -Errno.EINVAL;
    }

    private static boolean valid(long sec, long nsec) {
        return sec >= 0 && nsec >= 0 && nsec < NS;
    }

    private static long nanos(long sec, long nsec) {
        return sec > Long.MAX_VALUE / NS / 4 ? Long.MAX_VALUE / 4 : sec * NS + nsec;
    }

    /** struct itimerspec: it_interval then it_value. */
    private static void writeItimerspec(Task t, long addr, long[] remainingAndInterval) {
        SysTime.writeTimespec(t, addr, remainingAndInterval[1]);
        SysTime.writeTimespec(t, addr + 16, remainingAndInterval[0]);
    }
}
