package dev.lxrun.kernel;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Children whose parent thread ends, as Linux's forget_original_parent does it: they pass to
 * another live thread of the same process, or, when none is left, to the nearest live ancestor
 * that is a child subreaper, else to the initial process. Either way every thread of theirs that
 * asked with PR_SET_PDEATHSIG gets its signal (so a thread's end alone sends it, a well-known
 * Linux surprise that programs forking from worker threads meet). A zombie handed to a new parent
 * is reported to that parent as if it had just died.
 */
final class Orphans {
    private Orphans() {}

    private record Notice(Process to, SigInfo info) {}

    /** dying has ended; whole says it was its process's last thread (all children go). */
    static void parentThreadEnded(Task dying, boolean whole) {
        Process p = dying.process;
        Kernel k = p.kernel;
        List<Notice> notices = new ArrayList<>();
        synchronized (k.tree) {
            if (p.children.isEmpty()) return;
            Task heir = whole ? null : aliveThread(p);
            Process reaper = heir != null ? p : newReaper(p);
            Task reaperThread = heir != null ? heir : reaper == null ? null : aliveThread(reaper);
            for (Iterator<Process> it = p.children.iterator(); it.hasNext(); ) {
                Process c = it.next();
                if (!whole && c.parentThread != dying) continue;
                c.parentThread = reaperThread;
                for (Task ct : c.tasks) {
                    // SEND_SIG_NOINFO on Linux: SI_USER from the process whose thread died.
                    int sig = ct.deathSignal;
                    if (sig != 0) notices.add(new Notice(c, SigInfo.user(sig, p)));
                }
                if (reaper == p) continue;
                it.remove();
                c.parent = reaper;
                c.exitSignal = Signals.SIGCHLD; // a clone exit signal is for the parent that chose it
                if (reaper == null) {
                    // Nobody will ever wait for it (a resident instance has no init): it leaves the table.
                    if (c.zombie) k.unregister(c);
                    continue;
                }
                reaper.children.add(c);
                if (c.zombie) {
                    notices.add(new Notice(reaper, Kernel.childExitInfo(c)));
                    if (Kernel.reapsAutomatically(reaper)) ProcessTree.reap(reaper, c);
                }
            }
            k.tree.notifyAll();
        }
        // Posted outside the tree lock: posting may stop or kill, which takes it again.
        for (Notice n : notices) SignalPosting.post(n.to(), n.info());
    }

    /** A thread of q that is not on its way out, or null. Caller holds the tree lock. */
    private static Task aliveThread(Process q) {
        if (q.exited()) return null;
        for (Task t : q.tasks) if (!t.exiting) return t;
        return null;
    }

    /** The nearest live subreaper above p, else the initial process (null when p is it). */
    private static Process newReaper(Process p) {
        for (Process a = p.parent; a != null; a = a.parent) {
            if (a.childSubreaper && aliveThread(a) != null) return a;
        }
        Process init = p.kernel.initProcess();
        return init == p ? null : init;
    }
}
