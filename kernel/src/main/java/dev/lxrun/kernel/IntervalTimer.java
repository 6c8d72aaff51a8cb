package dev.lxrun.kernel;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** A process's ITIMER_REAL (alarm, setitimer): SIGALRM at expiry, then every interval if one is set. */
public final class IntervalTimer {
    private static final ScheduledExecutorService CLOCK = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "itimer");
        t.setDaemon(true);
        return t;
    });

    private final Process process;
    private ScheduledFuture<?> pending;
    private long expiresAt;   // System.nanoTime of the next expiry; 0 when disarmed
    private long intervalNs;

    IntervalTimer(Process process) {
        this.process = process;
    }

    /** Arms (value > 0) or disarms the timer; returns the old {remaining, interval} in nanoseconds. */
    public synchronized long[] set(long valueNs, long intervalNs) {
        long[] old = get();
        if (pending != null) pending.cancel(false);
        pending = null;
        expiresAt = 0;
        this.intervalNs = intervalNs;
        if (valueNs > 0) schedule(valueNs);
        return old;
    }

    public synchronized long[] get() {
        long left = expiresAt == 0 ? 0 : Math.max(1, expiresAt - System.nanoTime());
        return new long[] {left, intervalNs};
    }

    private void schedule(long delayNs) {
        expiresAt = System.nanoTime() + delayNs;
        pending = CLOCK.schedule(this::fire, delayNs, TimeUnit.NANOSECONDS);
    }

    private void fire() {
        synchronized (this) {
            expiresAt = 0;
            pending = null;
            if (intervalNs > 0 && !process.exited()) schedule(intervalNs);
        }
        SignalPosting.post(process, Signals.SIGALRM);
    }

    /** The process is gone (or exec'd: timers survive exec, so only exit calls this). */
    public synchronized void cancel() {
        if (pending != null) pending.cancel(false);
        pending = null;
        expiresAt = 0;
    }
}
