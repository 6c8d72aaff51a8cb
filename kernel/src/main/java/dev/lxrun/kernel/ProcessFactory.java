package dev.lxrun.kernel;

import java.util.concurrent.CountDownLatch;

/** Creating child processes for fork, vfork and clone: the copies a child inherits and its place in the tree. */
public final class ProcessFactory {
    private ProcessFactory() {}

    public record Child(Process process, Task task) {}

    /**
     * A child of t's process: copied (or, with shareVm, shared) memory, copied descriptors, working
     * directory, limits, dispositions, mask; same credentials, process group and session.
     * shareFiles, shareFs, shareSighand (clone's CLONE_FILES, CLONE_FS, CLONE_SIGHAND without
     * CLONE_THREAD): the child uses the parent's very descriptor table, fs context or dispositions.
     */
    public static Child fork(Task t, boolean shareVm, int exitSignal, boolean siblingOfCaller, boolean shareFiles, boolean shareFs,
                             boolean shareSighand) {
        Process parent = t.process;
        Kernel k = parent.kernel;
        int pid = k.allocatePid();
        // A child of the same program can run on an engine a previous one left, and take over its code.
        var mm = shareVm ? parent.mm
                : parent.mm.forkCopy(dev.lxrun.kernel.mm.EnginePool.take(parent.exePath));
        if (shareVm) mm.share();
        Process c = new Process(k, pid, 0, shareFiles ? parent.fds.share() : parent.fds.copy(),
                shareFs ? parent.fs.share() : parent.fs.copy(), parent.rlimits.copy(), parent.creds);
        c.mm = mm;
        if (!shareVm) k.ipc.sharedMemory.forked(parent, c); // System V shm attaches are inherited
        if (!shareVm) k.keys.forked(parent.pid, pid);        // the session keyring is inherited
        c.argv = parent.argv;
        c.envp = parent.envp;
        c.exePath = parent.exePath;
        c.comm = parent.comm;                  // the name set by prctl or /proc/PID/comm is inherited
        c.oomScoreAdj = parent.oomScoreAdj;
        c.nice = parent.nice;
        c.personality = parent.personality;
        c.exitSignal = exitSignal;
        if (shareSighand) c.shareActionsWith(parent);
        else c.copyActionsFrom(parent);
        Task ct = new Task(c, pid);
        ct.signalMask = t.signalMask;
        ct.affinity = t.affinity;
        ct.sched.inheritFrom(t.sched);
        if (t.sched.resetOnFork && c.nice < 0) c.nice = 0; // SCHED_RESET_ON_FORK also drops a raised priority
        c.noNewPrivs = parent.noNewPrivs;
        c.caps = parent.caps;
        c.securebits = parent.securebits;
        ct.signals.altStackSp = t.signals.altStackSp;
        ct.signals.altStackSize = t.signals.altStackSize;
        ct.signals.altStackFlags = t.signals.altStackFlags;
        synchronized (k.tree) {
            Process p = siblingOfCaller && parent.parent != null ? parent.parent : parent;
            c.parent = p;
            c.parentThread = p == parent ? t : parent.parentThread;
            c.pgid = parent.pgid;
            c.sid = parent.sid;
            p.children.add(c);
            c.tasks.add(ct);
        }
        k.register(c);
        k.registerTask(ct);
        return new Child(c, ct);
    }

    /** A new thread in t's process: same memory, files, dispositions; its own registers and mask. */
    public static Task thread(Task t) {
        Process p = t.process;
        Kernel k = p.kernel;
        Task nt = new Task(p, k.allocatePid());
        nt.signalMask = t.signalMask;
        nt.affinity = t.affinity;
        nt.sched.inheritFrom(t.sched);
        synchronized (k.tree) {
            p.tasks.add(nt);
        }
        k.registerTask(nt);
        return nt;
    }

    public static CountDownLatch armVfork(Process child) {
        CountDownLatch latch = new CountDownLatch(1);
        child.vforkDone = latch;
        return latch;
    }

    /** execve in a vfork child: the parent may go on. */
    public static void vforkReleased(Process p) {
        CountDownLatch latch = p.vforkDone;
        p.vforkDone = null;
        if (latch != null) latch.countDown();
    }
}
