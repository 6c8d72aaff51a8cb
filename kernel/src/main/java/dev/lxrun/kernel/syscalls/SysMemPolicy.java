package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.mm.AddressSpace;
import dev.lxrun.syscalls.Errno;
import java.util.Map;
import java.util.TreeMap;
import java.util.WeakHashMap;

/**
 * NUMA memory policies as Linux keeps them on a machine with one memory node (node 0):
 * set_mempolicy, get_mempolicy and mbind check and remember policies and node masks, and every
 * page is on node 0. Thread policies are kept per guest thread (not inherited by fork or clone);
 * mbind's policies per address range (munmap and mremap do not drop them).
 */
final class SysMemPolicy {
    private static final int MPOL_DEFAULT = 0, MPOL_PREFERRED = 1, MPOL_BIND = 2, MPOL_INTERLEAVE = 3, MPOL_LOCAL = 4,
            MPOL_MAX = 7;
    private static final int MPOL_F_STATIC_NODES = 1 << 15, MPOL_F_RELATIVE_NODES = 1 << 14,
            MPOL_F_NUMA_BALANCING = 1 << 13, MODE_FLAGS = MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES | MPOL_F_NUMA_BALANCING;
    private static final int MPOL_F_NODE = 1, MPOL_F_ADDR = 2, MPOL_F_MEMS_ALLOWED = 4;
    private static final int MPOL_MF_STRICT = 1, MPOL_MF_MOVE = 2, MPOL_MF_MOVE_ALL = 4;
    /** MAX_NUMNODES of Debian's kernels (CONFIG_NODES_SHIFT=10). */
    private static final int MAX_NUMNODES = 1024;
    private static final long PAGE = AddressSpace.PAGE;

    /** A policy: mode with its mode flags, and the node mask get_mempolicy reports. */
    private record Policy(int mode, long[] nodes) {}

    /** A policy given by mbind to [start, end). */
    private record RangePolicy(long end, Policy policy) {}

    private static final Map<Task, Policy> THREADS = new WeakHashMap<>();
    private static final Map<AddressSpace, TreeMap<Long, RangePolicy>> RANGES = new WeakHashMap<>();

    private SysMemPolicy() {}

    static long setMempolicy(Task t, int mode, long nmask, long maxnode) {
        long[] nodes = new long[MAX_NUMNODES / 64];
        long r = checkMode(mode);
        if (r == 0) r = readNodes(t, nmask, maxnode, nodes);
        if (r != 0) return r;
        Object p = newPolicy(mode, nodes);
        if (p instanceof Long err) return err;
        synchronized (THREADS) {
            if (p == null) THREADS.remove(t);
            else THREADS.put(t, (Policy) p);
        }
        return 0;
    }

    static long mbind(Task t, long start, long len, int mode, long nmask, long maxnode, int flags) {
        long[] nodes = new long[MAX_NUMNODES / 64];
        long r = checkMode(mode);
        if (r == 0) r = readNodes(t, nmask, maxnode, nodes);
        if (r != 0) return r;
        if ((flags & ~(MPOL_MF_STRICT | MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)) != 0) return -Errno.EINVAL;
        if ((flags & MPOL_MF_MOVE_ALL) != 0 && t.process.creds.euid() != 0) return -Errno.EPERM;
        if ((start & (PAGE - 1)) != 0) return -Errno.EINVAL;
        long end = start + AddressSpace.pageUp(len);
        if (Long.compareUnsigned(end, start) < 0) return -Errno.EINVAL;
        if (end == start) return 0;
        Object p = newPolicy(mode, nodes);
        if (p instanceof Long err) return err;
        AddressSpace mm = t.process.mm;
        long at = start;
        for (AddressSpace.Mapping m : mm.layout()) {
            if (m.end() <= at) continue;
            if (m.start() > at) break;
            at = m.end();
            if (Long.compareUnsigned(at, end) >= 0) break;
        }
        if (Long.compareUnsigned(at, end) < 0) return -Errno.EFAULT;
        synchronized (RANGES) {
            TreeMap<Long, RangePolicy> ranges = RANGES.computeIfAbsent(mm, k -> new TreeMap<>());
            cut(ranges, start, end);
            if (p != null) ranges.put(start, new RangePolicy(end, (Policy) p));
        }
        return 0;
    }

    static long getMempolicy(Task t, long modeAddr, long nmask, long maxnode, long addr, long flags) {
        if (nmask != 0 && maxnode < 1) return -Errno.EINVAL;
        if ((flags & ~(long) (MPOL_F_NODE | MPOL_F_ADDR | MPOL_F_MEMS_ALLOWED)) != 0) return -Errno.EINVAL;
        int mode;
        long[] nodes;
        if ((flags & MPOL_F_MEMS_ALLOWED) != 0) {
            if ((flags & (MPOL_F_NODE | MPOL_F_ADDR)) != 0) return -Errno.EINVAL;
            mode = 0;
            nodes = new long[] {1};
        } else {
            Policy p;
            if ((flags & MPOL_F_ADDR) != 0) {
                long a = addr;
                boolean mapped = t.process.mm.layout().stream().anyMatch(m -> m.start() <= a && a < m.end());
                if (!mapped) return -Errno.EFAULT;
                p = rangePolicy(t.process.mm, addr);
            } else {
                if (addr != 0) return -Errno.EINVAL;
                synchronized (THREADS) {
                    p = THREADS.get(t);
                }
            }
            if ((flags & MPOL_F_NODE) != 0) {
                if ((flags & MPOL_F_ADDR) == 0 && (p == null || (p.mode & ~MODE_FLAGS) != MPOL_INTERLEAVE)) {
                    return -Errno.EINVAL;
                }
                mode = 0; // the node: every page is on node 0
            } else {
                mode = p == null ? MPOL_DEFAULT : p.mode;
            }
            nodes = p == null ? new long[] {0} : p.nodes;
        }
        if (modeAddr != 0) t.process.mm.writeInt(modeAddr, mode);
        if (nmask != 0) {
            // copy_nodes_to_user: ALIGN(maxnode-1, 64)/8 bytes, the ones past one long cleared
            long copy = ((maxnode - 1 + 63) & ~63L) / 8;
            if (copy > 8) {
                if (copy > PAGE) return -Errno.EINVAL;
                t.process.mm.writeBytes(nmask + 8, new byte[(int) (copy - 8)]);
                copy = 8;
            }
            if (copy == 8) t.process.mm.writeLong(nmask, nodes[0]);
        }
        return 0;
    }

    private static long checkMode(int mode) {
        int f = mode & MODE_FLAGS, m = mode & ~MODE_FLAGS;
        if (m < 0 || m >= MPOL_MAX) return -Errno.EINVAL;
        if ((f & MPOL_F_STATIC_NODES) != 0 && (f & MPOL_F_RELATIVE_NODES) != 0) return -Errno.EINVAL;
        if ((f & MPOL_F_NUMA_BALANCING) != 0 && m != MPOL_BIND && m != 5) return -Errno.EINVAL;
        return 0;
    }

    /** get_nodes: the guest's mask of maxnode-1 bits; bits at or past MAX_NUMNODES must be clear. */
    private static long readNodes(Task t, long nmask, long maxnode, long[] nodes) {
        long bits = maxnode - 1;
        if (maxnode == 0 || bits == 0 || nmask == 0) return 0;
        if (Long.compareUnsigned(bits, PAGE * 8) > 0) return -Errno.EINVAL;
        int longs = (int) ((bits + 63) / 64);
        for (int i = 0; i < longs; i++) {
            long w = t.process.mm.readLong(nmask + 8L * i);
            if (i == longs - 1 && bits % 64 != 0) w &= (1L << (bits % 64)) - 1;
            if (i < nodes.length) nodes[i] = w;
            else if (w != 0) return -Errno.EINVAL;
        }
        return 0;
    }

    /** mpol_new and the node check against node 0: null for MPOL_DEFAULT, a Long -errno, or the Policy. */
    private static Object newPolicy(int mode, long[] nodes) {
        int f = mode & MODE_FLAGS, m = mode & ~MODE_FLAGS;
        boolean empty = java.util.Arrays.stream(nodes).allMatch(w -> w == 0);
        if (m == MPOL_DEFAULT) return empty ? null : (Object) (long) -Errno.EINVAL;
        boolean userNodes = (f & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES)) != 0;
        if (empty) {
            if (m != MPOL_PREFERRED || userNodes) return (long) -Errno.EINVAL;
            return new Policy(MPOL_LOCAL | f, new long[] {0});
        }
        if (m == MPOL_LOCAL) return (long) -Errno.EINVAL;
        // Node 0 is the only node with memory: relative masks fold onto it, others must name it.
        boolean onNode0 = (f & MPOL_F_RELATIVE_NODES) != 0 || (nodes[0] & 1) != 0;
        if (!onNode0) return (long) -Errno.EINVAL;
        return new Policy(mode, userNodes ? new long[] {nodes[0]} : new long[] {1});
    }

    private static Policy rangePolicy(AddressSpace mm, long addr) {
        synchronized (RANGES) {
            TreeMap<Long, RangePolicy> ranges = RANGES.get(mm);
            if (ranges == null) return null;
            Map.Entry<Long, RangePolicy> e = ranges.floorEntry(addr);
            return e != null && Long.compareUnsigned(addr, e.getValue().end()) < 0 ? e.getValue().policy() : null;
        }
    }

    /** Removes [start, end) from the recorded ranges, keeping the parts outside it. */
    private static void cut(TreeMap<Long, RangePolicy> ranges, long start, long end) {
        Map.Entry<Long, RangePolicy> below = ranges.lowerEntry(start);
        if (below != null && below.getValue().end() > start) {
            ranges.put(below.getKey(), new RangePolicy(start, below.getValue().policy()));
            if (below.getValue().end() > end) ranges.put(end, below.getValue());
        }
        for (Map.Entry<Long, RangePolicy> e = ranges.ceilingEntry(start); e != null && e.getKey() < end;
                e = ranges.ceilingEntry(start)) {
            ranges.remove(e.getKey());
            if (e.getValue().end() > end) {
                ranges.put(end, e.getValue());
                break;
            }
        }
    }
}
