package dev.lxrun.kernel.mm;

import java.util.Map;
import java.util.TreeMap;

/**
 * The page ranges a process has locked with mlock/mlockall, kept as disjoint [start, end)
 * intervals so that overlapping locks count once (VmLck in /proc/PID/status). lxrun never
 * swaps, so a lock only has to be remembered, not enforced.
 */
public final class LockedRanges {
    private final TreeMap<Long, Long> ranges = new TreeMap<>();
    /** mlockall(MCL_FUTURE): mappings made from now on are locked too. */
    private volatile boolean future;

    public synchronized void lock(long start, long end) {
        unlock(start, end);
        // Merge with neighbours that touch the new range.
        Map.Entry<Long, Long> below = ranges.floorEntry(start);
        if (below != null && below.getValue() == start) {
            start = below.getKey();
            ranges.remove(below.getKey());
        }
        Long aboveEnd = ranges.remove(end);
        ranges.put(start, aboveEnd != null ? aboveEnd : end);
    }

    public synchronized void unlock(long start, long end) {
        Map.Entry<Long, Long> below = ranges.lowerEntry(start);
        if (below != null && below.getValue() > start) {
            ranges.put(below.getKey(), start);
            if (below.getValue() > end) ranges.put(end, below.getValue());
        }
        for (Map.Entry<Long, Long> e = ranges.ceilingEntry(start); e != null && e.getKey() < end;
                e = ranges.ceilingEntry(start)) {
            ranges.remove(e.getKey());
            if (e.getValue() > end) {
                ranges.put(end, e.getValue());
                break;
            }
        }
    }

    public synchronized void clear() {
        ranges.clear();
        future = false;
    }

    public synchronized long bytes() {
        long n = 0;
        for (Map.Entry<Long, Long> e : ranges.entrySet()) n += e.getValue() - e.getKey();
        return n;
    }

    public synchronized LockedRanges copy() {
        LockedRanges c = new LockedRanges();
        c.ranges.putAll(ranges);
        c.future = future;
        return c;
    }

    public boolean lockFuture() {
        return future;
    }

    public void setLockFuture(boolean on) {
        future = on;
    }
}
