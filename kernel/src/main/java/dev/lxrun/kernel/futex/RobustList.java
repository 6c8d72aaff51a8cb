package dev.lxrun.kernel.futex;

import dev.lxrun.kernel.mm.AddressSpace;
import dev.lxrun.kernel.mm.GuestFault;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Robust futexes (set_robust_list): when a thread dies, every lock word on its list that still
 * names it as owner gets FUTEX_OWNER_DIED and one waiter is woken, so the next locker learns of
 * the death (EOWNERDEAD) instead of waiting forever. The list lives in guest memory:
 * struct robust_list_head { next; long futex_offset; list_op_pending; }, each entry's lock word
 * at entry + futex_offset, the low bit of a pointer marking a PI futex (see PiFutexes).
 */
public final class RobustList {
    public static final int HEAD_SIZE = 24;
    private static final int FUTEX_WAITERS = 0x80000000, FUTEX_OWNER_DIED = 0x40000000, FUTEX_TID_MASK = 0x3fffffff;
    /** Linux's ROBUST_LIST_LIMIT: a corrupt or circular list cannot keep a dying thread busy. */
    private static final int LIMIT = 2048;
    private static final int PROT_READ = 1, PROT_WRITE = 2;
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private RobustList() {}

    /** Walks the list of dying thread tid; a fault anywhere just ends the walk, as on Linux. */
    public static void release(AddressSpace mm, FutexTable futexes, long head, int tid) {
        if (head == 0) return;
        try {
            long entry = mm.readLong(head);
            long offset = mm.readLong(head + 8);
            long pendingRaw = mm.readLong(head + 16), pending = pendingRaw & ~1L;
            for (int n = 0; (entry & ~1L) != head && n < LIMIT; n++) {
                long e = entry & ~1L;
                // Read the link first: once woken, a waiter may reuse the entry's memory.
                long next = mm.readLong(e);
                if (e != pending) ownerDied(mm, futexes, e + offset, tid, false, (entry & 1) != 0);
                entry = next;
            }
            if (pending != 0) ownerDied(mm, futexes, pending + offset, tid, true, (pendingRaw & 1) != 0);
        } catch (GuestFault | IllegalStateException ignored) {
            // The list or a lock word is gone with its memory: nothing left to release.
        }
    }

    /**
     * Marks one lock word whose owner died. pendingOp: the thread died between taking or dropping
     * the lock and updating its list; if the word holds no owner, a waiter may still need waking.
     * A PI lock (pi) goes to its longest waiter, who learns of the death from FUTEX_OWNER_DIED.
     */
    private static void ownerDied(AddressSpace mm, FutexTable futexes, long addr, int tid, boolean pendingOp, boolean pi) {
        if ((addr & 3) != 0) return;
        MemorySegment word = mm.direct(addr, 4, PROT_READ | PROT_WRITE);
        if (word == null) return;
        while (true) {
            int value = (int) INT.getVolatile(word, 0L);
            if (pendingOp && !pi && value == 0) {
                futexes.wake(word, 1, FutexTable.BITSET_MATCH_ANY);
                return;
            }
            if ((value & FUTEX_TID_MASK) != tid) return;
            int next = (value & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
            if (INT.compareAndSet(word, 0L, value, next)) {
                if (pi) futexes.pi.ownerDied(word);
                else if ((value & FUTEX_WAITERS) != 0) futexes.wake(word, 1, FutexTable.BITSET_MATCH_ANY);
                return;
            }
        }
    }
}
