package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Capabilities;
import dev.lxrun.kernel.Process;
import dev.lxrun.kernel.ProcessTree;
import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;
import java.util.ArrayList;
import java.util.List;

/**
 * ioprio_set/ioprio_get: an I/O scheduling class and level per thread, kept and reported as Linux
 * does. lxrun's file I/O is the host's, done by the JVM, so the value orders nothing.
 */
final class SysIoprio {
    private static final int WHO_PROCESS = 1, WHO_PGRP = 2, WHO_USER = 3;
    private static final int CLASS_NONE = 0, CLASS_RT = 1, CLASS_BE = 2, CLASS_IDLE = 3;
    private static final int BE_NORM = 4;

    private SysIoprio() {}

    private static int ioClass(int prio) {
        return (prio >> 13) & 7;
    }

    /** Linux's ioprio_check_cap: a known class, RT only with CAP_SYS_NICE or CAP_SYS_ADMIN, NONE only with level 0. */
    private static long check(Task t, int prio) {
        int level = prio & 7;
        switch (ioClass(prio)) {
            case CLASS_RT -> {
                Capabilities c = t.process.caps;
                if (!c.has(Capabilities.CAP_SYS_NICE) && !c.has(Capabilities.CAP_SYS_ADMIN)) return -Errno.EPERM;
            }
            case CLASS_BE, CLASS_IDLE -> { }
            case CLASS_NONE -> {
                if (level != 0) return -Errno.EINVAL;
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
        return 0;
    }

    static long set(Task t, int which, int who, int prio) {
        long r = check(t, prio);
        if (r != 0) return r;
        List<Task> targets = targets(t, which, who);
        if (targets == null) return -Errno.EINVAL;
        if (targets.isEmpty()) return -Errno.ESRCH;
        var me = t.process.creds;
        for (Task target : targets) {
            var them = target.process.creds;
            if (them.uid() != me.euid() && them.uid() != me.uid() && !t.process.caps.has(Capabilities.CAP_SYS_NICE)) {
                return -Errno.EPERM;
            }
            target.sched.ioprio = prio & 0xffff;
        }
        return 0;
    }

    static long get(Task t, int which, int who) {
        List<Task> targets = targets(t, which, who);
        if (targets == null) return -Errno.EINVAL;
        if (targets.isEmpty()) return -Errno.ESRCH;
        if (which == WHO_PROCESS) return reported(targets.get(0));
        int best = Integer.MAX_VALUE;
        for (Task target : targets) {
            int prio = reported(target);
            // Linux's ioprio_best: a value without a class counts as best-effort at the normal level.
            if (ioClass(prio) == CLASS_NONE) prio = CLASS_BE << 13 | BE_NORM;
            best = Math.min(best, prio);
        }
        return best;
    }

    /** What Linux reports for a thread: the value set, 0 (class NONE) without one. */
    private static int reported(Task target) {
        return Math.max(0, target.sched.ioprio);
    }

    /** The live threads named by (which, who), or null for an unknown which. */
    private static List<Task> targets(Task t, int which, int who) {
        List<Task> out = new ArrayList<>();
        switch (which) {
            case WHO_PROCESS -> {
                Task target = who == 0 ? t : t.kernel().task(who);
                if (target != null) out.add(target);
            }
            case WHO_PGRP, WHO_USER -> {
                int key = who != 0 ? who : which == WHO_PGRP ? t.process.pgid() : t.process.creds.uid();
                for (Process p : t.kernel().allProcesses()) {
                    if (ProcessTree.isZombie(p)) continue;
                    if ((which == WHO_PGRP ? p.pgid() : p.creds.uid()) != key) continue;
                    out.addAll(p.tasks());
                }
            }
            default -> {
                return null;
            }
        }
        return out;
    }
}
