package dev.lxrun.kernel.mm;

import dev.lxrun.cpu.Engine;
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

    WarmEngine(Engine engine, String program, TreeMap<Long, ParkedRegion> regions) {
        this.engine = engine;
        this.program = program;
        this.regions = regions;
    }

    public Engine engine() { return engine; }

    /** Closes the engine and returns the kept code's host memory. */
    void close() {
        engine.close();
        for (ParkedRegion r : regions.values()) r.release();
        regions.clear();
    }
}
