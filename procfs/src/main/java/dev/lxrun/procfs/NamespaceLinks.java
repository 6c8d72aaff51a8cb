package dev.lxrun.procfs;

import dev.lxrun.kernel.pseudo.PseudoNode;
import dev.lxrun.kernel.pseudo.PseudoNode.Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * /proc/PID/ns: placeholders. Every guest process lives in the JVM's namespaces, so readlink
 * shows the JVM's ("net:[4026531833]"), and two guests compare as sharing them, which they do.
 * lxrun has no namespace objects of its own: the links cannot be opened (setns is unsupported),
 * and guest pids and the hostname are lxrun's, not those of the pid and uts namespaces named.
 */
final class NamespaceLinks {
    private static final List<String> NAMES = List.of("cgroup", "ipc", "mnt", "net", "pid", "pid_for_children",
            "time", "time_for_children", "user", "uts");

    private NamespaceLinks() {}

    static PseudoNode lookup(String sub) {
        if (sub.isEmpty()) {
            return new PseudoNode.Dir(() -> {
                List<Entry> out = new ArrayList<>();
                for (String n : NAMES) out.add(new Entry(n, Entry.DT_LNK));
                return out;
            });
        }
        if (!NAMES.contains(sub)) return null;
        try {
            return new PseudoNode.Link(Files.readSymbolicLink(Path.of("/proc/self/ns", sub)).toString(), null);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }
}
