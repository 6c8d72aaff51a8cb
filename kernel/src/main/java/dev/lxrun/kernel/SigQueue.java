package dev.lxrun.kernel;

import java.util.ArrayDeque;

/**
 * The SigInfo of each pending instance of each signal, for a process (shared pending) or one
 * thread. The pending bitmask itself stays in Process/Task, where the hot paths read it without
 * locking; this holds what goes with the bits. Standard signals coalesce (a second one while the
 * first is pending is lost, with its info); real-time signals queue, each with its own info.
 * Guarded by the monitor of the owning Process or Task.
 */
final class SigQueue {
    /** Queued real-time signals per signal number: far above what programs queue, bounded all the same. */
    private static final int RT_LIMIT = 4096;

    @SuppressWarnings("unchecked")
    private final ArrayDeque<SigInfo>[] queues = new ArrayDeque[Signals.NSIG + 1];

    /** Records info for a signal about to be marked pending; false when it merges into one already pending. */
    boolean add(long pendingBits, SigInfo info) {
        int sig = info.signo();
        boolean pending = (pendingBits & (1L << (sig - 1))) != 0;
        if (pending && sig < Signals.SIGRTMIN) return false;
        ArrayDeque<SigInfo> q = queues[sig];
        if (q == null) q = queues[sig] = new ArrayDeque<>();
        if (q.size() >= RT_LIMIT) return false;
        q.add(info);
        return true;
    }

    /** Takes the oldest instance of sig; a bit set without recorded info reads as a kernel signal. */
    SigInfo take(int sig) {
        ArrayDeque<SigInfo> q = queues[sig];
        SigInfo i = q == null ? null : q.poll();
        return i != null ? i : SigInfo.kernel(sig);
    }

    /** Whether another instance of sig stays pending after a take. */
    boolean hasMore(int sig) {
        ArrayDeque<SigInfo> q = queues[sig];
        return q != null && !q.isEmpty();
    }
}
