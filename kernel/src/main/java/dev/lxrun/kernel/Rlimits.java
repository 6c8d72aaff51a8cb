package dev.lxrun.kernel;

/** Resource limits (RLIMIT_*), with Linux's defaults for a login shell's child. */
public final class Rlimits {
    public static final long INFINITY = -1L;
    public static final int CPU = 0, FSIZE = 1, DATA = 2, STACK = 3, CORE = 4, RSS = 5, NPROC = 6, NOFILE = 7,
            MEMLOCK = 8, AS = 9, LOCKS = 10, SIGPENDING = 11, MSGQUEUE = 12, NICE = 13, RTPRIO = 14, RTTIME = 15, NLIMITS = 16;

    private final long[] cur = new long[NLIMITS];
    private final long[] max = new long[NLIMITS];

    public Rlimits() {
        java.util.Arrays.fill(cur, INFINITY);
        java.util.Arrays.fill(max, INFINITY);
        set(STACK, 8L << 20, INFINITY);
        set(CORE, 0, INFINITY);
        set(NPROC, 63_704, 63_704);
        set(NOFILE, 1024, 1_048_576);
        set(MEMLOCK, 8L << 20, 8L << 20);
        set(SIGPENDING, 63_704, 63_704);
        set(MSGQUEUE, 819_200, 819_200);
        set(NICE, 0, 0);
        set(RTPRIO, 0, 0);
    }

    public long cur(int r) { return cur[r]; }
    public long max(int r) { return max[r]; }

    public void set(int r, long c, long m) {
        cur[r] = c;
        max[r] = m;
    }

    public Rlimits copy() {
        Rlimits o = new Rlimits();
        System.arraycopy(cur, 0, o.cur, 0, NLIMITS);
        System.arraycopy(max, 0, o.max, 0, NLIMITS);
        return o;
    }
}
