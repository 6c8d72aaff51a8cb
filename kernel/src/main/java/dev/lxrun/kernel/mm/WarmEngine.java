package dev.lxrun.kernel.mm;

import dev.lxrun.cpu.Engine;
import dev.lxrun.cpu.HostMemory;
import java.util.List;
import java.util.TreeMap;

/**
 * An engine whose process has ended, kept with the places that process had mapped (parked
 * regions keyed by start address, see ParkedRegion) so that the next process running the same
 * program, or forked from one, skips translating its code again and finds its memory regions
 * already in Unicorn. Belongs to nobody while it waits in the {@link EnginePool}.
 */
public final class WarmEngine {
    final Engine engine;
    final String program;
    final TreeMap<Long, ParkedRegion> regions;
    /** Regions whose bytes (not a file's) can go back to the host; nobody reads them again. */
    private final List<ParkedRegion> toReset;
    /** Taken from the pool (or closed): nothing may touch the engine from outside any more. Guarded by this. */
    private boolean claimed;

    WarmEngine(Engine engine, String program, TreeMap<Long, ParkedRegion> regions, List<ParkedRegion> toReset) {
        this.engine = engine;
        this.program = program;
        this.regions = regions;
        this.toReset = toReset;
    }

    public Engine engine() { return engine; }

    /**
     * While the engine waits in the pool, off the path of the processes being made: the bytes of
     * regions that are not a file's go back to the host (a region taken over gets new bytes moved
     * in anyway, so skipping this once the engine was taken only keeps memory a little longer).
     * The regions keep their protection: the next process of the program maps most of them again
     * at once with the same one, which then costs Unicorn nothing, and EngineViews#sync hides
     * the others before guest code runs. Does nothing once the engine was taken.
     */
    synchronized void tidy() {
        if (claimed) return;
        try {
            for (ParkedRegion r : toReset) HostMemory.reset(r.host().address(), r.length());
            toReset.clear();
        } catch (RuntimeException | OutOfMemoryError e) {
            // Left as it is: bytes not given back stay until the region is taken over or dropped.
        }
    }

    /** The engine leaves the pool for a process: waits for a tidy under way to finish, and stops a later one. */
    synchronized void claim() {
        claimed = true;
    }

    /** Closes the engine and returns the kept code's host memory. */
    synchronized void close() {
        claimed = true;
        engine.close();
        for (ParkedRegion r : regions.values()) r.release();
        regions.clear();
    }
}
