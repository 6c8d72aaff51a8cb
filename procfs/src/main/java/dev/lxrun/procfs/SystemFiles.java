package dev.lxrun.procfs;

import dev.lxrun.cpu.CpuIdentity;
import dev.lxrun.kernel.Kernel;
import dev.lxrun.kernel.KernelIdentity;
import dev.lxrun.kernel.pseudo.PseudoNode;
import dev.lxrun.kernel.pseudo.PseudoNode.Entry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * System-wide /proc files. Those naming the kernel (version, osrelease, hostname) and the CPU
 * (cpuinfo, from CPUID as Unicorn executes it) describe what the guest runs on; the rest
 * (meminfo, uptime, loadavg, stat, filesystems, sys/…) are the host's, read at open.
 */
final class SystemFiles {
    private static final Path HOST_PROC = Path.of("/proc");
    /**
     * Host kernel internals a --root guest must not see (its symbols, log, physical pages,
     * memory image, magic SysRq): they describe the host, not the guest's kernel.
     */
    private static final java.util.Set<String> HOST_ONLY = java.util.Set.of("kallsyms", "kmsg", "kcore", "kpagecount",
            "kpageflags", "kpagecgroup", "sysrq-trigger", "timer_list", "keys", "key-users");
    private final Kernel kernel;
    private final ProcSys procSys;

    SystemFiles(Kernel kernel) {
        this.kernel = kernel;
        this.procSys = new ProcSys(kernel);
    }

    PseudoNode lookup(String path) {
        PseudoNode own = procSys.lookup(path);
        if (own != null) return own;
        switch (path) {
            case "version" -> {
                return file("Linux version " + KernelIdentity.RELEASE + " (lxrun) " + KernelIdentity.VERSION + "\n");
            }
            case "sys/kernel/osrelease" -> { return file(KernelIdentity.RELEASE + "\n"); }
            case "sys/kernel/ostype" -> { return file(KernelIdentity.SYSNAME + "\n"); }
            case "sys/kernel/version" -> { return file(KernelIdentity.VERSION + "\n"); }
            case "sys/kernel/hostname" -> { return file(kernel.config.hostname() + "\n"); }
            case "cpuinfo" -> { return new PseudoNode.File(() -> cpuinfo().getBytes(StandardCharsets.US_ASCII)); }
            case "mounts" -> { return new PseudoNode.Link("self/mounts", null); }
            default -> { }
        }
        if (hidden(path.contains("/") ? path.substring(0, path.indexOf('/')) : path)) return null;
        Path host = HOST_PROC.resolve(path);
        if (!host.normalize().startsWith(HOST_PROC) || path.startsWith("self") || path.startsWith("thread-self")) return null;
        if (Files.isSymbolicLink(host)) {
            try {
                return new PseudoNode.Link(Files.readSymbolicLink(host).toString(), null);
            } catch (IOException e) {
                return null;
            }
        }
        if (Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) return new PseudoNode.Dir(() -> hostEntries(host, false));
        if (Files.isRegularFile(host, LinkOption.NOFOLLOW_LINKS)) return new PseudoNode.File(() -> ProcessFiles.hostFile(host.toString()));
        return null;
    }

    /** The host's /proc top level without its process directories (the guest's come from the kernel). */
    List<Entry> rootEntries() {
        List<Entry> all = hostEntries(HOST_PROC, true);
        all.removeIf(e -> hidden(e.name()));
        return all;
    }

    private boolean hidden(String topName) {
        return kernel.config.confined() && HOST_ONLY.contains(topName);
    }

    private static List<Entry> hostEntries(Path dir, boolean skipPids) {
        List<Entry> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (skipPids && (ProcFs.isNumber(name) || name.equals("self") || name.equals("thread-self"))) continue;
                int type = Files.isSymbolicLink(p) ? Entry.DT_LNK
                        : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? Entry.DT_DIR : Entry.DT_REG;
                out.add(new Entry(name, type));
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable host directory lists as empty
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    private static PseudoNode file(String content) {
        byte[] b = content.getBytes(StandardCharsets.US_ASCII);
        return new PseudoNode.File(() -> b);
    }

    private static String cpuinfo() {
        CpuIdentity id = CpuIdentity.probe();
        String flags = String.join(" ", flagNames(id));
        int n = Runtime.getRuntime().availableProcessors();
        StringBuilder sb = new StringBuilder();
        for (int cpu = 0; cpu < n; cpu++) {
            sb.append("processor\t: ").append(cpu).append('\n')
              .append("vendor_id\t: ").append(id.vendor()).append('\n')
              .append("cpu family\t: ").append(id.family()).append('\n')
              .append("model\t\t: ").append(id.model()).append('\n')
              .append("model name\t: ").append(id.modelName().isEmpty() ? "lxrun emulated CPU" : id.modelName()).append('\n')
              .append("stepping\t: ").append(id.stepping()).append('\n')
              .append("physical id\t: 0\nsiblings\t: ").append(n).append("\ncore id\t\t: ").append(cpu)
              .append("\ncpu cores\t: ").append(n).append('\n')
              .append("fpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: 13\nwp\t\t: yes\n")
              .append("flags\t\t: ").append(flags).append('\n')
              .append("clflush size\t: 64\ncache_alignment\t: 64\naddress sizes\t: 40 bits physical, 48 bits virtual\n\n");
        }
        return sb.toString();
    }

    private static final String[] EDX1 = {"fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", null,
            "sep", "mtrr", "pge", "mca", "cmov", "pat", "pse36", "pn", "clflush", null, "dts", "acpi", "mmx", "fxsr",
            "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe"};
    private static final String[] ECX1 = {"pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est", "tm2",
            "ssse3", "cid", "sdbg", "fma", "cx16", "xtpr", "pdcm", null, "pcid", "dca", "sse4_1", "sse4_2", "x2apic",
            "movbe", "popcnt", "tsc_deadline_timer", "aes", "xsave", "osxsave", "avx", "f16c", "rdrand", "hypervisor"};
    private static final String[] EXT_EDX = {null, null, null, null, null, null, null, null, null, null, null,
            "syscall", null, null, null, null, null, null, null, null, "nx", null, "mmxext", null, null, "fxsr_opt",
            "pdpe1gb", "rdtscp", null, "lm", "3dnowext", "3dnow"};
    private static final String[] EXT_ECX = {"lahf_lm", "cmp_legacy", "svm", "extapic", "cr8_legacy", "abm", "sse4a",
            "misalignsse", "3dnowprefetch", "osvw", "ibs", "xop", "skinit", "wdt", null, "lwp", "fma4", "tce", null,
            "nodeid_msr", null, "tbm", "topoext"};
    private static final String[] EBX7 = {"fsgsbase", null, null, "bmi1", "hle", "avx2", null, "smep", "bmi2", "erms",
            "invpcid", "rtm", null, null, null, null, "avx512f", null, "rdseed", "adx", "smap", null, null, "clflushopt",
            "clwb", null, null, null, null, "sha_ni"};

    private static List<String> flagNames(CpuIdentity id) {
        List<String> out = new ArrayList<>();
        add(out, EDX1, id.leaf1Edx());
        add(out, EXT_EDX, id.ext1Edx());
        add(out, ECX1, id.leaf1Ecx());
        add(out, EXT_ECX, id.ext1Ecx());
        add(out, EBX7, id.leaf7Ebx());
        return out;
    }

    private static void add(List<String> out, String[] names, int bits) {
        for (int i = 0; i < names.length; i++) {
            if (names[i] != null && (bits & (1 << i)) != 0 && !out.contains(names[i])) out.add(names[i]);
        }
    }
}
