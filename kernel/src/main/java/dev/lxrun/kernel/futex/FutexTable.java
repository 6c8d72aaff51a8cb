package dev.lxrun.kernel.futex;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The kernel's futex wait queues. Guest memory is host memory, so a futex is keyed by the host
 * address of its word: private futexes of one process and shared ones reached through a
 * MAP_SHARED mapping in several processes both land on the same key, as Linux's futex keys do.
 * The value check and the enqueue happen under the bucket lock that wakers also take, so a wake
 * between a waiter's check and its sleep cannot be lost.
 */
public final class FutexTable {
    public static final int BITSET_MATCH_ANY = -1;
    private static final int BUCKETS = 64;
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    /** Why a wait ended. */
    public enum WaitResult { WOKEN, VALUE_CHANGED, TIMED_OUT, INTERRUPTED }

    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        long key;
        final int bitset;
        volatile boolean woken;

        Waiter(long key, int bitset) {
            this.key = key;
            this.bitset = bitset;
        }
    }

    /** The priority-inheritance futexes, a protocol of their own on the same words. */
    public final PiFutexes pi = new PiFutexes();
    private final Object[] locks = new Object[BUCKETS];
    @SuppressWarnings("unchecked")
    private final List<Waiter>[] queues = new List[BUCKETS];

    public FutexTable() {
        for (int i = 0; i < BUCKETS; i++) {
            locks[i] = new Object();
            queues[i] = new LinkedList<>();
        }
    }

    private static int bucket(long key) {
        return (int) ((key >>> 2) ^ (key >>> 12)) & (BUCKETS - 1);
    }

    /**
     * Sleeps while the word still holds expected, until woken, the deadline (System.nanoTime
     * based; Long.MAX_VALUE for none) passes, or interrupted() says a signal is pending. For
     * the first spinNs it watches for the wake on the CPU instead of parking: a wake that comes
     * within that time costs no host sleep and wake-up (see SysFutex's spin policy).
     */
    public WaitResult await(MemorySegment word, int expected, int bitset, long deadline, long spinNs,
                            java.util.function.BooleanSupplier interrupted) {
        long key = word.address();
        Waiter w = new Waiter(key, bitset);
        int b = bucket(key);
        synchronized (locks[b]) {
            if ((int) INT.getVolatile(word, 0L) != expected) return WaitResult.VALUE_CHANGED;
            queues[b].add(w);
        }
        if (spinNs > 0) {
            long until = Math.min(System.nanoTime() + spinNs, deadline);
            while (!w.woken && System.nanoTime() < until) Thread.onSpinWait();
        }
        while (!w.woken) {
            if (interrupted.getAsBoolean()) {
                if (dequeue(w)) return WaitResult.INTERRUPTED;
                return WaitResult.WOKEN;
            }
            long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
            if (left <= 0) {
                if (dequeue(w)) return WaitResult.TIMED_OUT;
                return WaitResult.WOKEN;
            }
            LockSupport.parkNanos(this, Math.min(left, 50_000_000L));
        }
        return WaitResult.WOKEN;
    }

    /** Removes w if still queued (its key may have moved by a requeue); false if a waker took it. */
    private boolean dequeue(Waiter w) {
        while (true) {
            long key = w.key;
            int b = bucket(key);
            synchronized (locks[b]) {
                if (w.key != key) continue;
                return queues[b].remove(w);
            }
        }
    }

    /** Wakes up to n waiters on the word whose bitset intersects bitset; returns how many. */
    public int wake(MemorySegment word, int n, int bitset) {
        long key = word.address();
        int b = bucket(key);
        int woken = 0;
        synchronized (locks[b]) {
            for (Iterator<Waiter> it = queues[b].iterator(); it.hasNext() && woken < n; ) {
                Waiter w = it.next();
                if (w.key != key || (w.bitset & bitset) == 0) continue;
                it.remove();
                w.woken = true;
                LockSupport.unpark(w.thread);
                woken++;
            }
        }
        return woken;
    }

    /**
     * FUTEX_CMP_REQUEUE: if the first word still holds expected (unless check is false), wakes
     * nWake waiters of it and moves up to nRequeue others to the second word. Returns the number
     * woken plus requeued, or -1 when the value did not match.
     */
    public int requeue(MemorySegment from, MemorySegment to, int nWake, int nRequeue, boolean check, int expected) {
        long k1 = from.address(), k2 = to.address();
        int b1 = bucket(k1), b2 = bucket(k2);
        Object first = locks[Math.min(b1, b2)], second = locks[Math.max(b1, b2)];
        synchronized (first) {
            synchronized (second) {
                if (check && (int) INT.getVolatile(from, 0L) != expected) return -1;
                int woken = 0, moved = 0;
                List<Waiter> toMove = new ArrayList<>();
                for (Iterator<Waiter> it = queues[b1].iterator(); it.hasNext(); ) {
                    Waiter w = it.next();
                    if (w.key != k1) continue;
                    if (woken < nWake) {
                        it.remove();
                        w.woken = true;
                        LockSupport.unpark(w.thread);
                        woken++;
                    } else if (moved < nRequeue) {
                        it.remove();
                        toMove.add(w);
                        moved++;
                    } else {
                        break;
                    }
                }
                for (Waiter w : toMove) {
                    w.key = k2;
                    queues[b2].add(w);
                }
                return woken + moved;
            }
        }
    }

    /** Atomically applies op to the word and returns its old value (FUTEX_WAKE_OP's first step). */
    public static int atomicOp(MemorySegment word, int op, int oparg) {
        while (true) {
            int old = (int) INT.getVolatile(word, 0L);
            int next = switch (op) {
                case 0 -> oparg;            // FUTEX_OP_SET
                case 1 -> old + oparg;      // FUTEX_OP_ADD
                case 2 -> old | oparg;      // FUTEX_OP_OR
                case 3 -> old & ~oparg;     // FUTEX_OP_ANDN
                case 4 -> old ^ oparg;      // FUTEX_OP_XOR
                default -> throw new IllegalArgumentException("futex op " + op);
            };
            if (INT.compareAndSet(word, 0L, old, next)) return old;
        }
    }
}
