package dev.lxrun.kernel.mm;

import dev.lxrun.cpu.Engine;
import dev.lxrun.cpu.HostMemory;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Memory a finished (or unmapping) process left mapped in its engine: guest [start, end) still
 * points at host memory, as Unicorn region with protection prot (0 once hidden). A new mapping of
 * the same place takes the region over instead of mapping anew, which spares Unicorn's costly
 * region changes (each one flushes its whole TLB, an unmap also page by page).
 *
 * file is set when the host memory holds exactly that file part's bytes (its stamp vouches that
 * the file has not changed since): a mapping of the same file part keeps them, with whatever
 * Unicorn translated of them (translated). Otherwise the new mapping's bytes are moved in; such a
 * region was never executable, so there is nothing translated to go stale.
 */
record ParkedRegion(long start, long end, AddressSpace.FileIdentity file, MemorySegment host, int prot,
                    boolean translated) {
    long length() { return end - start; }

    boolean hidden() { return prot == 0; }

    ParkedRegion withProt(int newProt) {
        return new ParkedRegion(start, end, file, host, newProt, translated);
    }

    /** Takes all access from every region of parked (keyed by start) that still has some. */
    static void hideAll(Engine e, TreeMap<Long, ParkedRegion> parked) {
        for (ParkedRegion r : new ArrayList<>(parked.values())) {
            if (r.hidden()) continue;
            e.protect(r.start(), r.length(), 0);
            parked.put(r.start(), r.withProt(0));
        }
    }

    /** Returns the host memory (the region is gone from its engine, or the engine is closing). */
    void release() {
        HostMemory.release(host.address(), length());
    }

    /** The regions of parked (keyed by start) that overlap [from, to), in address order. */
    static List<ParkedRegion> overlapping(TreeMap<Long, ParkedRegion> parked, long from, long to) {
        List<ParkedRegion> out = new ArrayList<>();
        if (parked.isEmpty()) return out;
        Map.Entry<Long, ParkedRegion> floor = parked.floorEntry(from);
        long first = floor != null && floor.getValue().end() > from ? floor.getKey() : from;
        for (ParkedRegion r : parked.subMap(first, true, to, false).values()) if (r.end() > from) out.add(r);
        return out;
    }
}
