package dev.lxrun.procfs;

import dev.lxrun.kernel.Kernel;
import dev.lxrun.kernel.Process;
import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.pseudo.PseudoFileSystem;
import dev.lxrun.kernel.pseudo.PseudoNode;
import dev.lxrun.kernel.pseudo.PseudoNode.Entry;
import java.util.ArrayList;
import java.util.List;

/**
 * /proc for guests: the per-process directories come from the kernel's own process table
 * (guest pids, argv, mappings, descriptors, credentials, signal state); system-wide files that
 * describe the machine are the host's, except those naming the kernel or the CPU, which
 * describe what the guest actually runs on.
 */
public final class ProcFs implements PseudoFileSystem {
    private final Kernel kernel;
    private final ProcessFiles processFiles;
    private final SystemFiles systemFiles;

    public ProcFs(Kernel kernel) {
        this.kernel = kernel;
        this.processFiles = new ProcessFiles(kernel);
        this.systemFiles = new SystemFiles(kernel);
    }

    @Override
    public String mountPoint() {
        return "/proc";
    }

    @Override
    public PseudoNode lookup(Task caller, String path) {
        if (path.isEmpty()) return new PseudoNode.Dir(() -> rootEntries());
        String[] parts = path.split("/", 2);
        String head = parts[0];
        String rest = parts.length > 1 ? parts[1] : "";
        if (head.equals("self")) {
            if (rest.isEmpty()) return new PseudoNode.Link(Integer.toString(caller.process.pid), null);
            return processFiles.lookup(caller.process, null, caller, rest, false);
        }
        if (head.equals("thread-self")) {
            String tid = caller.process.pid + "/task/" + caller.tid;
            if (rest.isEmpty()) return new PseudoNode.Link(tid, null);
            return processFiles.lookup(caller.process, caller, caller, rest, true);
        }
        if (isNumber(head)) {
            int id = Integer.parseInt(head);
            Process p = kernel.process(id);
            if (p != null) return processFiles.lookup(p, null, caller, rest, false);
            // A thread id works as a directory too, as on Linux (hidden from the listing).
            Task t = kernel.task(id);
            return t == null ? null : processFiles.lookup(t.process, t, caller, rest, false);
        }
        return systemFiles.lookup(path);
    }

    /** self and thread-self are links: what is opened through them is named by the pid (and tid). */
    @Override
    public String canonicalPath(Task caller, String path) {
        String[] parts = path.split("/", 2);
        String rest = parts.length > 1 ? "/" + parts[1] : "";
        if (parts[0].equals("self") && !rest.isEmpty()) return caller.process.pid + rest;
        if (parts[0].equals("thread-self") && !rest.isEmpty()) return caller.process.pid + "/task/" + caller.tid + rest;
        return path;
    }

    private List<Entry> rootEntries() {
        List<Entry> out = new ArrayList<>(systemFiles.rootEntries());
        out.add(new Entry("self", Entry.DT_LNK));
        out.add(new Entry("thread-self", Entry.DT_LNK));
        List<Process> ps = new ArrayList<>(kernel.allProcesses());
        ps.sort((a, b) -> Integer.compare(a.pid, b.pid));
        for (Process p : ps) out.add(new Entry(Integer.toString(p.pid), Entry.DT_DIR));
        return out;
    }

    static boolean isNumber(String s) {
        if (s.isEmpty() || s.length() > 9) return false;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }
}
