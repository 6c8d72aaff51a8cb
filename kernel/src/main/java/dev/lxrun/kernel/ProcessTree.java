package dev.lxrun.kernel;

import java.util.ArrayList;
import java.util.List;

/** Queries and changes on the process tree under the kernel's tree lock: wait, process groups, sessions. */
public final class ProcessTree {
    private ProcessTree() {}

    /** A reaped (or, with noReap, observed) child: its pid, how it ended, its uid. */
    /** What wait saw: an exit (status), a stop (stopSignal > 0) or a continue (continued). */
    public record Reaped(int pid, ExitStatus status, int uid, int stopSignal, boolean continued) {
        Reaped(int pid, ExitStatus status, int uid) {
            this(pid, status, uid, 0, false);
        }

        /** The wait(2) status word for this event. */
        public int waitStatus() {
            if (stopSignal > 0) return (stopSignal << 8) | 0x7f;
            if (continued) return 0xffff;
            return status.waitStatus();
        }
    }

    /** The wait outcome: a child, or none yet (WNOHANG), or an errno. */
    public sealed interface WaitResult {
        record Child(Reaped child) implements WaitResult {}
        record NoneYet() implements WaitResult {}
        record Error(int errno) implements WaitResult {}
    }

    /** Child selection as wait4 encodes it: pid > 0, -1 any, 0 own group, < -1 that group. */
    public static boolean selects(Process caller, Process c, int pid) {
        if (pid > 0) return c.pid == pid;
        if (pid == -1) return true;
        if (pid == 0) return c.pgid == caller.pgid;
        return c.pgid == -pid;
    }

    /** A zombie leaves its parent (its CPU times added to the parent's children's) and the process table. Caller holds the tree lock. */
    static void reap(Process parent, Process child) {
        parent.childCpuNanos.addAndGet(child.cpuNanos.get() + child.childCpuNanos.get());
        parent.childUserNanos.addAndGet(child.userNanos.get() + child.childUserNanos.get());
        parent.children.remove(child);
        parent.kernel.unregister(child);
    }

    /** Waits for a zombie child the selector accepts. interrupted() is polled while sleeping. */
    public static WaitResult waitChild(Task t, java.util.function.Predicate<Process> selector, boolean noHang,
                                       boolean noReap) {
        return waitChild(t, selector, noHang, noReap, false, false);
    }

    /** As above; stops reports children that stopped (WUNTRACED), continues those that continued (WCONTINUED). */
    public static WaitResult waitChild(Task t, java.util.function.Predicate<Process> selector, boolean noHang,
                                       boolean noReap, boolean stops, boolean continues) {
        Process me = t.process;
        Kernel k = me.kernel;
        synchronized (k.tree) {
            while (true) {
                // Tracees first: their stops are reported to the tracer whatever the options say.
                Reaped traced = k.tracees.poll(me, selector, noReap);
                if (traced != null) return new WaitResult.Child(traced);
                boolean any = k.tracees.any(me, selector);
                for (Process c : me.children) {
                    if (!selector.test(c)) continue;
                    any = true;
                    if (!c.zombie && stops && c.stopped && c.stopUnreported) {
                        if (!noReap) c.stopUnreported = false;
                        return new WaitResult.Child(new Reaped(c.pid, null, c.creds.uid(), c.stopSignal, false));
                    }
                    if (!c.zombie && continues && c.continueUnreported) {
                        if (!noReap) c.continueUnreported = false;
                        return new WaitResult.Child(new Reaped(c.pid, null, c.creds.uid(), 0, true));
                    }
                    if (c.zombie) {
                        Reaped r = new Reaped(c.pid, c.exitStatus(), c.creds.uid());
                        if (!noReap) reap(me, c);
                        return new WaitResult.Child(r);
                    }
                }
                if (!any) return new WaitResult.Error(dev.lxrun.syscalls.Errno.ECHILD);
                if (noHang) return new WaitResult.NoneYet();
                if (t.hasPendingSignal()) return new WaitResult.Error(SignalDelivery.ERESTARTSYS);
                try {
                    k.tree.wait(100);
                } catch (InterruptedException e) {
                    Thread.interrupted();
                }
            }
        }
    }

    /** setpgid(pid, pgid) with Linux's checks: self or an own child, same session, existing group. */
    public static int setpgid(Process caller, int pid, int pgid) {
        Kernel k = caller.kernel;
        if (pgid < 0) return -dev.lxrun.syscalls.Errno.EINVAL;
        synchronized (k.tree) {
            Process target = pid == 0 ? caller : k.process(pid);
            if (target == null || (target != caller && target.parent != caller)) return -dev.lxrun.syscalls.Errno.ESRCH;
            if (target.sid == target.pid) return -dev.lxrun.syscalls.Errno.EPERM; // a session leader
            if (target.sid != caller.sid) return -dev.lxrun.syscalls.Errno.EPERM;
            int group = pgid == 0 ? target.pid : pgid;
            if (group != target.pid && sessionOfGroup(k, group) != caller.sid) return -dev.lxrun.syscalls.Errno.EPERM;
            target.pgid = group;
            return 0;
        }
    }

    public static int setsid(Process caller) {
        synchronized (caller.kernel.tree) {
            for (Process p : caller.kernel.allProcesses()) {
                if (p.pgid == caller.pid && p != caller) return -dev.lxrun.syscalls.Errno.EPERM;
            }
            if (caller.pgid == caller.pid && !caller.hostLaunched) return -dev.lxrun.syscalls.Errno.EPERM;
            caller.pgid = caller.pid;
            caller.sid = caller.pid;
            return caller.pid;
        }
    }

    /** The live processes kill(pid) addresses: pid > 0 one, 0 own group, -1 all but the caller, < -1 a group. */
    public static List<Process> killTargets(Process caller, int pid) {
        List<Process> out = new ArrayList<>();
        Kernel k = caller.kernel;
        synchronized (k.tree) {
            if (pid > 0) {
                Process p = k.process(pid);
                if (p != null) out.add(p);
                return out;
            }
            for (Process p : k.allProcesses()) {
                if (p.zombie) continue;
                boolean pick = pid == -1 ? p != caller : p.pgid == (pid == 0 ? caller.pgid : -pid);
                if (pick) out.add(p);
            }
        }
        return out;
    }

    /**
     * POSIX's orphaned process group: no member has a parent in another group of the same
     * session, so no job-control shell is left to continue it. The initial process's parent is
     * the host process that started lxrun (see ControllingTerminal#shellOutside). Caller holds
     * the tree lock.
     */
    static boolean orphanedGroup(Process member) {
        Kernel k = member.kernel;
        for (Process q : k.allProcesses()) {
            if (q.pgid != member.pgid || q.zombie) continue;
            Process parent = q.parent;
            if (parent != null && parent.pgid != q.pgid && parent.sid == q.sid) return false;
            if (q.hostLaunched && q.hostShellOutside) return false;
        }
        return true;
    }

    /**
     * Whether a stop by sig would be discarded, as Linux discards SIGTSTP, SIGTTIN and SIGTTOU
     * (not SIGSTOP) for a process in an orphaned group: nobody would ever continue it. Caller
     * holds the tree lock.
     */
    static boolean stopDiscarded(Process p, int sig) {
        return sig != Signals.SIGSTOP && orphanedGroup(p);
    }

    /** The session of the live process group pgid, or -1 when no live process is in it. Caller holds the tree lock. */
    static int sessionOfGroup(Kernel k, int pgid) {
        for (Process p : k.allProcesses()) {
            if (p.pgid == pgid && !p.zombie) return p.sid;
        }
        return -1;
    }

    public static boolean isZombie(Process p) {
        synchronized (p.kernel.tree) {
            return p.zombie;
        }
    }
}
