package dev.lxrun.kernel.mm;

import dev.lxrun.cpu.Engine;
import dev.lxrun.cpu.HostMemory;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
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
        record Unmap(long addr, long len, Retirement retirement) implements Op {}
        record Protect(long addr, long len, int prot) implements Op {}
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
        final Thread owner;
        final ArrayDeque<Op> pending = new ArrayDeque<>();

        View(Engine engine, Thread owner) {
            this.engine = engine;
            this.owner = owner;
        }
    }

    private final List<View> views = new ArrayList<>();

    void add(Engine engine) {
        views.add(new View(engine, Thread.currentThread()));
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
        for (View v : new ArrayList<>(views)) remove(v.engine);
    }

    void map(long addr, long len, int prot, MemorySegment host) {
        broadcast(new Op.Map(addr, len, prot, host));
    }

    void protect(long addr, long len, int prot) {
        broadcast(new Op.Protect(addr, len, prot));
    }

    /** Unmaps everywhere; releaseHost says whether the host memory goes back once nobody maps it. */
    void unmap(long addr, long len, long hostAddress, boolean releaseHost) {
        int queued = 0;
        for (View v : views) if (!appliesNow(v)) queued++;
        Retirement r = releaseHost && queued > 0 ? new Retirement(hostAddress, len, queued) : null;
        broadcast(new Op.Unmap(addr, len, r));
        if (releaseHost && queued == 0) HostMemory.release(hostAddress, len);
    }

    /** The calling thread's own engine, with nothing older queued, takes a change at once. */
    private static boolean appliesNow(View v) {
        return v.owner == Thread.currentThread() && v.pending.isEmpty();
    }

    private void broadcast(Op op) {
        for (View v : views) {
            if (appliesNow(v)) apply(v.engine, op, false);
            else v.pending.add(op);
        }
    }

    /** Applies what other threads changed to the calling thread's engine; returns how many changes. */
    int sync(Engine engine) {
        for (View v : views) {
            if (v.engine != engine) continue;
            int n = 0;
            Op op;
            while ((op = v.pending.poll()) != null) {
                apply(engine, op, true);
                n++;
            }
            return n;
        }
        return 0;
    }

    /** queued: the change came from the queue, so it counts towards its retirement. */
    private static void apply(Engine e, Op op, boolean queued) {
        switch (op) {
            case Op.Map m -> e.mapPtr(m.addr(), m.len(), m.prot(), m.host());
            case Op.Protect p -> e.protect(p.addr(), p.len(), p.prot());
            case Op.Unmap u -> {
                e.unmap(u.addr(), u.len());
                if (queued && u.retirement() != null) u.retirement().done();
            }
        }
    }
}
