package dev.lxrun.kernel;

/**
 * Sending a signal to a process (kill, SIGCHLD, SIGPIPE): ignored signals vanish, a default
 * action that ends the process ends it now, and anything else waits as pending until a task of
 * the process can take it.
 */
public final class SignalPosting {
    private SignalPosting() {}

    public static void post(Process p, int sig) {
        if (sig <= 0 || sig > Signals.NSIG || p.exited()) return;
        if (sig == Signals.SIGKILL) {
            kill(p, sig);
            return;
        }
        if (sig == Signals.SIGCONT) resume(p);
        if (sig == Signals.SIGSTOP) {
            stop(p, sig);
            return;
        }
        // A signal every task blocks stays pending even if ignored: a handler may be installed, or
        // sigwait may take it, before it is unblocked (Linux's sig_ignored makes the same exception).
        if (blockedByAll(p, sig)) {
            markPending(p, sig);
            return;
        }
        SignalAction a = p.action(sig);
        if (a.handler() == Signals.SIG_IGN) return;
        if (a.handler() == Signals.SIG_DFL) {
            Signals.DefaultAction d = Signals.defaultAction(sig);
            if (d == Signals.DefaultAction.IGNORE || d == Signals.DefaultAction.CONTINUE) return;
            if (d == Signals.DefaultAction.STOP) {
                stop(p, sig);
                return;
            }
            kill(p, sig);
            return;
        }
        markPending(p, sig);
    }

    private static final long SA_NOCLDSTOP = 1;

    /** Stops every task of p (they park before running guest code again) and tells the parent. */
    public static void stop(Process p, int sig) {
        Process parent;
        synchronized (p.kernel.tree) {
            if (p.zombie || p.stopped) return;
            p.stopped = true;
            p.stopSignal = sig;
            p.stopUnreported = true;
            p.continueUnreported = false;
            parent = p.parent;
            p.kernel.tree.notifyAll();
        }
        for (Task t : p.tasks()) t.interruptForSignal();
        if (parent != null && (parent.action(Signals.SIGCHLD).flags() & SA_NOCLDSTOP) == 0) post(parent, Signals.SIGCHLD);
    }

    /** SIGCONT: a stopped process runs again and its parent hears of it. */
    static void resume(Process p) {
        Process parent;
        synchronized (p.kernel.tree) {
            if (!p.stopped) return;
            p.stopped = false;
            p.stopUnreported = false;
            p.continueUnreported = true;
            parent = p.parent;
            p.kernel.tree.notifyAll();
        }
        if (parent != null && (parent.action(Signals.SIGCHLD).flags() & SA_NOCLDSTOP) == 0) post(parent, Signals.SIGCHLD);
    }

    /** tgkill/tkill: a signal for one thread; fatal default actions still end the whole process. */
    public static void postToTask(Task t, int sig) {
        Process p = t.process;
        if (sig <= 0 || sig > Signals.NSIG || p.exited()) return;
        if (sig == Signals.SIGKILL) {
            kill(p, sig);
            return;
        }
        if (sig == Signals.SIGSTOP || sig == Signals.SIGCONT) {
            post(p, sig);
            return;
        }
        long bit = 1L << (sig - 1);
        if ((t.signalMask & bit) == 0) {
            SignalAction a = p.action(sig);
            if (a.handler() == Signals.SIG_IGN) return;
            if (a.handler() == Signals.SIG_DFL) {
                Signals.DefaultAction d = Signals.defaultAction(sig);
                if (d == Signals.DefaultAction.STOP) {
                    stop(p, sig);
                    return;
                }
                if (d != Signals.DefaultAction.TERMINATE && d != Signals.DefaultAction.CORE) return;
                kill(p, sig);
                return;
            }
        }
        synchronized (t) {
            t.pendingSignals |= bit;
        }
        t.interruptForSignal();
    }

    /** The process dies of sig: every task stops running guest code and wakes from waits. */
    public static void kill(Process p, int sig) {
        p.exit(new ExitStatus.Killed(sig));
        synchronized (p.kernel.tree) {
            p.kernel.tree.notifyAll(); // a stopped process wakes to die
        }
        for (Task t : p.tasks()) t.interruptForSignal();
    }

    private static boolean blockedByAll(Process p, int sig) {
        long bit = 1L << (sig - 1);
        var tasks = p.tasks();
        if (tasks.isEmpty()) return false;
        for (Task t : tasks) if ((t.signalMask & bit) == 0) return false;
        return true;
    }

    private static void markPending(Process p, int sig) {
        synchronized (p) {
            p.pendingSignals |= 1L << (sig - 1);
        }
        for (Task t : p.tasks()) {
            if ((t.signalMask & (1L << (sig - 1))) == 0) {
                t.interruptForSignal();
                break;
            }
        }
    }
}
