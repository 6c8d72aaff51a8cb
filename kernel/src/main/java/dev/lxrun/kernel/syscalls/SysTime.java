package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.CpuTime;
import dev.lxrun.kernel.IntervalTimer;
import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;
import java.time.Instant;

/** Clocks and sleeping. The JVM's nanoTime is the host's CLOCK_MONOTONIC on Linux. */
final class SysTime {
    static final int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3,
            CLOCK_MONOTONIC_RAW = 4, CLOCK_REALTIME_COARSE = 5, CLOCK_MONOTONIC_COARSE = 6, CLOCK_BOOTTIME = 7,
            CLOCK_REALTIME_ALARM = 8, CLOCK_BOOTTIME_ALARM = 9, CLOCK_TAI = 11;
    private static final long NS = 1_000_000_000L;

    private SysTime() {}

    /** Nanoseconds on clock id, or Long.MIN_VALUE if the clock does not exist. */
    /**
     * The alarm clocks exist only on a machine with an RTC device (alarmtimer_get_rtcdev), so
     * the host is asked once, with clock_getres (EINVAL without one).
     */
    private static final boolean ALARM_CLOCKS = hostHasClock(CLOCK_BOOTTIME_ALARM);

    private static boolean hostHasClock(int clock) {
        final int CLOCK_GETRES = 229;
        return dev.lxrun.vfs.host.HostSyscall.call(CLOCK_GETRES, clock, 0, 0, 0, 0, 0) == 0;
    }

    static long now(int clock) {
        if ((clock == CLOCK_REALTIME_ALARM || clock == CLOCK_BOOTTIME_ALARM) && !ALARM_CLOCKS) return Long.MIN_VALUE;
        return switch (clock) {
            case CLOCK_REALTIME, CLOCK_REALTIME_COARSE, CLOCK_REALTIME_ALARM, CLOCK_TAI -> {
                Instant i = Instant.now();
                yield i.getEpochSecond() * NS + i.getNano();
            }
            case CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME, CLOCK_BOOTTIME_ALARM -> System.nanoTime();
            default -> Long.MIN_VALUE; // CPU-time clocks are CpuClock's
        };
    }

    static long clockGettime(Task t, int clock, long tsAddr) {
        long ns;
        if (CpuClock.isCpuClock(clock)) {
            CpuClock c = CpuClock.of(t, clock, true);
            if (c == null) return -Errno.EINVAL;
            ns = c.now();
        } else {
            ns = now(clock);
            if (ns == Long.MIN_VALUE) return -Errno.EINVAL;
        }
        writeTimespec(t, tsAddr, ns);
        return 0;
    }

    static long clockGetres(Task t, int clock, long tsAddr) {
        long res;
        if (CpuClock.isCpuClock(clock)) {
            // libc's clock_getcpuclockid asks this to learn whether a pid exists (EINVAL: ESRCH).
            if (CpuClock.of(t, clock, false) == null) return -Errno.EINVAL;
            res = CpuClock.resolution(clock);
        } else {
            if (now(clock) == Long.MIN_VALUE) return -Errno.EINVAL;
            boolean coarse = clock == CLOCK_REALTIME_COARSE || clock == CLOCK_MONOTONIC_COARSE;
            res = coarse ? 4_000_000L : 1L;
        }
        if (tsAddr != 0) writeTimespec(t, tsAddr, res);
        return 0;
    }

    static long gettimeofday(Task t, long tvAddr, long tzAddr) {
        long ns = now(CLOCK_REALTIME);
        if (tvAddr != 0) {
            t.process.mm.writeLong(tvAddr, Math.floorDiv(ns, NS));
            t.process.mm.writeLong(tvAddr + 8, Math.floorMod(ns, NS) / 1000);
        }
        if (tzAddr != 0) t.process.mm.writeLong(tzAddr, 0); // UTC, no DST: struct timezone is two ints
        return 0;
    }

    static long time(Task t, long tlocAddr) {
        long s = Math.floorDiv(now(CLOCK_REALTIME), NS);
        if (tlocAddr != 0) t.process.mm.writeLong(tlocAddr, s);
        return s;
    }

    static long nanosleep(Task t, long reqAddr, long remAddr) {
        return clockNanosleep(t, CLOCK_MONOTONIC, 0, reqAddr, remAddr);
    }

    static long clockNanosleep(Task t, int clock, int flags, long reqAddr, long remAddr) {
        final int TIMER_ABSTIME = 1;
        // alarm_timer_nsleep: no RTC device is EOPNOTSUPP, not EINVAL
        if ((clock == CLOCK_REALTIME_ALARM || clock == CLOCK_BOOTTIME_ALARM) && !ALARM_CLOCKS) return -Errno.EOPNOTSUPP;
        CpuClock cpu = CpuClock.isCpuClock(clock) ? CpuClock.of(t, clock, false) : null;
        if (cpu != null ? cpu.isThreadOf(t) : now(clock) == Long.MIN_VALUE) return -Errno.EINVAL;
        long sec = t.process.mm.readLong(reqAddr), nsec = t.process.mm.readLong(reqAddr + 8);
        if (sec < 0 || nsec < 0 || nsec >= NS) return -Errno.EINVAL;
        long req = sec > Long.MAX_VALUE / NS - 1 ? Long.MAX_VALUE / 2 : sec * NS + nsec;
        if (cpu != null) return cpuNanosleep(t, cpu, (flags & TIMER_ABSTIME) != 0, req, remAddr);
        long deadline = (flags & TIMER_ABSTIME) != 0 ? System.nanoTime() + (req - now(clock)) : System.nanoTime() + req;
        if (t.sleepUntilSignal(deadline)) {
            if (remAddr != 0 && (flags & TIMER_ABSTIME) == 0) writeTimespec(t, remAddr, Math.max(0, deadline - System.nanoTime()));
            return -Errno.EINTR;
        }
        return 0;
    }

    /**
     * Sleeps until a CPU clock (another thread's, or a process's) reaches a value. Nothing signals
     * that moment, so the clock is sampled every CpuTime.SAMPLE_NS: the sleep ends up to that much late.
     */
    private static long cpuNanosleep(Task t, CpuClock clock, boolean absolute, long req, long remAddr) {
        long target = absolute ? req : clock.now() + req;
        while (clock.now() < target) {
            if (t.sleepUntilSignal(System.nanoTime() + CpuTime.SAMPLE_NS)) {
                if (remAddr != 0 && !absolute) writeTimespec(t, remAddr, Math.max(0, target - clock.now()));
                return -Errno.EINTR;
            }
        }
        return 0;
    }

    static void writeTimespec(Task t, long addr, long ns) {
        t.process.mm.writeLong(addr, Math.floorDiv(ns, NS));
        t.process.mm.writeLong(addr + 8, Math.floorMod(ns, NS));
    }

    /** alarm(seconds): SIGALRM after that many seconds; returns the seconds left on the old alarm. */
    static long alarm(Task t, long seconds) {
        long[] old = t.process.realTimer.set(Math.min(seconds, Integer.MAX_VALUE) * NS, 0);
        return old[0] == 0 ? 0 : Math.max(1, (old[0] + NS / 2) / NS);
    }

    /** ITIMER_REAL (0), ITIMER_VIRTUAL (1) or ITIMER_PROF (2) of the caller's process; null for others. */
    private static IntervalTimer itimer(Task t, int which) {
        return switch (which) {
            case 0 -> t.process.realTimer;
            case 1 -> t.process.virtualTimer;
            case 2 -> t.process.profTimer;
            default -> null;
        };
    }

    static long setitimer(Task t, int which, long newAddr, long oldAddr) {
        IntervalTimer timer = itimer(t, which);
        if (timer == null) return -Errno.EINVAL;
        var mm = t.process.mm;
        long intervalNs = 0, valueNs = 0;
        if (newAddr != 0) {
            long isec = mm.readLong(newAddr), iusec = mm.readLong(newAddr + 8);
            long vsec = mm.readLong(newAddr + 16), vusec = mm.readLong(newAddr + 24);
            if (iusec < 0 || iusec >= 1_000_000 || vusec < 0 || vusec >= 1_000_000 || isec < 0 || vsec < 0) return -Errno.EINVAL;
            intervalNs = isec * NS + iusec * 1000;
            valueNs = vsec * NS + vusec * 1000;
        }
        long[] old = newAddr != 0 ? timer.set(valueNs, intervalNs) : timer.get();
        if (oldAddr != 0) writeItimerval(t, oldAddr, old);
        return 0;
    }

    static long getitimer(Task t, int which, long addr) {
        IntervalTimer timer = itimer(t, which);
        if (timer == null) return -Errno.EINVAL;
        writeItimerval(t, addr, timer.get());
        return 0;
    }

    private static void writeItimerval(Task t, long addr, long[] remainingAndInterval) {
        var mm = t.process.mm;
        mm.writeLong(addr, remainingAndInterval[1] / NS);
        mm.writeLong(addr + 8, (remainingAndInterval[1] % NS) / 1000);
        mm.writeLong(addr + 16, remainingAndInterval[0] / NS);
        mm.writeLong(addr + 24, (remainingAndInterval[0] % NS + 999) / 1000);
    }
}
