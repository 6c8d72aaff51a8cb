package dev.lxrun.kernel;

/**
 * Marking signals pending and taking them back, with their SigInfo: the one place that changes
 * the pending bitmasks of processes and threads, so that the info queues stay in step with the
 * bits and signalfd readiness follows every change.
 */
public final class PendingSignals {
    private PendingSignals() {}

    /** A process-directed signal becomes pending (any thread not blocking it may take it). */
    static void addShared(Process p, SigInfo info) {
        synchronized (p) {
            if (p.sigQueue.add(p.pendingSignals, info)) p.pendingSignals |= bit(info.signo());
        }
        p.signalsChanged();
    }

    /** A thread-directed signal becomes pending for t alone. */
    static void addToTask(Task t, SigInfo info) {
        synchronized (t) {
            if (t.sigQueue.add(t.pendingSignals, info)) t.pendingSignals |= bit(info.signo());
        }
        t.process.signalsChanged();
    }

    /** The lowest signal in set pending for t (its own first, then its process's), or 0. */
    public static int peek(Task t, long set) {
        long own = t.pendingSignals & set;
        if (own != 0) return Long.numberOfTrailingZeros(own) + 1;
        long shared = t.process.pendingSignals & set;
        return shared == 0 ? 0 : Long.numberOfTrailingZeros(shared) + 1;
    }

    /** Takes the lowest signal in set pending for t (thread-directed first), or returns null. */
    public static SigInfo take(Task t, long set) {
        while (true) {
            SigInfo info = takeQueued(t, set);
            if (info == null || info.timer() == null) return info;
            // A timer's overrun count is what accumulated until its signal was taken; a stale one is dropped.
            info = info.timer().taken(info);
            if (info != null) return info;
        }
    }

    private static SigInfo takeQueued(Task t, long set) {
        SigInfo info = null;
        synchronized (t) {
            long own = t.pendingSignals & set;
            if (own != 0) {
                int sig = Long.numberOfTrailingZeros(own) + 1;
                info = t.sigQueue.take(sig);
                if (!t.sigQueue.hasMore(sig)) t.pendingSignals &= ~bit(sig);
            }
        }
        Process p = t.process;
        if (info == null) {
            synchronized (p) {
                long shared = p.pendingSignals & set;
                if (shared != 0) {
                    int sig = Long.numberOfTrailingZeros(shared) + 1;
                    info = p.sigQueue.take(sig);
                    if (!p.sigQueue.hasMore(sig)) p.pendingSignals &= ~bit(sig);
                }
            }
        }
        if (info != null) p.signalsChanged();
        return info;
    }

    static long bit(int sig) {
        return 1L << (sig - 1);
    }
}
