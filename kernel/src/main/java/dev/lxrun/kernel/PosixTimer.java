package dev.lxrun.kernel;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One POSIX timer (timer_create): a one-shot or periodic expiry that queues a signal with
 * si_code SI_TIMER for its process or one of its threads, or does nothing (SIGEV_NONE). While
 * its signal is still pending, further expirations only count as overruns, as on Linux: one
 * timer never has more than one signal queued. Expiry times are System.nanoTime based, or, for a
 * timer on a CPU-time clock, values of that clock, which CpuTimerWatch samples; callers turn
 * absolute times into delays.
 */
public final class PosixTimer {
    public static final int SIGEV_SIGNAL = 0, SIGEV_NONE = 1, SIGEV_THREAD_ID = 4;
    /** Shortest period actually scheduled: shorter intervals are counted as overruns instead of spinning the host. */
    private static final long MIN_PERIOD_NS = 100_000;
    private static final ScheduledExecutorService CLOCK = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "posix-timers");
        t.setDaemon(true);
        return t;
    });

    public final int id;
    public final int clock;
    private final Process process;
    private final int notify;
    private final int signo;
    private final long value;
    /** The thread SIGEV_THREAD_ID signals go to; null for process-directed signals. */
    private final Task target;
    /** The CPU time this timer counts (a thread's or a process's), or null for a wall clock. */
    public final LongSupplier cpuClock;

    private ScheduledFuture<?> pending;
    /** Bumped whenever the timer is re-armed, so an expiry already on its way for the old setting is dropped. */
    private long generation;
    private long expiresAt;     // now() at the next expiry; 0 when disarmed
    private long intervalNs;
    private boolean signalQueued;
    private int overrun, lastOverrun;
    private boolean deleted;

    PosixTimer(int id, int clock, Process process, int notify, int signo, long value, Task target, LongSupplier cpuClock) {
        this.id = id;
        this.clock = clock;
        this.process = process;
        this.notify = notify;
        this.signo = signo;
        this.value = value;
        this.target = target;
        this.cpuClock = cpuClock;
    }

    private long now() {
        return cpuClock == null ? System.nanoTime() : cpuClock.getAsLong();
    }

    /** Arms (delay > 0 nanoseconds from now) or disarms (delay 0); returns the old {remaining, interval}. */
    public synchronized long[] set(long delayNs, long intervalNs) {
        long[] old = get();
        if (pending != null) pending.cancel(false);
        pending = null;
        generation++;
        expiresAt = 0;
        // A signal of the old setting still queued is dropped when taken; the new setting starts afresh.
        signalQueued = false;
        overrun = 0;
        this.intervalNs = intervalNs;
        if (delayNs > 0 && !deleted) {
            expiresAt = now() + delayNs;
            schedule(delayNs);
        }
        return old;
    }

    /** {time to the next expiry (0 when disarmed), interval} in nanoseconds. */
    public synchronized long[] get() {
        long left = expiresAt == 0 ? 0 : Math.max(1, expiresAt - now());
        return new long[] {left, intervalNs};
    }

    /** timer_getoverrun: the overruns counted for the signal most recently taken. */
    public synchronized int overrun() {
        return lastOverrun;
    }

    private void schedule(long delayNs) {
        long gen = generation;
        if (cpuClock != null) {
            CpuTimerWatch.watch(() -> pollCpu(gen)); // watched until disarmed, periods included
        } else {
            pending = CLOCK.schedule(() -> fire(gen), delayNs, TimeUnit.NANOSECONDS);
        }
    }

    /** The watcher's look at a CPU-time timer armed as generation gen; false once that arming is over. */
    private synchronized boolean pollCpu(long gen) {
        if (gen != generation || deleted || expiresAt == 0) return false;
        if (now() >= expiresAt) fire(gen);
        return expiresAt != 0;
    }

    private synchronized void fire(long gen) {
        if (gen != generation || deleted || expiresAt == 0) return;
        long now = now();
        long missed = 0;
        if (intervalNs > 0) {
            long late = now - expiresAt;
            if (late > 0) missed = late / intervalNs;
            expiresAt += (missed + 1) * intervalNs;
            if (cpuClock == null) schedule(Math.max(expiresAt - now, MIN_PERIOD_NS));
        } else {
            expiresAt = 0;
            pending = null;
        }
        if (notify == SIGEV_NONE || process.exited()) return;
        if (signalQueued) {
            addOverrun(1 + missed);
            return;
        }
        addOverrun(missed);
        // Marked before posting: the signal may be taken (and this flag cleared) before post returns.
        signalQueued = true;
        SigInfo info = SigInfo.timer(signo, this, value, generation);
        boolean queued;
        if (target != null) {
            queued = process.kernel.task(target.tid) == target && SignalPosting.postToTask(target, info);
        } else {
            queued = SignalPosting.post(process, info);
        }
        if (!queued) signalQueued = false;
    }

    private void addOverrun(long n) {
        overrun = (int) Math.min(Integer.MAX_VALUE, overrun + n);
    }

    /**
     * The timer's signal was taken: its si_overrun is what accumulated, and the next expiry may
     * queue again. A signal from before the timer was re-armed or deleted is dropped (null), as
     * Linux does since 6.13: it reports an expiry of a setting that no longer exists.
     */
    synchronized SigInfo taken(SigInfo info) {
        if (info.timerArming() != generation || deleted) return null;
        lastOverrun = overrun;
        overrun = 0;
        signalQueued = false;
        return info.withOverrun(lastOverrun);
    }

    synchronized void delete() {
        deleted = true;
        generation++;
        if (pending != null) pending.cancel(false);
        pending = null;
        expiresAt = 0;
    }
}
