package dev.lxrun.procfs;

import dev.lxrun.kernel.Kernel;
import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.pseudo.PseudoFileSystem;
import dev.lxrun.kernel.pseudo.PseudoNode;
import dev.lxrun.kernel.pseudo.PseudoNode.Entry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * A minimal /sys: the CPU set the guest runs on (online, possible, present and one cpuN
 * directory per CPU, the count /proc/cpuinfo and sched_getaffinity give, which glibc's
 * get_nprocs and get_nprocs_conf read) and the transparent hugepage policy, which is the host's
 * since guest memory is host memory. When the guest's root is the host's, every other path is
 * the host's own /sys; in a confined root nothing else exists.
 */
public final class SysFs implements PseudoFileSystem {
    private static final String CPU_DIR = "devices/system/cpu";
    private static final String THP = "kernel/mm/transparent_hugepage/enabled";
    private final Kernel kernel;

    public SysFs(Kernel kernel) {
        this.kernel = kernel;
    }

    @Override
    public String mountPoint() {
        return "/sys";
    }

    /** The files lxrun provides, by path, with their contents made at open. */
    private static Map<String, Supplier<byte[]>> files() {
        Map<String, Supplier<byte[]>> out = new TreeMap<>();
        int n = cpuCount();
        String range = n == 1 ? "0\n" : "0-" + (n - 1) + "\n";
        for (String f : List.of("online", "possible", "present")) out.put(CPU_DIR + "/" + f, () -> ascii(range));
        if (Files.isRegularFile(Path.of("/sys", THP))) out.put(THP, () -> ProcessFiles.hostFile("/sys/" + THP));
        return out;
    }

    static int cpuCount() {
        return Runtime.getRuntime().availableProcessors();
    }

    @Override
    public PseudoNode lookup(Task caller, String path) {
        Map<String, Supplier<byte[]>> files = files();
        Supplier<byte[]> file = files.get(path);
        if (file != null) return new PseudoNode.File(file);
        if (isCpuDirectory(path)) return new PseudoNode.Dir(List::of);
        List<Entry> ours = entriesUnder(path, files);
        if (!kernel.config.confined()) {
            Path host = Path.of("/sys", path);
            if (Files.exists(host, LinkOption.NOFOLLOW_LINKS)) return new PseudoNode.Host(host.toString());
        }
        return ours.isEmpty() && !path.isEmpty() ? null : new PseudoNode.Dir(() -> ours);
    }

    /** cpu0 … cpuN-1 under devices/system/cpu: empty directories that say the CPU exists. */
    private static boolean isCpuDirectory(String path) {
        if (!path.startsWith(CPU_DIR + "/cpu")) return false;
        String n = path.substring(CPU_DIR.length() + 4);
        return ProcFs.isNumber(n) && Integer.parseInt(n) < cpuCount();
    }

    /** The directory entries lxrun's own files imply under dir (confined roots see only these). */
    private static List<Entry> entriesUnder(String dir, Map<String, Supplier<byte[]>> files) {
        String prefix = dir.isEmpty() ? "" : dir + "/";
        Map<String, Integer> names = new TreeMap<>();
        List<String> paths = new ArrayList<>(files.keySet());
        for (int cpu = 0; cpu < cpuCount(); cpu++) paths.add(CPU_DIR + "/cpu" + cpu + "/");
        for (String p : paths) {
            if (!p.startsWith(prefix)) continue;
            String rest = p.substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash < 0) names.put(rest, Entry.DT_REG);
            else names.put(rest.substring(0, slash), Entry.DT_DIR);
        }
        List<Entry> out = new ArrayList<>();
        names.forEach((name, type) -> out.add(new Entry(name, type)));
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
