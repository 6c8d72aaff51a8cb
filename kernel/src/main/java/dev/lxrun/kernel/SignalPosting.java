package dev.lxrun.kernel;

/**
 * Sending a signal to a process (kill, SIGCHLD, SIGPIPE): ignored signals vanish, a default
 * action that ends the process ends it now, and anything else waits as pending until a task of
 * the process can take it.
 */
public final class SignalPosting {
    private SignalPosting() {}

    /** A signal the kernel raises itself (SI_KERNEL). */
    public static void post(Process p, int sig) {
        if (sig <= 0 || sig > Signals.NSIG) return;
        post(p, SigInfo.kernel(sig));
    }

    /** Posts a signal with its info; returns whether it became pending (rather than acted on or dropped at once). */
    public static boolean post(Process p, SigInfo info) {
        int sig = info.signo();
        if (sig <= 0 || sig > Signals.NSIG || p.exited()) return false;
        if (sig == Signals.SIGKILL) {
            kill(p, sig);
            return false;
        }
        if (sig == Signals.SIGCONT) resume(p);
        if (dev.lxrun.kernel.ptrace.Tracees.traced(p)) {
            // A traced process takes every signal through a signal-delivery stop, even an ignored
            // one or SIGSTOP (Linux's sig_ignored exception for ptraced tasks).
            markPending(p, info);
            return true;
        }
        if (sig == Signals.SIGSTOP) {
            stop(p, sig);
            return false;
        }
        // A signal every task blocks stays pending even if ignored: a handler may be installed, or
        // sigwait may take it, before it is unblocked (Linux's sig_ignored makes the same exception).
        if (blockedByAll(p, sig)) {
            markPending(p, info);
            return true;
        }
        if (takeWithoutHandler(p, sig)) return false;
        markPending(p, info);
        return true;
    }

    /**
     * An unblocked signal with no handler takes effect at once: ignored, or the default action
     * (stop, end the process, or nothing). Returns false when a handler has to run.
     */
    private static boolean takeWithoutHandler(Process p, int sig) {
        SignalAction a = p.action(sig);
        if (a.handler() == Signals.SIG_IGN) return true;
        if (a.handler() != Signals.SIG_DFL) return false;
        switch (Signals.defaultAction(sig)) {
            case STOP -> stop(p, sig);
            case TERMINATE, CORE -> kill(p, sig);
            case IGNORE, CONTINUE -> { }
        }
        return true;
    }

    private static final long SA_NOCLDSTOP = 1;

    /**
     * Stops every task of p (they park before running guest code again) and tells the parent;
     * nothing when a job-control stop is discarded in an orphaned group (see ProcessTree#stopDiscarded).
     */
    public static void stop(Process p, int sig) {
        Process parent;
        synchronized (p.kernel.tree) {
            if (p.zombie || p.stopped || ProcessTree.stopDiscarded(p, sig)) return;
            p.stopped = true;
            p.stopSignal = sig;
            p.stopUnreported = true;
            p.continueUnreported = false;
            parent = p.parent;
            p.kernel.tree.notifyAll();
        }
        for (Task t : p.tasks()) t.interruptForSignal();
        tellParent(parent, SigInfo.child(Signals.SIGCHLD, SigInfo.CLD_STOPPED, p, sig));
        p.kernel.stopped(p);
    }

    /** SIGCHLD for a stop or continue, unless the parent asked not to hear of them (SA_NOCLDSTOP). */
    private static void tellParent(Process parent, SigInfo info) {
        if (parent != null && (parent.action(Signals.SIGCHLD).flags() & SA_NOCLDSTOP) == 0) post(parent, info);
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
        tellParent(parent, SigInfo.child(Signals.SIGCHLD, SigInfo.CLD_CONTINUED, p, Signals.SIGCONT));
    }

    /** tgkill/tkill: a signal for one thread; fatal default actions still end the whole process. */
    public static boolean postToTask(Task t, SigInfo info) {
        Process p = t.process;
        int sig = info.signo();
        if (sig == Signals.SIGKILL || sig == Signals.SIGSTOP || sig == Signals.SIGCONT) {
            return post(p, info); // these act on the whole process whoever they are sent to
        }
        if (sig <= 0 || sig > Signals.NSIG || p.exited()) return false;
        long bit = 1L << (sig - 1);
        if ((t.signalMask & bit) == 0 && t.ptrace == null && takeWithoutHandler(p, sig)) return false;
        PendingSignals.addToTask(t, info);
        t.interruptForSignal();
        return true;
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

    private static void markPending(Process p, SigInfo info) {
        int sig = info.signo();
        PendingSignals.addShared(p, info);
        for (Task t : p.tasks()) {
            if ((t.signalMask & (1L << (sig - 1))) == 0) {
                t.interruptForSignal();
                break;
            }
        }
    }
}
