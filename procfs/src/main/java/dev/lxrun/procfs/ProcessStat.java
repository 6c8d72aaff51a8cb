package dev.lxrun.procfs;

import dev.lxrun.kernel.CpuTime;
import dev.lxrun.kernel.Process;
import dev.lxrun.kernel.ProcessTree;
import dev.lxrun.kernel.SignalAction;
import dev.lxrun.kernel.Signals;
import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.mm.AddressSpace;
import dev.lxrun.kernel.mm.AddressSpace.Mapping;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * /proc/PID/stat, statm and status (fs/proc/array.c) from the kernel's process and task state.
 * Fields lxrun does not track (page faults, context switches, scheduling policy) read 0 as for
 * a process that never had any.
 */
final class ProcessStat {
    private static final long PAGE = AddressSpace.PAGE;
    private static final long CLK_TCK = 100, TICK_NS = 1_000_000_000L / CLK_TCK;
    private static final int PROT_WRITE = 2, PROT_EXEC = 4;
    /** When lxrun started, in host-boot clock ticks: guest start times count from the host's boot. */
    private static final long START_NANOS = System.nanoTime();

    /**
     * The task's state letter: Z for a zombie, T when stopped, R for the task reading the file and
     * tasks running guest code or a syscall, S for tasks waiting in one (Task.sleeping).
     */
    static char state(Process p, Task t, Task caller) {
        if (ProcessTree.isZombie(p) || p.exited()) return 'Z';
        if (p.stopped()) return 'T';
        if (t == null) return 'Z';
        if (t == caller) return 'R';
        return t.sleeping() ? 'S' : 'R';
    }

    private static String stateName(char s) {
        return switch (s) {
            case 'R' -> "R (running)";
            case 'T' -> "T (stopped)";
            case 'Z' -> "Z (zombie)";
            default -> "S (sleeping)";
        };
    }

    /** Memory totals from the mappings: {size, rss, rssAnon, rssFile, rssShmem, data, stack, exe, lib} in bytes. */
    private static long[] memory(Process p) {
        long[] m = new long[9];
        AddressSpace mm = p.mm;
        if (mm == null) return m;
        String exe = p.exePath;
        for (Mapping v : mm.layout()) {
            long len = v.end() - v.start();
            long rss = mm.residentBytes(v.start(), v.end());
            m[0] += len;
            m[1] += rss;
            if (v.shared() && v.file() == null) m[4] += rss;
            else if (v.file() != null) m[3] += rss;
            else m[2] += rss;
            boolean stack = (v.flags() & AddressSpace.MAP_GROWSDOWN) != 0;
            if (stack) m[6] += len;
            else if (!v.shared() && (v.prot() & PROT_WRITE) != 0) m[5] += len;
            if ((v.prot() & PROT_EXEC) != 0) {
                if (exe.equals(guestName(p, v))) m[7] += len;
                else m[8] += len;
            }
        }
        return m;
    }

    /** CPU time of the task (or all of the process's tasks, ended ones included): {user, system} ticks. */
    private static long[] cpuTicks(Process p, Task only) {
        long cpu = only == null ? CpuTime.process(p, false) : CpuTime.thread(only, false);
        long user = only == null ? CpuTime.process(p, true) : CpuTime.thread(only, true);
        return new long[] {user / TICK_NS, Math.max(0, cpu - user) / TICK_NS};
    }

    private static long[] signalSets(Process p, Task t) {
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

    private long startTicks(Process p) {
        return (p.startNanos - START_NANOS) / TICK_NS + hostUptimeAtStartTicks();
    }

    /** The host's uptime when lxrun started, in ticks (starttime counts from the host's boot). */
    private static volatile long uptimeAtStart = -1;

    private static long hostUptimeAtStartTicks() {
        long cached = uptimeAtStart;
        if (cached >= 0) return cached;
        long ticks = 0;
        try {
            String up = new String(ProcessFiles.hostFile("/proc/uptime"), StandardCharsets.US_ASCII).split(" ")[0];
            ticks = (long) (Double.parseDouble(up) * CLK_TCK) - (System.nanoTime() - START_NANOS) / TICK_NS;
        } catch (RuntimeException e) {
            // no host uptime: start times count from lxrun's start
        }
        uptimeAtStart = Math.max(0, ticks);
        return uptimeAtStart;
    }

    /** The 52 fields of /proc/PID/stat (or task/TID/stat when thread is given for one thread). */
    String stat(Process p, Task t, Task caller, boolean perThread) {
        long[] sig = signalSets(p, t);
        long[] mem = memory(p);
        long[] brk = p.mm == null ? new long[2] : p.mm.brkRange();
        long[] code = codeRange(p);
        long[] cpu = cpuTicks(p, perThread ? t : null);
        int exitCode = p.exitStatus() == null ? 0 : p.exitStatus().waitStatus();
        int id = t == null ? p.pid : t.tid;
        StringBuilder sb = new StringBuilder();
        sb.append(id).append(" (").append(p.comm()).append(") ").append(state(p, t, caller))
          .append(' ').append(p.ppid()).append(' ').append(p.pgid()).append(' ').append(p.sid())
          .append(" 0 -1 4194304 0 0 0 0 ")                                    // tty_nr tpgid flags faults
          .append(cpu[0]).append(' ').append(cpu[1]).append(' ')
          .append(p.childUserNanos.get() / TICK_NS).append(' ')
          .append(Math.max(0, p.childCpuNanos.get() - p.childUserNanos.get()) / TICK_NS)
          .append(" 20 0 ").append(ProcessFiles.liveTasks(p).size()).append(" 0 ").append(startTicks(p)).append(' ')
          .append(mem[0]).append(' ').append(mem[1] / PAGE).append(' ').append(rsslim(p))
          .append(' ').append(code[0]).append(' ').append(code[1])
          .append(" 0 0 0 ")                                                   // startstack kstkesp kstkeip
          .append(sig[0] | sig[1]).append(' ').append(sig[2]).append(' ').append(sig[3]).append(' ').append(sig[4])
          .append(" 0 0 0 17")                                                 // wchan nswap cnswap exit_signal (SIGCHLD)
          .append(" 0 0 0 0 0 0 ")                                             // processor rt_priority policy delayacct guest cguest
          .append("0 0 ").append(brk[0]).append(" 0 0 0 0 ")                  // start/end_data start_brk arg/env ranges
          .append(exitCode).append('\n');
        return sb.toString();
    }

    private static String rsslim(Process p) {
        long v = p.rlimits.cur(5); // RLIMIT_RSS
        return Long.toUnsignedString(v);
    }

    /** The executable's text: the lowest and highest address of its executable mappings. */
    private static long[] codeRange(Process p) {
        long lo = 0, hi = 0;
        if (p.mm == null) return new long[2];
        for (Mapping m : p.mm.layout()) {
            if ((m.prot() & PROT_EXEC) == 0 || !p.exePath.equals(guestName(p, m))) continue;
            if (lo == 0) lo = m.start();
            hi = m.end();
        }
        return new long[] {lo, hi};
    }

    /** Mapping names are host paths; the process's exePath is the guest's. */
    private static String guestName(Process p, Mapping m) {
        return m.name() == null ? "" : p.kernel.guestPathOf(m.name());
    }

    static String statm(Process p) {
        long[] mem = memory(p);
        // size resident shared text lib data dt, in pages; lib and dt are always 0 since Linux 2.6.
        return mem[0] / PAGE + " " + mem[1] / PAGE + " " + (mem[3] + mem[4]) / PAGE + " " + mem[7] / PAGE + " 0 "
                + (mem[5] + mem[6]) / PAGE + " 0\n";
    }

    String status(Process p, Task t, Task caller) {
        long[] sig = signalSets(p, t);
        long[] mem = memory(p);
        var c = p.creds;
        StringBuilder groups = new StringBuilder();
        int[] gs = c.groups();
        for (int i = 0; i < gs.length; i++) groups.append(i == 0 ? "" : " ").append(gs[i]);
        int tid = t == null ? p.pid : t.tid;
        int cpus = Runtime.getRuntime().availableProcessors();
        StringBuilder sb = new StringBuilder();
        sb.append("Name:\t").append(p.comm()).append('\n')
          .append("Umask:\t").append(String.format("%04o", p.fs.umask())).append('\n')
          .append("State:\t").append(stateName(state(p, t, caller))).append('\n')
          .append("Tgid:\t").append(p.pid).append("\nNgid:\t0\nPid:\t").append(tid)
          .append("\nPPid:\t").append(p.ppid()).append("\nTracerPid:\t").append(p.kernel.tracees.tracerPid(p)).append("\n")
          // real, effective, saved, filesystem ids; lxrun's fs ids follow the effective ones
          .append("Uid:\t").append(c.uid()).append('\t').append(c.euid()).append('\t').append(c.suid()).append('\t').append(c.euid()).append('\n')
          .append("Gid:\t").append(c.gid()).append('\t').append(c.egid()).append('\t').append(c.sgid()).append('\t').append(c.egid()).append('\n')
          .append("FDSize:\t").append(fdSize(p)).append('\n')
          .append("Groups:\t").append(groups).append(" \n")
          .append("NStgid:\t").append(p.pid).append("\nNSpid:\t").append(tid)
          .append("\nNSpgid:\t").append(p.pgid()).append("\nNSsid:\t").append(p.sid()).append('\n')
          .append("Kthread:\t0\n");
        // lxrun does not record peaks: VmPeak and VmHWM are the current sizes.
        kb(sb, "VmPeak", mem[0]);
        kb(sb, "VmSize", mem[0]);
        kb(sb, "VmLck", p.mm == null ? 0 : p.mm.locked.bytes());
        kb(sb, "VmPin", 0);
        kb(sb, "VmHWM", mem[1]);
        kb(sb, "VmRSS", mem[1]);
        kb(sb, "RssAnon", mem[2]);
        kb(sb, "RssFile", mem[3]);
        kb(sb, "RssShmem", mem[4]);
        kb(sb, "VmData", mem[5]);
        kb(sb, "VmStk", mem[6]);
        kb(sb, "VmExe", mem[7]);
        kb(sb, "VmLib", mem[8]);
        kb(sb, "VmSwap", 0);
        sb.append("CoreDumping:\t0\n")
          .append("Threads:\t").append(ProcessFiles.liveTasks(p).size()).append('\n')
          .append(String.format("SigQ:\t%d/%d\n", Long.bitCount(sig[0] | sig[1]), p.rlimits.cur(11)))
          .append(String.format("SigPnd:\t%016x\nShdPnd:\t%016x\nSigBlk:\t%016x\nSigIgn:\t%016x\nSigCgt:\t%016x\n",
                  sig[0], sig[1], sig[2], sig[3], sig[4]));
        var caps = p.caps;
        sb.append(String.format("CapInh:\t%016x\nCapPrm:\t%016x\nCapEff:\t%016x\nCapBnd:\t%016x\nCapAmb:\t%016x\n",
                caps.inheritable(), caps.permitted(), caps.effective(), caps.bounding(), caps.ambient()))
          .append("NoNewPrivs:\t").append(p.noNewPrivs ? 1 : 0).append("\nSeccomp:\t0\nSeccomp_filters:\t0\n")
          .append("Cpus_allowed:\t").append(cpuMask(t, cpus)).append('\n')
          .append("Cpus_allowed_list:\t").append(cpuList(t, cpus)).append('\n')
          .append("voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n");
        return sb.toString();
    }

    /** The thread's sched_setaffinity mask among the host's CPUs (at most 64). */
    private static long allowed(Task t, int cpus) {
        long online = cpus >= 64 ? -1L : (1L << cpus) - 1;
        return (t == null ? -1L : t.affinity) & online;
    }

    /** The mask as Linux prints a CPU bitmap: hex digits for all the CPUs, in comma-separated groups of 32. */
    private static String cpuMask(Task t, int cpus) {
        long mask = allowed(t, cpus);
        int n = Math.min(64, cpus);
        StringBuilder sb = new StringBuilder();
        for (int group = (n - 1) / 32; group >= 0; group--) {
            int bits = Math.min(32, n - 32 * group);
            long word = (mask >>> (32 * group)) & 0xffffffffL;
            sb.append(String.format("%0" + ((bits + 3) / 4) + "x", word));
            if (group > 0) sb.append(',');
        }
        return sb.toString();
    }

    /** The mask as a list of ranges ("0-1,3"). */
    private static String cpuList(Task t, int cpus) {
        long mask = allowed(t, cpus);
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < 64; c++) {
            if ((mask & (1L << c)) == 0) continue;
            int end = c;
            while (end + 1 < 64 && (mask & (1L << (end + 1))) != 0) end++;
            sb.append(sb.isEmpty() ? "" : ",").append(c == end ? Integer.toString(c) : c + "-" + end);
            c = end;
        }
        return sb.toString();
    }

    /** The descriptor table's capacity as Linux grows it: 64, then powers of two above the highest fd. */
    private static int fdSize(Process p) {
        int[] fds = p.fds.openFds();
        int highest = fds.length == 0 ? 0 : fds[fds.length - 1];
        int size = 64;
        while (size <= highest) size <<= 1;
        return size;
    }

    private static void kb(StringBuilder sb, String name, long bytes) {
        sb.append(name).append(":\t").append(String.format("%8d", bytes / 1024)).append(" kB\n");
    }
}
