package dev.lxrun.kernel;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One of a process's interval timers (setitimer): ITIMER_REAL counts wall time and sends SIGALRM
 * (alarm uses it too), ITIMER_VIRTUAL counts the process's user CPU time and sends SIGVTALRM,
 * ITIMER_PROF its whole CPU time and sends SIGPROF. After an expiry it starts again with its
 * interval, if it has one. CPU-time timers are sampled by CpuTimerWatch.
 */
public final class IntervalTimer {
    private static final ScheduledExecutorService CLOCK = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "itimer");
        t.setDaemon(true);
        return t;
    });

    private final Process process;
    private final int signal;
    /** The CPU time counted, or null for wall time. */
    private final LongSupplier cpuClock;
    private ScheduledFuture<?> pending;
    /** Bumped at every arming and disarming, so a wake-up meant for an old setting does nothing. */
    private long generation;
    private long expiresAt;   // now() at the next expiry; 0 when disarmed
    private long intervalNs;

    IntervalTimer(Process process, int signal, LongSupplier cpuClock) {
        this.process = process;
        this.signal = signal;
        this.cpuClock = cpuClock;
    }

    private long now() {
        return cpuClock == null ? System.nanoTime() : cpuClock.getAsLong();
    }

    /** Arms (value > 0) or disarms the timer; returns the old {remaining, interval} in nanoseconds. */
    public synchronized long[] set(long valueNs, long intervalNs) {
        long[] old = get();
        cancel();
        this.intervalNs = intervalNs;
        if (valueNs > 0) arm(valueNs);
        return old;
    }

    public synchronized long[] get() {
        long left = expiresAt == 0 ? 0 : Math.max(1, expiresAt - now());
        return new long[] {left, intervalNs};
    }

    private void arm(long delayNs) {
        long gen = ++generation;
        expiresAt = now() + delayNs;
        if (cpuClock != null) {
            CpuTimerWatch.watch(() -> pollCpu(gen));
        } else {
            pending = CLOCK.schedule(() -> fire(gen), delayNs, TimeUnit.NANOSECONDS);
        }
    }

    /** Wall time: the next period is counted from this expiry's handling. */
    private void fire(long gen) {
        synchronized (this) {
            if (gen != generation) return;
            expiresAt = 0;
            pending = null;
            if (intervalNs > 0 && !process.exited()) arm(intervalNs);
        }
        SignalPosting.post(process, signal);
    }

    /** CPU time, from the watcher: false once this arming is over. */
    private boolean pollCpu(long gen) {
        synchronized (this) {
            if (gen != generation || expiresAt == 0) return false;
            if (now() < expiresAt) return true;
            // As Linux's check_cpu_itimer: the next expiry is one interval after this one, no catching up.
            expiresAt = intervalNs > 0 ? expiresAt + intervalNs : 0;
        }
        if (process.exited()) return false;
        SignalPosting.post(process, signal); // outside the lock: posting may take the process tree's
        synchronized (this) {
            return gen == generation && expiresAt != 0;
        }
    }

    /** Disarms the timer (and, at process exit, for good: timers survive exec, so only exit calls this alone). */
    public synchronized void cancel() {
        if (pending != null) pending.cancel(false);
        pending = null;
        generation++;
        expiresAt = 0;
    }
}
