package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.SignalDelivery;
import dev.lxrun.kernel.futex.FutexTable;
import dev.lxrun.kernel.futex.PiFutexes;
import dev.lxrun.kernel.futex.FutexTable.WaitResult;
import dev.lxrun.syscalls.Errno;
import java.lang.foreign.MemorySegment;

/** futex(2): wait/wake, bitsets, requeue and wake-op over the kernel's {@link FutexTable}, PI locks over its {@link PiFutexes}. */
final class SysFutex {
    static final int FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_FD = 2, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4,
            FUTEX_WAKE_OP = 5, FUTEX_LOCK_PI = 6, FUTEX_UNLOCK_PI = 7, FUTEX_TRYLOCK_PI = 8, FUTEX_WAIT_BITSET = 9,
            FUTEX_WAKE_BITSET = 10, FUTEX_WAIT_REQUEUE_PI = 11, FUTEX_CMP_REQUEUE_PI = 12, FUTEX_LOCK_PI2 = 13;
    static final int FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;
    private static final long NS = 1_000_000_000L;
    private static final int PROT_READ = 1, PROT_WRITE = 2;

    private SysFutex() {}

    static long futex(Task t, long uaddr, int op, int val, long timeoutAddr, long uaddr2, int val3) {
        int cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
        boolean realtime = (op & FUTEX_CLOCK_REALTIME) != 0;
        if (realtime && cmd != FUTEX_WAIT && cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_LOCK_PI2) return -Errno.ENOSYS;
        if ((uaddr & 3) != 0) return -Errno.EINVAL;
        FutexTable futexes = t.kernel().futexes;
        return switch (cmd) {
            case FUTEX_WAIT -> wait(t, futexes, uaddr, val, timeoutAddr, false, realtime, FutexTable.BITSET_MATCH_ANY);
            case FUTEX_WAIT_BITSET -> val3 == 0 ? -Errno.EINVAL : wait(t, futexes, uaddr, val, timeoutAddr, true, realtime, val3);
            case FUTEX_WAKE -> futexes.wake(word(t, uaddr), Math.max(val, 0), FutexTable.BITSET_MATCH_ANY);
            case FUTEX_WAKE_BITSET -> val3 == 0 ? -Errno.EINVAL : futexes.wake(word(t, uaddr), Math.max(val, 0), val3);
            case FUTEX_REQUEUE, FUTEX_CMP_REQUEUE -> {
                if (val < 0 || (int) timeoutAddr < 0) yield -Errno.EINVAL;
                if ((uaddr2 & 3) != 0) yield -Errno.EINVAL;
                int n = futexes.requeue(word(t, uaddr), word(t, uaddr2), val, (int) timeoutAddr, cmd == FUTEX_CMP_REQUEUE, val3);
                yield n < 0 ? -Errno.EAGAIN : n;
            }
            case FUTEX_WAKE_OP -> wakeOp(t, futexes, uaddr, val, (int) timeoutAddr, uaddr2, val3);
            // FUTEX_LOCK_PI's timeout is on CLOCK_REALTIME; FUTEX_LOCK_PI2's on CLOCK_MONOTONIC unless asked otherwise.
            case FUTEX_LOCK_PI, FUTEX_LOCK_PI2 -> lockPi(t, futexes, uaddr, timeoutAddr, cmd == FUTEX_LOCK_PI || realtime, false);
            case FUTEX_TRYLOCK_PI -> lockPi(t, futexes, uaddr, 0, false, true);
            case FUTEX_UNLOCK_PI -> futexes.pi.unlock(lockWord(t, uaddr), t.tid, t.process.guestCpu()) == PiFutexes.Result.NOT_OWNER
                    ? -Errno.EPERM : 0;
            // FUTEX_FD (removed in 2.6.26) and the PI requeues, which glibc's condition variables no longer use.
            default -> -Errno.ENOSYS;
        };
    }

    private static MemorySegment word(Task t, long uaddr) {
        return t.process.mm.direct(uaddr, 4, PROT_READ);
    }

    /** A PI lock word: the kernel writes owners into it. */
    private static MemorySegment lockWord(Task t, long uaddr) {
        return t.process.mm.direct(uaddr, 4, PROT_READ | PROT_WRITE);
    }

    private static long lockPi(Task t, FutexTable futexes, long uaddr, long timeoutAddr, boolean realtime, boolean tryOnly) {
        MemorySegment w = lockWord(t, uaddr);
        long deadline = deadline(t, timeoutAddr, true, realtime); // FUTEX_LOCK_PI's timeout is absolute
        if (deadline == INVALID) return -Errno.EINVAL;
        var kernel = t.kernel();
        PiFutexes.Result r = futexes.pi.lock(w, t.tid, t.process.guestCpu(), deadline, tryOnly, t::hasPendingSignal,
                tid -> kernel.task(tid) != null);
        return switch (r) {
            case ACQUIRED -> 0;
            case DEADLOCK -> -Errno.EDEADLK;
            case NO_OWNER -> -Errno.ESRCH;
            case WOULD_BLOCK -> -Errno.EAGAIN;
            case TIMED_OUT -> -Errno.ETIMEDOUT;
            // Linux restarts an interrupted FUTEX_LOCK_PI after the handler whatever its SA_RESTART.
            case INTERRUPTED -> -SignalDelivery.ERESTARTNOINTR;
            case NOT_OWNER, UNLOCKED -> throw new IllegalStateException("lock returned " + r);
        };
    }

    private static final long INVALID = Long.MIN_VALUE;

    /**
     * A futex timeout (struct timespec at addr, 0 for none) as a System.nanoTime deadline:
     * absolute ones are on CLOCK_REALTIME or CLOCK_MONOTONIC; INVALID for a malformed timespec.
     */
    private static long deadline(Task t, long addr, boolean absolute, boolean realtime) {
        if (addr == 0) return Long.MAX_VALUE;
        long sec = t.process.mm.readLong(addr), nsec = t.process.mm.readLong(addr + 8);
        if (sec < 0 || nsec < 0 || nsec >= NS) return INVALID;
        long ns = sec > Long.MAX_VALUE / NS - 1 ? Long.MAX_VALUE / 4 : sec * NS + nsec;
        long now = System.nanoTime();
        if (!absolute) return now + Math.min(ns, Long.MAX_VALUE / 4);
        long clockNow = SysTime.now(realtime ? SysTime.CLOCK_REALTIME : SysTime.CLOCK_MONOTONIC);
        return now + Math.max(0, Math.min(ns - clockNow, Long.MAX_VALUE / 4));
    }

    /**
     * How long a FUTEX_WAIT watches for its wake before it parks: a host sleep and wake-up costs
     * 15-20 us on this 2-core VM, more than the other thread often takes to answer. Spinning
     * only pays while each of the process's threads can have a core: with more threads than
     * host CPUs (python's GIL among 8 threads: 3-15% slower wall with a 20 us spin) the spinner
     * delays the thread that would wake it, so then nobody spins. Same hour: futex ping-pong
     * between two threads 19.6-22.2k round trips/s without, 125-137k with 20 us (qemu-user
     * 22.7-28.2k, native 27-36k); xz -T2 unchanged. -Dlxrun.futexSpinNs=0 turns it off.
     */
    private static final long SPIN_NS = Long.getLong("lxrun.futexSpinNs", 20_000);
    private static final int HOST_CPUS = Runtime.getRuntime().availableProcessors();

    private static long spinNs(Task t) {
        return SPIN_NS > 0 && HOST_CPUS > 1 && t.process.taskCount() <= HOST_CPUS ? SPIN_NS : 0;
    }

    private static long wait(Task t, FutexTable futexes, long uaddr, int val, long timeoutAddr, boolean absolute,
                             boolean realtime, int bitset) {
        MemorySegment w = word(t, uaddr);
        long deadline = deadline(t, timeoutAddr, absolute, realtime);
        if (deadline == INVALID) return -Errno.EINVAL;
        WaitResult r = futexes.await(w, val, bitset, deadline, spinNs(t), t::hasPendingSignal);
        return switch (r) {
            case WOKEN -> 0;
            case VALUE_CHANGED -> -Errno.EAGAIN;
            case TIMED_OUT -> -Errno.ETIMEDOUT;
            case INTERRUPTED -> -Errno.EINTR;
        };
    }

    private static long wakeOp(Task t, FutexTable futexes, long uaddr, int nWake1, int nWake2, long uaddr2, int encoded) {
        if ((uaddr2 & 3) != 0) return -Errno.EINVAL;
        int op = (encoded >>> 28) & 7;
        boolean shiftArg = ((encoded >>> 28) & 8) != 0;
        int cmp = (encoded >>> 24) & 15;
        int oparg = (encoded << 8) >> 20;
        int cmparg = (encoded << 20) >> 20;
        if (shiftArg) {
            if (oparg < 0 || oparg > 31) return -Errno.EINVAL;
            oparg = 1 << oparg;
        }
        if (op > 4) return -Errno.ENOSYS;
        MemorySegment w2 = t.process.mm.direct(uaddr2, 4, PROT_READ | PROT_WRITE);
        int old;
        // With the guest CPU held: guest lock-prefixed updates of the word are not atomic against us (see PiFutexes).
        var cpu = t.process.guestCpu();
        cpu.lock();
        try {
            old = FutexTable.atomicOp(w2, op, oparg);
        } finally {
            cpu.unlock();
        }
        int woken = futexes.wake(word(t, uaddr), Math.max(nWake1, 0), FutexTable.BITSET_MATCH_ANY);
        boolean matches = switch (cmp) {
            case 0 -> old == cmparg;
            case 1 -> old != cmparg;
            case 2 -> old < cmparg;
            case 3 -> old <= cmparg;
            case 4 -> old > cmparg;
            case 5 -> old >= cmparg;
            default -> false;
        };
        if (cmp > 5) return -Errno.ENOSYS;
        if (matches) woken += futexes.wake(w2, Math.max(nWake2, 0), FutexTable.BITSET_MATCH_ANY);
        return woken;
    }
}
