package dev.lxrun.kernel.ptrace;

import dev.lxrun.kernel.ExitStatus;
import dev.lxrun.kernel.Process;
import dev.lxrun.kernel.ProcessTree;
import dev.lxrun.kernel.SignalPosting;
import dev.lxrun.kernel.Signals;
import dev.lxrun.kernel.Task;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The kernel's traced threads: the tracer-side view Linux keeps in each tracer's ptraced list.
 * wait(2) looks here as well as at the caller's children, since a tracee stop (and a tracee's end)
 * is reported to its tracer whether or not it is the tracer's child.
 */
public final class Tracees {
    private final List<Tracee> all = new CopyOnWriteArrayList<>();

    Tracee attach(Task t, Process tracer, boolean seized, int options) {
        Tracee tr = new Tracee(t, tracer, seized, options);
        t.ptrace = tr;
        all.add(tr);
        return tr;
    }

    /** The tracer lets go (DETACH, its own end): the tracee runs on untraced. Caller holds the tree lock. */
    void release(Tracee tr) {
        tr.tracer = null;
        tr.resumed = true;
        tr.mode = Tracee.Mode.CONT;
        if (tr.task.ptrace == tr) tr.task.ptrace = null;
        all.remove(tr);
        tr.kernel.tree.notifyAll();
    }

    /** The tracee of tracer with thread id tid, or null. */
    Tracee find(Process tracer, int tid) {
        for (Tracee tr : all) {
            if (tr.task.tid == tid && tr.tracer == tracer) return tr;
        }
        return null;
    }

    /**
     * What wait(2) of tracer reports first among its tracees the selector accepts: a stop not yet
     * reported, then an end. Caller holds the tree lock.
     */
    public ProcessTree.Reaped poll(Process tracer, Predicate<Process> selector, boolean noReap) {
        for (Tracee tr : all) {
            if (tr.tracer != tracer || !selector.test(tr.task.process)) continue;
            if (tr.stopped && !tr.reported) {
                if (!noReap) tr.reported = true;
                return new ProcessTree.Reaped(tr.task.tid, null, tr.task.process.creds.uid(), tr.stopCode, false);
            }
        }
        for (Tracee tr : all) {
            if (tr.tracer != tracer || !selector.test(tr.task.process) || tr.exitReport == null) continue;
            ProcessTree.Reaped r = new ProcessTree.Reaped(tr.task.tid, tr.exitReport, tr.task.process.creds.uid(), 0, false);
            if (!noReap) all.remove(tr);
            return r;
        }
        return null;
    }

    /** Whether tracer has a tracee the selector accepts (wait must not say ECHILD). Caller holds the tree lock. */
    public boolean any(Process tracer, Predicate<Process> selector) {
        for (Tracee tr : all) {
            if (tr.tracer == tracer && selector.test(tr.task.process)) return true;
        }
        return false;
    }

    /**
     * A traced thread ended with status. Its tracer's wait reports it, unless the tracer is the
     * parent of a whole process that ended: then the ordinary zombie is the one report.
     */
    public void exited(Task t, boolean last, ExitStatus status) {
        Tracee tr = t.ptrace;
        if (tr == null) return;
        Object tree = t.kernel().tree;
        synchronized (tree) {
            Process tracer = tr.tracer;
            boolean parentSees = last && t.tid == t.process.pid && tracer != null && tracer.pid == t.process.ppid();
            if (tracer == null || parentSees) {
                all.remove(tr);
            } else {
                tr.exitReport = status;
            }
            tr.stopped = false;
            tree.notifyAll();
        }
    }

    /** The tracer ended: its tracees are detached, or killed if it set PTRACE_O_EXITKILL. */
    public void tracerExited(Process p) {
        for (Tracee tr : all) {
            boolean kill;
            synchronized (tr.kernel.tree) {
                if (tr.tracer != p) continue;
                kill = (tr.options & Tracee.O_EXITKILL) != 0;
                release(tr);
            }
            if (kill) SignalPosting.kill(tr.task.process, Signals.SIGKILL);
        }
    }

    /** /proc/PID/status's TracerPid: the tracer of the process's main thread, 0 if none. */
    public int tracerPid(Process p) {
        for (Tracee tr : all) {
            if (tr.task.tid == p.pid && tr.exitReport == null) {
                Process tracer = tr.tracer();
                return tracer == null ? 0 : tracer.pid;
            }
        }
        return 0;
    }

    /** Whether a thread of p is traced: its signals then go to the tracer first, even ignored ones. */
    public static boolean traced(Process p) {
        for (Task t : p.tasks()) if (t.ptrace != null) return true;
        return false;
    }
}
