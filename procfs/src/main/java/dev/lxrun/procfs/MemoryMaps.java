package dev.lxrun.procfs;

import dev.lxrun.kernel.Kernel;
import dev.lxrun.kernel.Process;
import dev.lxrun.kernel.Vsyscall;
import dev.lxrun.kernel.mm.AddressSpace;
import dev.lxrun.kernel.mm.AddressSpace.Mapping;

/**
 * /proc/PID/maps and smaps from the process's address space, in Linux's layout (fs/proc/task_mmu.c):
 * range, permissions, file offset, device, inode, then the name padded to column 73. Residency
 * comes from the host (mincore), since guest memory is host memory; what lxrun cannot know
 * (sharing with other processes, referenced bits, swap) is reported as Linux reports a private,
 * unswapped mapping.
 */
final class MemoryMaps {
    private static final int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
    /** Anonymous MAP_SHARED memory is a shmem file on Linux, shown under this name. */
    private static final String SHARED_ANONYMOUS = "/dev/zero (deleted)";

    private MemoryMaps() {}

    static String maps(Process p, Kernel kernel) {
        AddressSpace mm = p.mm;
        if (mm == null) return "";
        StringBuilder sb = new StringBuilder();
        for (Mapping m : layout(mm)) header(sb, m, kernel);
        return sb.toString();
    }

    static String smaps(Process p, Kernel kernel) {
        AddressSpace mm = p.mm;
        if (mm == null) return "";
        StringBuilder sb = new StringBuilder();
        for (Mapping m : layout(mm)) {
            header(sb, m, kernel);
            long size = (m.end() - m.start()) / 1024;
            long rss = mm.residentBytes(m.start(), m.end()) / 1024;
            boolean anonymous = m.file() == null;
            // Private pages the program wrote are dirty; lxrun cannot tell written from read pages of
            // a file mapping, so resident file pages count as clean, resident anonymous ones as dirty.
            long privateDirty = anonymous && !m.shared() ? rss : 0;
            long privateClean = !anonymous && !m.shared() ? rss : 0;
            long sharedClean = !anonymous && m.shared() ? rss : 0;
            long sharedDirty = anonymous && m.shared() ? rss : 0;
            kb(sb, "Size", size);
            kb(sb, "KernelPageSize", 4);
            kb(sb, "MMUPageSize", 4);
            kb(sb, "Rss", rss);
            kb(sb, "Pss", rss);
            kb(sb, "Pss_Dirty", privateDirty + sharedDirty);
            kb(sb, "Shared_Clean", sharedClean);
            kb(sb, "Shared_Dirty", sharedDirty);
            kb(sb, "Private_Clean", privateClean);
            kb(sb, "Private_Dirty", privateDirty);
            kb(sb, "Referenced", rss);
            kb(sb, "Anonymous", anonymous && !m.shared() ? rss : 0);
            for (String zero : new String[] {"KSM", "LazyFree", "AnonHugePages", "ShmemPmdMapped", "FilePmdMapped",
                    "Shared_Hugetlb", "Private_Hugetlb", "Swap", "SwapPss", "Locked"}) {
                kb(sb, zero, 0);
            }
            sb.append("THPeligible:           0\n");
            sb.append("ProtectionKey:         0\n");
            sb.append("VmFlags: ").append(vmFlags(m)).append('\n');
        }
        return sb.toString();
    }

    /** The process's mappings, then the vsyscall page every x86-64 process shows last (execute-only, emulated). */
    private static java.util.List<Mapping> layout(AddressSpace mm) {
        java.util.List<Mapping> all = new java.util.ArrayList<>(mm.layout());
        all.add(new Mapping(Vsyscall.START, Vsyscall.END, PROT_EXEC, false, "[vsyscall]", 0, null));
        return all;
    }

    /** One maps line: "start-end perms offset major:minor inode", then the name at column 73. */
    private static void header(StringBuilder sb, Mapping m, Kernel kernel) {
        int lineStart = sb.length();
        var file = m.file();
        long dev = file == null ? 0 : file.dev();
        sb.append(String.format("%08x-%08x %c%c%c%c %08x %02x:%02x %d ", m.start(), m.end(),
                (m.prot() & PROT_READ) != 0 ? 'r' : '-', (m.prot() & PROT_WRITE) != 0 ? 'w' : '-',
                (m.prot() & PROT_EXEC) != 0 ? 'x' : '-', m.shared() ? 's' : 'p',
                file == null ? 0 : file.offset(), major(dev), minor(dev), file == null ? 0 : file.inode()));
        String name = name(m, kernel);
        if (!name.isEmpty()) {
            // seq_pad: the header is padded to 72 columns, then one space before the name.
            int used = sb.length() - lineStart;
            sb.append(" ".repeat(Math.max(0, 73 - used))).append(name);
        }
        sb.append('\n');
    }

    private static String name(Mapping m, Kernel kernel) {
        String n = m.name() == null ? "" : m.name();
        if (n.startsWith("/")) return kernel.guestPathOf(n);
        if (n.isEmpty() && m.shared() && m.file() == null) return SHARED_ANONYMOUS;
        return n;
    }

    /** The userspace encoding of st_dev split as the kernel's MAJOR/MINOR. */
    static long major(long dev) {
        return ((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfff);
    }

    static long minor(long dev) {
        return ((dev >>> 12) & 0xffffff00L) | (dev & 0xff);
    }

    private static void kb(StringBuilder sb, String field, long kb) {
        // The value ends at column 24 whatever the label's length (Private_Hugetlb: leaves one space fewer).
        String label = field + ":";
        sb.append(label).append(String.format("%" + Math.max(1, 24 - label.length()) + "d", kb)).append(" kB\n");
    }

    /** The VmFlags mnemonics that follow from what lxrun records: protection, sharing, stack. */
    private static String vmFlags(Mapping m) {
        StringBuilder f = new StringBuilder();
        if ((m.prot() & PROT_READ) != 0) f.append("rd ");
        if ((m.prot() & PROT_WRITE) != 0) f.append("wr ");
        if ((m.prot() & PROT_EXEC) != 0) f.append("ex ");
        if (m.start() == Vsyscall.START) return f.toString(); // a special mapping: no may-flags
        if (m.shared()) f.append("sh ");
        // mprotect may later grant what was not there at mmap: Linux's may-flags are all set for
        // private mappings and for shared ones opened read-write; lxrun does not keep the open mode.
        f.append("mr mw me ");
        if (m.shared()) f.append("ms ");
        if ((m.flags() & AddressSpace.MAP_GROWSDOWN) != 0) f.append("gd ");
        if (!m.shared() && (m.prot() & PROT_WRITE) != 0) f.append("ac ");   // accounted: private writable
        return f.toString();
    }
}
