package dev.lxrun.kernel.mm;

import dev.lxrun.cpu.HostMemory;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Code a finished process left mapped in its engine, kept with the translations Unicorn made of
 * it: guest [start, end) still points at host memory that holds exactly the bytes of file (whose
 * stamp vouches that the file has not changed since), and is mapped without access until a new
 * process maps the same file part at the same place and takes it over.
 */
record ParkedRegion(long start, long end, AddressSpace.FileIdentity file, MemorySegment host) {
    long length() { return end - start; }

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
