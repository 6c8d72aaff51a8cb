package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Process;
import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;
import java.util.ArrayList;
import java.util.List;

/** getpriority/setpriority: nice values per process, group or user. */
final class SysPriority {
    private static final int PRIO_PROCESS = 0, PRIO_PGRP = 1, PRIO_USER = 2;

    private SysPriority() {}

    /** The raw syscall returns 20 - nice of the most favoured target (never negative); libc converts. */
    static long getpriority(Task t, int which, int who) {
        List<Process> targets = targets(t, which, who);
        if (targets == null) return -Errno.EINVAL;
        if (targets.isEmpty()) return -Errno.ESRCH;
        int best = Integer.MAX_VALUE;
        for (Process p : targets) best = Math.min(best, p.nice);
        return 20 - best;
    }

    static long setpriority(Task t, int which, int who, int prio) {
        List<Process> targets = targets(t, which, who);
        if (targets == null) return -Errno.EINVAL;
        if (targets.isEmpty()) return -Errno.ESRCH;
        int nice = Math.max(-20, Math.min(19, prio));
        int uid = t.process.creds.euid();
        for (Process p : targets) {
            if (uid != 0 && p.creds.uid() != uid && p.creds.euid() != uid) return -Errno.EPERM;
            if (uid != 0 && nice < p.nice) return -Errno.EACCES; // raising priority needs CAP_SYS_NICE
        }
        for (Process p : targets) p.nice = nice;
        return 0;
    }

    /** The live processes named by (which, who), or null for an unknown which. */
    private static List<Process> targets(Task t, int which, int who) {
        Process me = t.process;
        List<Process> out = new ArrayList<>();
        switch (which) {
            case PRIO_PROCESS -> {
                Process p = who == 0 ? me : t.kernel().process(who);
                if (p != null && !dev.lxrun.kernel.ProcessTree.isZombie(p)) out.add(p);
            }
            case PRIO_PGRP -> {
                int pgid = who == 0 ? me.pgid() : who;
                for (Process p : t.kernel().allProcesses()) if (p.pgid() == pgid && !dev.lxrun.kernel.ProcessTree.isZombie(p)) out.add(p);
            }
            case PRIO_USER -> {
                int uid = who == 0 ? me.creds.uid() : who;
                for (Process p : t.kernel().allProcesses()) if (p.creds.uid() == uid && !dev.lxrun.kernel.ProcessTree.isZombie(p)) out.add(p);
            }
            default -> {
                return null;
            }
        }
        return out;
    }
}
