package dev.lxrun.kernel.locks;

/**
 * One record lock: bytes [start, end] (end inclusive; Long.MAX_VALUE reaches past any end of
 * file) of one file, held by an owner — a Process for POSIX locks, an open file description for
 * OFD locks. pid is what F_GETLK reports: the guest pid, or -1 for OFD locks.
 */
public record FileLock(Object owner, int pid, boolean write, long start, long end) {
    public static final long TO_EOF = Long.MAX_VALUE;

    boolean overlaps(long s, long e) {
        return start <= e && s <= end;
    }

    /** Overlapping or directly adjacent: two such locks of one owner and type become one. */
    boolean touches(long s, long e) {
        return overlaps(s, e) || (end != TO_EOF && end + 1 == s) || (e != TO_EOF && e + 1 == start);
    }

    boolean conflictsWith(Object otherOwner, boolean otherWrite, long s, long e) {
        return owner != otherOwner && (write || otherWrite) && overlaps(s, e);
    }
}
