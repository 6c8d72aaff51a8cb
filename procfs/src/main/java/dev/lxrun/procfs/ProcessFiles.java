package dev.lxrun.procfs;

import dev.lxrun.kernel.Kernel;
import dev.lxrun.kernel.Process;
import dev.lxrun.kernel.Rlimits;
import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.pseudo.PseudoNode;
import dev.lxrun.kernel.pseudo.PseudoNode.Entry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * /proc/PID and /proc/PID/task/TID: one guest process's files, in Linux's formats. Files about
 * the process come from the kernel's state; those about what the guest shares with the JVM
 * (cgroup, network namespace, audit login id; the mount table unless lxrun has mounts of its own) are the JVM's own, read from the
 * host's /proc/self.
 */
final class ProcessFiles {
    private static final int EINVAL = 22;
    private static final List<String> FILES = List.of("auxv", "cgroup", "cmdline", "comm", "environ", "limits",
            "loginuid", "maps", "mountinfo", "mounts", "oom_score_adj", "sessionid", "smaps", "stat", "statm",
            "status");
    private static final List<String> LINKS = List.of("cwd", "exe", "root");
    private static final List<String> DIRS = List.of("fd", "fdinfo", "net", "ns", "task");
    /** Files shared with the JVM: the guest is in lxrun's cgroup and audit session. */
    private static final List<String> HOST_SELF = List.of("cgroup", "loginuid", "sessionid");

    private final Kernel kernel;
    private final ProcessStat stat;

    ProcessFiles(Kernel kernel) {
        this.kernel = kernel;
        this.stat = new ProcessStat();
    }

    /**
     * The entry at rest inside /proc/PID (thread null: the process as a whole) or
     * /proc/PID/task/TID (thread given), as caller sees it.
     */
    PseudoNode lookup(Process p, Task thread, Task caller, String rest, boolean inTask) {
        if (rest.isEmpty()) return new PseudoNode.Dir(() -> directoryEntries(inTask));
        String[] parts = rest.split("/", 2);
        String name = parts[0], sub = parts.length > 1 ? parts[1] : "";
        switch (name) {
            case "task" -> {
                if (inTask) return null;
                if (sub.isEmpty()) return new PseudoNode.Dir(() -> taskEntries(p));
                String[] t = sub.split("/", 2);
                if (!ProcFs.isNumber(t[0])) return null;
                Task task = kernel.task(Integer.parseInt(t[0]));
                if (task == null || task.process != p || task.exiting()) return null;
                return lookup(p, task, caller, t.length > 1 ? t[1] : "", true);
            }
            case "fd" -> {
                return sub.isEmpty() ? new PseudoNode.Dir(() -> FdFiles.entries(p, Entry.DT_LNK)) : FdFiles.link(kernel, p, sub);
            }
            case "fdinfo" -> {
                return sub.isEmpty() ? new PseudoNode.Dir(() -> FdFiles.entries(p, Entry.DT_REG)) : FdFiles.info(p, sub);
            }
            case "ns" -> { return NamespaceLinks.lookup(sub); }
            // Guest sockets are host sockets in the JVM's network namespace: its net/ is theirs.
            case "net" -> { return new PseudoNode.Host(sub.isEmpty() ? "/proc/self/net" : "/proc/self/net/" + sub); }
            case "cwd" -> {
                var ns = p.fs.root() != null ? p.fs.root() : kernel.rooted;
                if (sub.isEmpty() && ns != null) {
                    // The directory itself by identity (its open descriptor), with its mount.
                    return new PseudoNode.Link(p.fs.cwd(), "/proc/self/fd/" + p.fs.cwdFd(), p.fs.cwdMount());
                }
                return directoryLink(p.fs.cwd(), sub);
            }
            case "root" -> {
                var ns = p.fs.root() != null ? p.fs.root() : kernel.rooted;
                if (sub.isEmpty() && ns != null) return new PseudoNode.Link("/", "/proc/self/fd/" + ns.top().fd(), ns.top().mount());
                return directoryLink("/", sub);
            }
            case "exe" -> { return sub.isEmpty() ? new PseudoNode.Link(p.exePath, kernel.hostPath(p.exePath).toString()) : null; }
            default -> { }
        }
        if (!sub.isEmpty()) return null;
        if (HOST_SELF.contains(name)) return new PseudoNode.File(() -> hostFile("/proc/self/" + name));
        if (name.equals("mounts")) return new PseudoNode.File(() -> MountFiles.mounts(kernel));
        if (name.equals("mountinfo")) return new PseudoNode.File(() -> MountFiles.mountinfo(kernel));
        Task main = thread != null ? thread : mainTask(p);
        Supplier<byte[]> content = switch (name) {
            case "auxv" -> () -> p.mm == null ? new byte[0] : p.mm.savedAuxv();
            case "cmdline" -> () -> nulJoined(p.argv);
            case "environ" -> () -> nulJoined(p.envp);
            case "comm" -> () -> ascii(p.comm() + "\n");
            case "stat" -> () -> ascii(stat.stat(p, main, caller, inTask));
            case "statm" -> () -> ascii(ProcessStat.statm(p));
            case "status" -> () -> ascii(stat.status(p, main, caller));
            case "maps" -> () -> ascii(MemoryMaps.maps(p, kernel));
            case "smaps" -> () -> ascii(MemoryMaps.smaps(p, kernel));
            case "limits" -> () -> ascii(limits(p));
            case "oom_score_adj" -> () -> ascii(oomScoreAdj(p) + "\n");
            default -> null;
        };
        if (content == null) return null;
        return switch (name) {
            case "comm" -> new PseudoNode.File(content, data -> writeComm(p, caller, data));
            case "oom_score_adj" -> new PseudoNode.File(content, data -> writeOomScoreAdj(p, data));
            default -> new PseudoNode.File(content);
        };
    }

    /**
     * cwd and root: a magic link to a guest directory; a path through it (root/etc/passwd) is that
     * guest path, resolved like any other (inside the root when confined).
     */
    private PseudoNode directoryLink(String guestDir, String sub) {
        if (sub.isEmpty()) return new PseudoNode.Link(guestDir, kernel.hostPath(guestDir).toString());
        return new PseudoNode.Host(kernel.hostPath((guestDir.endsWith("/") ? guestDir : guestDir + "/") + sub).toString());
    }

    /**
     * The process's threads that have not called exit. A thread that has is gone for its joiner
     * (clear_child_tid woke it) though lxrun is still ending it; Linux's window is far shorter.
     */
    static List<Task> liveTasks(Process p) {
        List<Task> out = new ArrayList<>();
        for (Task t : p.tasks()) if (!t.exiting()) out.add(t);
        return out;
    }

    static Task mainTask(Process p) {
        List<Task> tasks = p.tasks();
        for (Task t : tasks) if (t.tid == p.pid) return t;
        return tasks.isEmpty() ? null : tasks.getFirst();
    }

    /** Linux (fs/proc/base.c comm_write): up to 15 bytes, newline and all, for the caller's own thread group. */
    private static long writeComm(Process p, Task caller, byte[] data) {
        if (caller == null || caller.process != p) return -EINVAL;
        int n = Math.min(data.length, 15);
        int end = 0;
        while (end < n && data[end] != 0) end++;
        p.comm = new String(data, 0, end, StandardCharsets.ISO_8859_1);
        return data.length;
    }

    private static int oomScoreAdj(Process p) {
        Integer set = p.oomScoreAdj;
        if (set != null) return set;
        try {
            return Integer.parseInt(new String(hostFile("/proc/self/oom_score_adj"), StandardCharsets.US_ASCII).strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A decimal in [-1000, 1000], as Linux's oom_score_adj_write accepts. */
    private static long writeOomScoreAdj(Process p, byte[] data) {
        try {
            int v = Integer.parseInt(new String(data, StandardCharsets.US_ASCII).strip());
            if (v < -1000 || v > 1000) return -EINVAL;
            p.oomScoreAdj = v;
            return data.length;
        } catch (NumberFormatException e) {
            return -EINVAL;
        }
    }

    private static List<Entry> directoryEntries(boolean inTask) {
        List<Entry> out = new ArrayList<>();
        for (String f : FILES) out.add(new Entry(f, Entry.DT_REG));
        for (String l : LINKS) out.add(new Entry(l, Entry.DT_LNK));
        for (String d : DIRS) if (!(inTask && d.equals("task"))) out.add(new Entry(d, Entry.DT_DIR));
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    private static List<Entry> taskEntries(Process p) {
        List<Entry> out = new ArrayList<>();
        for (Task t : liveTasks(p)) out.add(new Entry(Integer.toString(t.tid), Entry.DT_DIR));
        out.sort((a, b) -> Integer.compare(Integer.parseInt(a.name()), Integer.parseInt(b.name())));
        return out;
    }

    private static byte[] nulJoined(List<String> strings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String s : strings) {
            out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            out.write(0);
        }
        return out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * A host /proc file read as a program reads it: from offset 0 with a page-sized buffer, then on
     * to the end. Files.readAllBytes would ask for one byte first (procfs reports size 0), and
     * Linux's sysctl handlers (proc_dointvec…) answer a read at a non-zero offset with end of file,
     * so pid_max would read back as its first digit.
     */
    static byte[] hostFile(String path) {
        try (var in = new java.io.FileInputStream(path)) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) out.write(buf, 0, n);
            return out.toByteArray();
        } catch (java.io.IOException e) {
            return new byte[0];
        }
    }

    private static String limits(Process p) {
        String[][] rows = {
                {"Max cpu time", "seconds"}, {"Max file size", "bytes"}, {"Max data size", "bytes"},
                {"Max stack size", "bytes"}, {"Max core file size", "bytes"}, {"Max resident set", "bytes"},
                {"Max processes", "processes"}, {"Max open files", "files"}, {"Max locked memory", "bytes"},
                {"Max address space", "bytes"}, {"Max file locks", "locks"}, {"Max pending signals", "signals"},
                {"Max msgqueue size", "bytes"}, {"Max nice priority", ""}, {"Max realtime priority", ""},
                {"Max realtime timeout", "us"}};
        StringBuilder sb = new StringBuilder(String.format("%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units"));
        for (int r = 0; r < rows.length; r++) {
            // fs/proc/base.c proc_pid_limits: the unit column only where there is a unit.
            sb.append(String.format("%-25s %-20s %-20s ", rows[r][0], value(p.rlimits.cur(r)), value(p.rlimits.max(r))));
            if (!rows[r][1].isEmpty()) sb.append(String.format("%-10s", rows[r][1]));
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String value(long v) {
        return v == Rlimits.INFINITY ? "unlimited" : Long.toString(v);
    }
}
