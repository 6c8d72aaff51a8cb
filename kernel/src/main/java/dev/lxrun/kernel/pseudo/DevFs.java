package dev.lxrun.kernel.pseudo;

import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.pseudo.PseudoNode.Entry;
import java.util.List;
import java.util.Map;

/**
 * /dev for a confined root: the devices programs expect (null, zero, full, random, urandom, tty)
 * are the host's own, and stdin/stdout/stderr/fd point into the guest's /proc/self/fd.
 */
public final class DevFs implements PseudoFileSystem {
    private static final List<String> DEVICES = List.of("full", "null", "ptmx", "random", "tty", "urandom", "zero");
    private static final Map<String, String> LINKS = Map.of("fd", "/proc/self/fd", "stdin", "/proc/self/fd/0",
            "stdout", "/proc/self/fd/1", "stderr", "/proc/self/fd/2");

    private static List<Entry> ptsEntries() {
        java.util.ArrayList<Entry> out = new java.util.ArrayList<>();
        String[] names = new java.io.File("/dev/pts").list();
        if (names != null) for (String n : names) out.add(new Entry(n, Entry.DT_CHR));
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    @Override
    public String mountPoint() {
        return "/dev";
    }

    @Override
    public PseudoNode lookup(Task caller, String path) {
        if (path.isEmpty()) {
            return new PseudoNode.Dir(() -> {
                java.util.ArrayList<Entry> out = new java.util.ArrayList<>();
                for (String d : DEVICES) out.add(new Entry(d, Entry.DT_CHR));
                for (String l : LINKS.keySet()) out.add(new Entry(l, Entry.DT_LNK));
                out.add(new Entry("pts", Entry.DT_DIR));
                out.sort((a, b) -> a.name().compareTo(b.name()));
                return out;
            });
        }
        if (DEVICES.contains(path)) return new PseudoNode.Host("/dev/" + path);
        // devpts: the host's, whose pairs back the guest's ptys (see PseudoTerminals)
        if (path.equals("pts")) return new PseudoNode.Dir(DevFs::ptsEntries);
        if (path.startsWith("pts/") && path.indexOf('/', 4) < 0
                && java.nio.file.Files.exists(java.nio.file.Path.of("/dev", path))) return new PseudoNode.Host("/dev/" + path);
        String link = LINKS.get(path);
        return link == null ? null : new PseudoNode.Link(link, null);
    }
}
