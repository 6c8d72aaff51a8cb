package dev.lxrun.kernel.mm;

import dev.lxrun.cpu.Engine;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The engines of one address space running guest code at the same time, each on its own thread
 * (the default with lxrun's own Unicorn, patch 0010; -Dlxrun.parallelThreads=false turns it off). Running guest code
 * takes the shared side of a fair read-write lock; a change that every engine must have taken
 * before any of them runs guest code again (an unmap, a protection change, dropped translations:
 * see AddressSpace#takeOwedBarrier) takes the exclusive side after stopping every engine still
 * in guest code. A stopped engine leaves uc_emu_start at a translation-block start (patch 0003),
 * applies the queued changes (AddressSpace#sync) before it runs again, and so drops the host
 * pointers its TLB cached; host memory itself is released only once every engine has unmapped it
 * (EngineViews' retirements), so no engine touches freed memory even between the two.
 *
 * It belongs to the address space, not to a process: a vfork child, a posix_spawn child or a
 * clone(CLONE_VM) child without CLONE_THREAD is another process on the same memory, and its
 * munmap must stop the parent's threads as a sibling thread's would.
 */
public final class ParallelCpu {
    /** Something that runs guest code on an engine of this address space (a kernel task). */
    public interface Runner {
        /** Makes the runner's engine leave guest code soon (uc_emu_stop); it enters again later. */
        void stopGuestCode();
    }

    /**
     * On by default where the engine can (lxrun's own Unicorn); -Dlxrun.parallelThreads=false
     * makes threads take turns on one CPU lock, as with Debian's library. Only an explicit
     * =true that cannot be had is worth a warning.
     */
    private static final String SETTING = System.getProperty("lxrun.parallelThreads", "");
    static final boolean EXPLICIT = Boolean.parseBoolean(SETTING);
    static final boolean REQUESTED = !SETTING.equalsIgnoreCase("false");
    private static final boolean ENABLED = REQUESTED && Engine.parallelCapable();

    /** Whether the threads of a process run guest code in parallel in this run. */
    public static boolean enabled() {
        return ENABLED;
    }

    /** Switches engine translation to parallel code once, before the first guest engine opens. */
    public static void configure() {
        if (ENABLED) Engine.translateForParallel();
        else if (EXPLICIT) {
            System.err.println("lxrun: -Dlxrun.parallelThreads needs lxrun's own Unicorn build (patch 0010); threads take turns");
        }
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);
    /** Runners between enter and leave: the ones a barrier must stop. */
    private final Set<Runner> inGuest = ConcurrentHashMap.newKeySet();

    /** The runner is about to run guest code (after a barrier another thread owes, see barrier). */
    public void enter(Runner t) {
        lock.readLock().lock();
        inGuest.add(t);
    }

    public void leave(Runner t) {
        inGuest.remove(t);
        lock.readLock().unlock();
    }

    /**
     * Returns once no other runner of the address space is in guest code; one that enters afterwards
     * first applies what the caller changed. The caller's own share is let go meanwhile (a task
     * may call this from inside its guest code, for a store into RWX code), and taken back after;
     * from a syscall (membarrier) it holds none.
     */
    public void barrier(Runner self) {
        int held = lock.getReadHoldCount();
        for (int i = 0; i < held; i++) lock.readLock().unlock();
        boolean wasIn = inGuest.remove(self);
        try {
            var w = lock.writeLock();
            boolean interrupted = false;
            while (true) {
                // A stop that reaches an engine before it enters uc_emu_start is lost, so stops
                // are sent again until the exclusive side is had; entering tasks queue behind it.
                for (Runner t : inGuest) if (t != self) t.stopGuestCode();
                try {
                    if (w.tryLock(1, TimeUnit.MILLISECONDS)) break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            w.unlock();
            if (interrupted) Thread.currentThread().interrupt();
        } finally {
            for (int i = 0; i < held; i++) lock.readLock().lock();
            if (wasIn) inGuest.add(self);
        }
    }
}
