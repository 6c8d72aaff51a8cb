package dev.lxrun.procfs;

import dev.lxrun.kernel.Kernel;
import dev.lxrun.kernel.Process;
import dev.lxrun.kernel.ProcessTree;
import dev.lxrun.kernel.Rlimits;
import dev.lxrun.kernel.SignalAction;
import dev.lxrun.kernel.Signals;
import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.mm.AddressSpace;
import dev.lxrun.kernel.pseudo.PseudoFile;
import dev.lxrun.kernel.pseudo.PseudoNode;
import dev.lxrun.kernel.pseudo.PseudoNode.Entry;
import dev.lxrun.vfs.FileDescription;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** /proc/PID and /proc/PID/task/TID: one guest process's files, in Linux's formats. */
final class ProcessFiles {
    private static final long PAGE = 4096;
    private static final long CLK_TCK = 100;
    private static final List<String> FILES = List.of("cmdline", "comm", "environ", "limits", "maps", "mounts",
            "stat", "statm", "status");
    private static final List<String> LINKS = List.of("cwd", "exe", "root");

    private final Kernel kernel;

    ProcessFiles(Kernel kernel) {
        this.kernel = kernel;
    }

    PseudoNode lookup(Process p, Task thread, String rest) {
        if (rest.isEmpty()) return new PseudoNode.Dir(ProcessFiles::directoryEntries);
        String[] parts = rest.split("/", 2);
        String name = parts[0], sub = parts.length > 1 ? parts[1] : "";
        switch (name) {
            case "task" -> {
                if (sub.isEmpty()) return new PseudoNode.Dir(() -> taskEntries(p));
                String[] t = sub.split("/", 2);
                if (!ProcFs.isNumber(t[0])) return null;
                Task task = kernel.task(Integer.parseInt(t[0]));
                if (task == null || task.process != p) return null;
                return lookup(p, task, t.length > 1 ? t[1] : "");
            }
            case "fd" -> {
                return sub.isEmpty() ? new PseudoNode.Dir(() -> fdEntries(p)) : fdLink(kernel, p, sub);
            }
            case "cwd" -> { return sub.isEmpty() ? new PseudoNode.Link(p.fs.cwd(), p.fs.cwd()) : null; }
            case "exe" -> { return sub.isEmpty() ? new PseudoNode.Link(p.exePath, p.exePath) : null; }
            case "root" -> { return sub.isEmpty() ? new PseudoNode.Link("/", "/") : null; }
            default -> { }
        }
        if (!sub.isEmpty()) return null;
        Supplier<byte[]> content = switch (name) {
            case "cmdline" -> () -> nulJoined(p.argv);
            case "environ" -> () -> nulJoined(p.envp);
            case "comm" -> () -> ascii(p.comm() + "\n");
            case "stat" -> () -> ascii(stat(p, thread));
            case "statm" -> () -> ascii(statm(p));
            case "status" -> () -> ascii(status(p, thread));
            case "maps" -> () -> ascii(maps(p, kernel));
            case "limits" -> () -> ascii(limits(p));
            case "mounts" -> () -> hostFile("/proc/self/mounts");
            default -> null;
        };
        return content == null ? null : new PseudoNode.File(content);
    }

    private static List<Entry> directoryEntries() {
        List<Entry> out = new ArrayList<>();
        for (String f : FILES) out.add(new Entry(f, Entry.DT_REG));
        for (String l : LINKS) out.add(new Entry(l, Entry.DT_LNK));
        out.add(new Entry("fd", Entry.DT_DIR));
        out.add(new Entry("task", Entry.DT_DIR));
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    private static List<Entry> taskEntries(Process p) {
        List<Entry> out = new ArrayList<>();
        for (Task t : p.tasks()) out.add(new Entry(Integer.toString(t.tid), Entry.DT_DIR));
        out.sort((a, b) -> Integer.compare(Integer.parseInt(a.name()), Integer.parseInt(b.name())));
        return out;
    }

    private static List<Entry> fdEntries(Process p) {
        List<Entry> out = new ArrayList<>();
        for (int fd : p.fds.openFds()) out.add(new Entry(Integer.toString(fd), Entry.DT_LNK));
        return out;
    }

    /** fd/N: readlink shows what the descriptor is; opening it reaches the same open file. */
    private static PseudoNode fdLink(Kernel kernel, Process p, String n) {
        if (!ProcFs.isNumber(n)) return null;
        FileDescription f = p.fds.get(Integer.parseInt(n));
        if (f == null) return null;
        if (f instanceof PseudoFile pf) return new PseudoNode.Link(pf.guestPath(), null);
        String via = "/proc/self/fd/" + f.hostFd();
        String target;
        try {
            target = Files.readSymbolicLink(Path.of(via)).toString();
        } catch (java.io.IOException | RuntimeException e) {
            target = "anon_inode:[unknown]";
        }
        return new PseudoNode.Link(kernel.guestPathOf(target), via);
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

    static byte[] hostFile(String path) {
        try {
            return Files.readAllBytes(Path.of(path));
        } catch (java.io.IOException e) {
            return new byte[0];
        }
    }

    private static char state(Process p) {
        if (ProcessTree.isZombie(p)) return 'Z';
        return 'S';
    }

    private static long vmSize(Process p) {
        long total = 0;
        AddressSpace mm = p.mm;
        if (mm == null) return 0;
        for (AddressSpace.Mapping m : mm.layout()) total += m.end() - m.start();
        return total;
    }

    private long ticksSinceBoot(long nanos) {
        return Math.max(0, (nanos - kernel.bootNanos) / (1_000_000_000L / CLK_TCK)) + bootOffsetTicks();
    }

    /** Guest processes started after the host booted: starttime counts from the host's boot. */
    private static long bootOffsetTicks() {
        try {
            String up = new String(hostFile("/proc/uptime"), StandardCharsets.US_ASCII).split(" ")[0];
            double seconds = Double.parseDouble(up);
            return (long) (seconds * CLK_TCK) - (System.nanoTime() - START) / (1_000_000_000L / CLK_TCK);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static final long START = System.nanoTime();

    private long[] signalSets(Process p, Task t) {
        long ignored = 0, caught = 0;
        for (int sig = 1; sig <= Signals.NSIG; sig++) {
            SignalAction a = p.action(sig);
            if (a.handler() == Signals.SIG_IGN) ignored |= 1L << (sig - 1);
            else if (a.handler() != Signals.SIG_DFL) caught |= 1L << (sig - 1);
        }
        long blocked = t == null ? 0 : t.signalMask;
        long pending = t == null ? 0 : t.pendingSignals;
        return new long[] {pending, p.pendingSignals(), blocked, ignored, caught};
    }

    private String stat(Process p, Task t) {
        long[] sig = signalSets(p, t);
        long vsize = vmSize(p);
        long rss = p.mm == null ? 0 : p.mm.residentBytes() / PAGE;
        long[] brk = p.mm == null ? new long[2] : p.mm.brkRange();
        int exitCode = p.exitStatus() == null ? 0 : p.exitStatus().waitStatus();
        int pid = t == null ? p.pid : t.tid;
        StringBuilder sb = new StringBuilder();
        sb.append(pid).append(" (").append(p.comm()).append(") ").append(state(p)).append(' ')
          .append(p.ppid()).append(' ').append(p.pgid()).append(' ').append(p.sid()).append(" 0 -1 4194304 0 0 0 0 ")
          .append("0 0 0 0 20 0 ").append(p.taskCount()).append(" 0 ").append(ticksSinceBoot(p.startNanos)).append(' ')
          .append(vsize).append(' ').append(rss).append(" 18446744073709551615 0 0 0 0 0 ")
          .append(sig[0] | sig[1]).append(' ').append(sig[2]).append(' ').append(sig[3]).append(' ').append(sig[4])
          .append(" 0 0 0 17 0 0 0 0 0 0 0 ").append(brk[0]).append(' ').append(brk[1]).append(" 0 0 0 0 ")
          .append(exitCode).append('\n');
        return sb.toString();
    }

    private static String statm(Process p) {
        long size = vmSize(p) / PAGE;
        long rss = p.mm == null ? 0 : p.mm.residentBytes() / PAGE;
        return size + " " + rss + " 0 0 0 0 0\n";
    }

    private String status(Process p, Task t) {
        long[] sig = signalSets(p, t);
        var c = p.creds;
        long vm = vmSize(p) / 1024, rss = p.mm == null ? 0 : p.mm.residentBytes() / 1024;
        StringBuilder g = new StringBuilder();
        for (int gid : c.groups()) g.append(gid).append(' ');
        String state = switch (state(p)) {
            case 'Z' -> "Z (zombie)";
            default -> "S (sleeping)";
        };
        int tid = t == null ? p.pid : t.tid;
        return "Name:\t" + p.comm() + "\n"
                + "Umask:\t" + String.format("%04o", p.fs.umask()) + "\n"
                + "State:\t" + state + "\n"
                + "Tgid:\t" + p.pid + "\nNgid:\t0\nPid:\t" + tid + "\nPPid:\t" + p.ppid() + "\nTracerPid:\t0\n"
                + "Uid:\t" + c.uid() + "\t" + c.euid() + "\t" + c.suid() + "\t" + c.euid() + "\n"
                + "Gid:\t" + c.gid() + "\t" + c.egid() + "\t" + c.sgid() + "\t" + c.egid() + "\n"
                + "FDSize:\t" + Math.max(64, Integer.highestOneBit(Math.max(1, p.fds.openFds().length)) * 2) + "\n"
                + "Groups:\t" + g.toString().strip() + "\n"
                + "NStgid:\t" + p.pid + "\nNSpid:\t" + tid + "\nNSpgid:\t" + p.pgid() + "\nNSsid:\t" + p.sid() + "\n"
                + "VmPeak:\t" + String.format("%8d kB", vm) + "\nVmSize:\t" + String.format("%8d kB", vm) + "\n"
                + "VmLck:\t       0 kB\nVmPin:\t       0 kB\n"
                + "VmHWM:\t" + String.format("%8d kB", rss) + "\nVmRSS:\t" + String.format("%8d kB", rss) + "\n"
                + "Threads:\t" + p.taskCount() + "\n"
                + "SigQ:\t0/63704\n"
                + String.format("SigPnd:\t%016x\nShdPnd:\t%016x\nSigBlk:\t%016x\nSigIgn:\t%016x\nSigCgt:\t%016x\n",
                        sig[0], sig[1], sig[2], sig[3], sig[4])
                + (c.euid() == 0
                        ? "CapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\nCapEff:\t000001ffffffffff\n"
                        : "CapInh:\t0000000000000000\nCapPrm:\t0000000000000000\nCapEff:\t0000000000000000\n")
                + "CapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\n"
                + "NoNewPrivs:\t" + (p.noNewPrivs ? 1 : 0) + "\nSeccomp:\t0\n"
                + "Cpus_allowed_list:\t0-" + (Runtime.getRuntime().availableProcessors() - 1) + "\n"
                + "voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n";
    }

    private static String maps(Process p, Kernel kernel) {
        StringBuilder sb = new StringBuilder();
        if (p.mm == null) return "";
        for (AddressSpace.Mapping m : p.mm.layout()) {
            String perms = ((m.prot() & 1) != 0 ? "r" : "-") + ((m.prot() & 2) != 0 ? "w" : "-")
                    + ((m.prot() & 4) != 0 ? "x" : "-") + (m.shared() ? "s" : "p");
            String line = String.format("%08x-%08x %s %08x 00:00 %d", m.start(), m.end(), perms, 0, 0);
            if (m.name() != null && !m.name().isEmpty()) {
                line = line + " ".repeat(Math.max(1, 73 - line.length())) + kernel.guestPathOf(m.name());
            }
            sb.append(line).append('\n');
        }
        return sb.toString();
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
            sb.append(String.format("%-25s %-20s %-20s %-10s", rows[r][0], value(p.rlimits.cur(r)), value(p.rlimits.max(r)), rows[r][1])
                    .stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    private static String value(long v) {
        return v == Rlimits.INFINITY ? "unlimited" : Long.toString(v);
    }
}
