package dev.lxrun.kernel.mm;

import dev.lxrun.cpu.Engine;
import dev.lxrun.cpu.HostMemory;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engines (guest threads' CPUs) that mirror one address space. A Unicorn engine may only be
 * changed by the thread that runs it, so a change made by one thread is applied at once to its
 * own engine and queued for the others, which apply it before they next run guest code (or when
 * they fault on memory they have not heard of yet). Host memory that was unmapped is returned to
 * the host only when no engine maps it any more.
 */
final class EngineViews {
    private sealed interface Op {
        record Map(long addr, long len, int prot, MemorySegment host) implements Op {}
        /** wasExecutable: translations of the range must be dropped before the memory goes. */
        record Unmap(long addr, long len, int prot, boolean wasExecutable, Retirement retirement) implements Op {}
        /** wasExecutable: the range's translations go first (see AddressSpace#mprotect). */
        record Protect(long addr, long len, int prot, boolean wasExecutable) implements Op {}
        /** The range's contents changed behind Unicorn (a write to the file it maps): drop its translations. */
        record Invalidate(long addr, long len) implements Op {}
    }

    /** Host memory waiting for the last engine to unmap it. */
    private static final class Retirement {
        final long address, length;
        final AtomicInteger holders;

        Retirement(long address, long length, int holders) {
            this.address = address;
            this.length = length;
            this.holders = new AtomicInteger(holders);
        }

        void done() {
            if (holders.decrementAndGet() == 0) HostMemory.release(address, length);
        }
    }

    private static final class View {
        final Engine engine;
        /** The thread running the engine; null while the engine is idle (see AddressSpace#idle). */
        Thread owner;
        final ArrayDeque<Op> pending = new ArrayDeque<>();
        /** Regions a previous process (or mapping) left in this engine, not yet taken over (see ParkedRegion). */
        final TreeMap<Long, ParkedRegion> parked;
        /** Some parked region may still be accessible: it is hidden before the engine next runs. */
        boolean unhidden;

        View(Engine engine, Thread owner, TreeMap<Long, ParkedRegion> parked) {
            this.engine = engine;
            this.owner = owner;
            this.parked = parked;
            this.unhidden = !parked.isEmpty();
        }
    }

    private final List<View> views = new ArrayList<>();

    /**
     * The views whose change the calling thread queued for an engine another thread runs, when
     * that change takes something away (an unmap, a protection change, translations): an engine
     * running guest code at the same time (threads in parallel) must leave it and apply the change
     * before the caller goes on (see AddressSpace#takeOwedBarrier). A new mapping owes nothing:
     * an engine that has not heard of it faults and syncs (Task's run loop).
     */
    private static final ThreadLocal<EngineViews> OWED = new ThreadLocal<>();

    /** Whether the calling thread owes this address space's other engines a barrier; clears it. */
    boolean takeOwed() {
        if (OWED.get() != this) return false;
        OWED.remove();
        return true;
    }

    void add(Engine engine) {
        add(engine, new TreeMap<>());
    }

    void add(Engine engine, TreeMap<Long, ParkedRegion> parked) {
        views.add(new View(engine, Thread.currentThread(), parked));
    }

    int size() {
        return views.size();
    }

    boolean contains(Engine engine) {
        for (View v : views) if (v.engine == engine) return true;
        return false;
    }

    /**
     * The parked regions (maybe none) of the only engine, when that engine belongs to the calling
     * thread and has nothing queued: then a new mapping may take one over, and unmapped code may
     * be parked, at once. Null otherwise.
     */
    TreeMap<Long, ParkedRegion> ownParked() {
        if (views.size() != 1) return null;
        View v = views.get(0);
        return appliesNow(v) ? v.parked : null;
    }

    /**
     * Parks r in the only engine (call after ownParked() returned non-null), still accessible:
     * a mapping made in the same call usually takes it over at once, else it is hidden before
     * the engine runs guest code again.
     */
    void parkOwn(ParkedRegion r) {
        View v = views.get(0);
        v.parked.put(r.start(), r);
        if (!r.hidden()) v.unhidden = true;
    }

    /** The engine of the only view (call after ownParked() returned non-null). */
    Engine soleEngine() {
        return views.get(0).engine;
    }

    /** The engine's parked regions, handed over (the engine is leaving this address space). */
    TreeMap<Long, ParkedRegion> parkedOf(Engine engine) {
        for (View v : views) if (v.engine == engine) return v.parked;
        return new TreeMap<>();
    }

    /** Detaching drops the engine's queue; retirements it still held complete. */
    void remove(Engine engine) {
        views.removeIf(v -> {
            if (v.engine != engine) return false;
            for (Op op : v.pending) if (op instanceof Op.Unmap u && u.retirement() != null) u.retirement().done();
            return true;
        });
    }

    boolean isEmpty() {
        return views.isEmpty();
    }

    void clear() {
        closeIdle();
        for (View v : new ArrayList<>(views)) remove(v.engine);
    }

    void map(long addr, long len, int prot, MemorySegment host) {
        broadcast(new Op.Map(addr, len, prot, host));
    }

    void protect(long addr, long len, int prot, boolean wasExecutable) {
        broadcast(new Op.Protect(addr, len, prot, wasExecutable));
    }

    void invalidate(long addr, long len) {
        broadcast(new Op.Invalidate(addr, len));
    }

    /**
     * Queues (or, for idle engines, applies) the invalidation for every engine but writer's. A
     * run of stores into one page (a JIT copying code) queues it once: the same range already
     * last in an engine's queue is not added again.
     */
    void invalidateOthers(Engine writer, long addr, long len) {
        Op op = new Op.Invalidate(addr, len);
        for (View v : views) {
            if (v.engine == writer) continue;
            if (appliesNow(v)) apply(v, op, false);
            else if (!op.equals(v.pending.peekLast())) {
                v.pending.add(op);
                if (v.owner != null) OWED.set(this);
            }
        }
    }

    /** Queues (or applies now, see appliesNow) dropping engine's translations of the range. */
    void invalidateOne(Engine engine, long addr, long len) {
        Op op = new Op.Invalidate(addr, len);
        for (View v : views) {
            if (v.engine != engine) continue;
            if (appliesNow(v)) apply(v, op, false);
            else v.pending.add(op);
        }
    }

    /**
     * Drops the range's translations in every engine: writer's (running guest code on the calling
     * thread, in its code-write handler) at once, whatever it has queued, the others as
     * invalidateOthers does.
     */
    void invalidateAll(Engine writer, long addr, long len) {
        for (View v : views) if (v.engine == writer) v.engine.invalidateTranslations(addr, addr + len);
        invalidateOthers(writer, addr, len);
    }

    /** Unmaps everywhere; releaseHost says whether the host memory goes back once nobody maps it. */
    void unmap(long addr, long len, int prot, boolean wasExecutable, long hostAddress, boolean releaseHost) {
        int queued = 0;
        for (View v : views) if (!appliesNow(v)) queued++;
        Retirement r = releaseHost && queued > 0 ? new Retirement(hostAddress, len, queued) : null;
        broadcast(new Op.Unmap(addr, len, prot, wasExecutable, r));
        if (releaseHost && queued == 0) HostMemory.release(hostAddress, len);
    }

    /**
     * The calling thread's own engine, with nothing older queued, takes a change at once; so does
     * an idle engine, which nobody runs.
     */
    private static boolean appliesNow(View v) {
        return (v.owner == Thread.currentThread() || v.owner == null) && v.pending.isEmpty();
    }

    /** Engines that are idle now. */
    int idleCount() {
        int n = 0;
        for (View v : views) if (v.owner == null) n++;
        return n;
    }

    /** The calling thread's engine becomes idle: it keeps following changes, which it takes at once. */
    void setIdle(Engine engine) {
        sync(engine);
        for (View v : views) if (v.engine == engine) v.owner = null;
    }

    /** An idle engine, now run by the calling thread; null if none. */
    Engine adoptIdle() {
        for (View v : views) {
            if (v.owner == null) {
                v.owner = Thread.currentThread();
                return v.engine;
            }
        }
        return null;
    }

    /** Removes and closes the idle engines (and frees what they had parked). */
    void closeIdle() {
        for (View v : new ArrayList<>(views)) {
            if (v.owner != null) continue;
            for (ParkedRegion r : v.parked.values()) r.release();
            v.parked.clear();
            remove(v.engine);
            v.engine.close();
        }
    }

    private void broadcast(Op op) {
        for (View v : views) {
            if (appliesNow(v)) apply(v, op, false);
            else {
                v.pending.add(op);
                if (v.owner != null && !(op instanceof Op.Map)) OWED.set(this);
            }
        }
    }

    /** Applies what other threads changed to the calling thread's engine; returns how many changes. */
    int sync(Engine engine) {
        for (View v : views) {
            if (v.engine != engine) continue;
            int n = 0;
            Op op;
            while ((op = v.pending.poll()) != null) {
                apply(v, op, true);
                n++;
            }
            if (v.unhidden) hideParked(v);
            return n;
        }
        return 0;
    }

    /** Parked regions nobody took over must not be reachable by the guest: they lose all access. */
    private static void hideParked(View v) {
        ParkedRegion.hideAll(v.engine, v.parked);
        v.unhidden = false;
    }

    /** queued: the change came from the queue, so it counts towards its retirement. */
    private static void apply(View v, Op op, boolean queued) {
        Engine e = v.engine;
        switch (op) {
            case Op.Map m -> {
                dropParked(e, v.parked, m.addr(), m.addr() + m.len());
                e.mapPtr(m.addr(), m.len(), m.prot(), m.host());
            }
            case Op.Protect p -> {
                // Stores to a non-executable page do not invalidate translated code (Unicorn
                // checks the region's EXEC permission), so code leaving EXEC must not survive to
                // be found again when the page is executable once more: drop it while the range
                // is still executable, which is where Unicorn looks translations up.
                if (p.wasExecutable()) e.invalidateTranslations(p.addr(), p.addr() + p.len());
                e.protect(p.addr(), p.len(), p.prot());
            }
            case Op.Invalidate i -> e.invalidateTranslations(i.addr(), i.addr() + i.len());
            case Op.Unmap u -> {
                if (u.wasExecutable()) forgetCode(e, u.addr(), u.len(), u.prot());
                e.unmap(u.addr(), u.len());
                if (queued && u.retirement() != null) u.retirement().done();
            }
        }
    }

    /**
     * Drops the translations of guest [addr, addr+len) before the range is unmapped: Unicorn
     * would otherwise find them again for new code mapped there later. It only looks them up
     * through an executable mapping, so the range is made executable first when it is not.
     */
    static void forgetCode(Engine e, long addr, long len, int prot) {
        if ((prot & 5) != 5) e.protect(addr, len, prot | 5);
        e.invalidateTranslations(addr, addr + len);
    }

    /** Unmaps and frees the parked regions overlapping [start, end), whose code a new mapping replaces. */
    static void dropParked(Engine e, TreeMap<Long, ParkedRegion> parked, long start, long end) {
        for (ParkedRegion r : ParkedRegion.overlapping(parked, start, end)) drop(e, parked, r);
    }

    /** Unmaps and frees one parked region, its translations first. */
    static void drop(Engine e, TreeMap<Long, ParkedRegion> parked, ParkedRegion r) {
        parked.remove(r.start());
        if (r.translated()) forgetCode(e, r.start(), r.length(), r.prot());
        e.unmap(r.start(), r.length());
        r.release();
    }
}
