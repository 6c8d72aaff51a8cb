package dev.lxrun.kernel.futex;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntPredicate;

/**
 * Priority-inheritance futexes (FUTEX_LOCK_PI, FUTEX_UNLOCK_PI, FUTEX_TRYLOCK_PI): the lock word
 * holds its owner's TID, FUTEX_WAITERS while someone may sleep on it, FUTEX_OWNER_DIED after a
 * robust owner died. User space takes a free lock and drops an uncontended one with one atomic
 * instruction; it enters the kernel to wait, and to unlock once FUTEX_WAITERS is set. As on Linux
 * an unlock hands the lock straight to the longest waiter (its TID goes into the word), so a
 * waiter cannot lose a lock it was given. Priorities are not inherited: lxrun does not schedule
 * guest threads by priority. Keyed by host address like FutexTable; one lock for all, since PI
 * locks are rare and contention on them is the guest's, not ours.
 *
 * Every change of a word is made holding the caller's guest CPU (taken before this table's lock):
 * Unicorn runs one thread of a process at a time and so emulates lock cmpxchg as a plain load and
 * store, which a concurrent CAS from here could interleave with (seen: two owners, then EDEADLK
 * and a hung glibc). Guest code of another process sharing the word is not excluded.
 */
public final class PiFutexes {
    public static final int WAITERS = 0x80000000, OWNER_DIED = 0x40000000, TID_MASK = 0x3fffffff;
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    /** A sleeping waiter looks this often whether the owner has vanished without a robust list. */
    private static final long OWNER_CHECK_NS = 50_000_000L;

    public enum Result { ACQUIRED, DEADLOCK, NO_OWNER, WOULD_BLOCK, TIMED_OUT, INTERRUPTED, NOT_OWNER, UNLOCKED }

    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        final int tid;
        volatile boolean granted;

        Waiter(int tid) {
            this.tid = tid;
        }
    }

    private final Map<Long, ArrayDeque<Waiter>> queues = new HashMap<>();

    /**
     * FUTEX_LOCK_PI for thread tid (tryOnly: FUTEX_TRYLOCK_PI), whose process's guest CPU is cpu.
     * deadline is System.nanoTime based (Long.MAX_VALUE for none); interrupted says a signal
     * wants the thread; alive tells whether a TID still names a thread.
     */
    public Result lock(MemorySegment word, int tid, Lock cpu, long deadline, boolean tryOnly, BooleanSupplier interrupted,
                       IntPredicate alive) {
        long key = word.address();
        Waiter w = new Waiter(tid);
        cpu.lock();
        try {
            synchronized (this) {
                while (true) {
                    int v = (int) INT.getVolatile(word, 0L);
                    int owner = v & TID_MASK;
                    if (owner == tid) return Result.DEADLOCK;
                    if (owner == 0) {
                        if (takeOver(word, v, tid, key)) return Result.ACQUIRED;
                        continue;
                    }
                    // As Linux, FUTEX_WAITERS goes in before the owner is looked at, trylock or not.
                    if ((v & WAITERS) == 0 && !INT.compareAndSet(word, 0L, v, v | WAITERS)) continue;
                    // Linux's ESRCH: the word names a thread that is gone and nobody is queued to inherit it.
                    if (!alive.test(owner) && queue(key, false) == null) return Result.NO_OWNER;
                    if (tryOnly) return Result.WOULD_BLOCK;
                    break;
                }
                queue(key, true).addLast(w);
            }
        } finally {
            cpu.unlock();
        }
        return sleep(word, w, key, cpu, deadline, interrupted, alive);
    }

    private Result sleep(MemorySegment word, Waiter w, long key, Lock cpu, long deadline, BooleanSupplier interrupted,
                         IntPredicate alive) {
        while (!w.granted) {
            int owner = (int) INT.getVolatile(word, 0L) & TID_MASK;
            if ((owner == 0 || !alive.test(owner)) && inheritFromDead(word, w, key, cpu, alive)) return Result.ACQUIRED;
            boolean signalled = interrupted.getAsBoolean();
            long left = deadline == Long.MAX_VALUE ? OWNER_CHECK_NS : deadline - System.nanoTime();
            if (signalled || left <= 0) {
                synchronized (this) {
                    if (w.granted) break;
                    dequeue(key, w);
                }
                return signalled ? Result.INTERRUPTED : Result.TIMED_OUT;
            }
            LockSupport.parkNanos(this, Math.min(left, OWNER_CHECK_NS));
        }
        return Result.ACQUIRED;
    }

    /**
     * The owner died holding the lock without a robust list to hand it on: the waiter inherits
     * it, as Linux's exit_pi_state_list gives it to the top waiter. False if it changed hands meanwhile.
     */
    private boolean inheritFromDead(MemorySegment word, Waiter w, long key, Lock cpu, IntPredicate alive) {
        cpu.lock();
        try {
            synchronized (this) {
                if (w.granted) return true;
                int v = (int) INT.getVolatile(word, 0L);
                int owner = v & TID_MASK;
                if (owner != 0 && alive.test(owner)) return false;
                if (!INT.compareAndSet(word, 0L, v, w.tid | (v & OWNER_DIED) | WAITERS)) return false;
                dequeue(key, w);
                return true;
            }
        } finally {
            cpu.unlock();
        }
    }

    /** FUTEX_UNLOCK_PI by thread tid (guest CPU cpu): to the longest waiter, or free. */
    public Result unlock(MemorySegment word, int tid, Lock cpu) {
        long key = word.address();
        cpu.lock();
        try {
            synchronized (this) {
                while (true) {
                    int v = (int) INT.getVolatile(word, 0L);
                    if ((v & TID_MASK) != tid) return Result.NOT_OWNER;
                    if (handOver(word, v, key)) return Result.UNLOCKED;
                }
            }
        } finally {
            cpu.unlock();
        }
    }

    /**
     * A robust owner died: its list handling (which holds the guest CPU) cleared the TID and set
     * FUTEX_OWNER_DIED. The longest waiter gets the lock, and with it the news of the death.
     */
    public synchronized void ownerDied(MemorySegment word) {
        long key = word.address();
        // Nobody waiting: the word keeps FUTEX_OWNER_DIED for the next locker to find.
        if (queue(key, false) == null) return;
        while (true) {
            int v = (int) INT.getVolatile(word, 0L);
            if ((v & TID_MASK) != 0 || handOver(word, v, key)) return;
        }
    }

    /** Gives the lock whose word reads v to the first waiter (or frees it); false if the word changed meanwhile. */
    private boolean handOver(MemorySegment word, int v, long key) {
        ArrayDeque<Waiter> q = queue(key, false);
        Waiter next = q == null ? null : q.peekFirst();
        // The new owner keeps FUTEX_WAITERS so its unlock comes here again; with nobody left the word is just 0.
        int nv = next == null ? 0 : next.tid | (v & OWNER_DIED) | WAITERS;
        if (!INT.compareAndSet(word, 0L, v, nv)) return false;
        if (next != null) {
            dequeue(key, next);
            next.granted = true;
            LockSupport.unpark(next.thread);
        }
        return true;
    }

    /** A free word (v has no owner): tid takes it, keeping OWNER_DIED for user space to see. */
    private boolean takeOver(MemorySegment word, int v, int tid, long key) {
        int nv = tid | (v & OWNER_DIED) | (queue(key, false) != null ? WAITERS : 0);
        return INT.compareAndSet(word, 0L, v, nv);
    }

    private ArrayDeque<Waiter> queue(long key, boolean create) {
        ArrayDeque<Waiter> q = queues.get(key);
        if (q == null && create) queues.put(key, q = new ArrayDeque<>());
        return q;
    }

    private void dequeue(long key, Waiter w) {
        ArrayDeque<Waiter> q = queues.get(key);
        if (q == null) return;
        q.remove(w);
        if (q.isEmpty()) queues.remove(key);
    }
}
