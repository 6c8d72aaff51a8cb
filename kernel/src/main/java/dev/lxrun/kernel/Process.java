package dev.lxrun.kernel;

import dev.lxrun.kernel.mm.AddressSpace;
import dev.lxrun.vfs.FdTable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A guest process (thread group): its address space, files, filesystem context, signal
 * dispositions, limits, and its place in the process tree. A process that has exited stays in
 * its parent's children as a zombie, holding its exit status, until a wait reaps it.
 */
public final class Process {
    public final Kernel kernel;
    public final int pid;
    private final int hostPpid;
    public volatile AddressSpace mm;
    /** Replaced only by unshareFiles: shared with other processes after clone(CLONE_FILES). */
    public volatile FdTable fds;
    /** Replaced only by unshareFs: shared with other processes after clone(CLONE_FS). */
    public volatile FsContext fs;
    public final Rlimits rlimits;
    public volatile Credentials creds;
    /** The dispositions; the very array of another process after clone(CLONE_SIGHAND) without CLONE_THREAD. */
    private volatile SignalAction[] actions = new SignalAction[Signals.NSIG + 1];
    public volatile List<String> argv = List.of();
    public volatile List<String> envp = List.of();
    /** When the process started, System.nanoTime (for /proc/PID/stat's starttime). */
    public final long startNanos = System.nanoTime();
    public volatile String exePath = "";
    /** The command name (PR_SET_NAME, /proc/PID/comm); the executable's base name unless set. */
    public volatile String comm;
    public volatile int dumpable = 1;
    public volatile boolean noNewPrivs;
    /** Capability sets (capget/capset, PR_CAPBSET_*) and PR_SET_SECUREBITS' bits (PR_SET_KEEPCAPS is one). */
    public volatile Capabilities caps;
    public volatile int securebits;
    /** PR_SET_CHILD_SUBREAPER: orphaned descendants come to this process rather than to the initial one. */
    public volatile boolean childSubreaper;
    /**
     * /proc/PID/oom_score_adj as the guest set it (inherited on fork), or null while it is lxrun's
     * own: the host's OOM killer sees one JVM, so a guest's value is recorded, not enforced.
     */
    public volatile Integer oomScoreAdj;
    /** The nice value (-20..19) set by setpriority: recorded and inherited, not used to schedule. */
    public volatile int nice;
    /**
     * personality(2)'s value, inherited by fork and kept by exec. Only PER_LINUX exists here, and
     * ADDR_NO_RANDOMIZE (which gdb sets) changes nothing: lxrun lays memory out the same way every run.
     */
    public volatile int personality;
    /** setitimer's ITIMER_REAL (and alarm's), ITIMER_VIRTUAL (user CPU time), ITIMER_PROF (all CPU time). */
    public final IntervalTimer realTimer = new IntervalTimer(this, Signals.SIGALRM, null),
            virtualTimer = new IntervalTimer(this, Signals.SIGVTALRM, () -> CpuTime.process(this, true)),
            profTimer = new IntervalTimer(this, Signals.SIGPROF, () -> CpuTime.process(this, false));
    public final PosixTimers posixTimers = new PosixTimers(this);
    /** signalfds created by this process: their readiness follows its pending signals. */
    final List<SignalFd> signalFds = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** CPU time (total, user) of this process's ended threads, and of its reaped children. */
    public final java.util.concurrent.atomic.AtomicLong cpuNanos = new java.util.concurrent.atomic.AtomicLong(),
            userNanos = new java.util.concurrent.atomic.AtomicLong(),
            childCpuNanos = new java.util.concurrent.atomic.AtomicLong(),
            childUserNanos = new java.util.concurrent.atomic.AtomicLong();
    /** Taken to add an ending thread's CPU time to cpuNanos, and to sum it with the live threads'. */
    final Object cpuLock = new Object();
    private volatile ExitStatus exitStatus;

    // Process tree, guarded by kernel.tree.
    Process parent;
    /** The parent's thread that created this process: its end alone re-parents us (Linux's real_parent is a thread). */
    Task parentThread;
    final List<Process> children = new ArrayList<>();
    int pgid;
    int sid;
    /** Signal sent to the parent when this process dies (clone's low byte; SIGCHLD for fork). */
    int exitSignal = Signals.SIGCHLD;
    boolean zombie;
    /** Job control (guarded by kernel.tree): stopped by stopSignal; a stop or continue not yet reported to wait. */
    boolean stopped, stopUnreported, continueUnreported;
    int stopSignal;
    /**
     * Started from outside the guest (the initial process, or one a client of a resident instance
     * launched): its parent is a host process, and setsid may make it a session leader.
     */
    volatile boolean hostLaunched;
    /** For a host-launched process: its host parent is a job-control shell (see ControllingTerminal#shellOutside). */
    volatile boolean hostShellOutside;
    /** For a host-launched process: what to do when it stops (its launcher stops too, see Kernel#onInitialStop). */
    volatile Runnable hostStopHook;

    /** Copy-on-write: changed rarely (thread start/end), read on every syscall (taskCount). */
    final List<Task> tasks = new java.util.concurrent.CopyOnWriteArrayList<>();
    /**
     * The process's CPU: only the task holding it runs guest code, so lock-prefixed instructions
     * stay atomic across guest threads (Unicorn has no parallel TCG). A task lets go of it for
     * every syscall and when the preemption timer asks it to.
     */
    final java.util.concurrent.locks.ReentrantLock cpu = new java.util.concurrent.locks.ReentrantLock(true);
    volatile Task cpuHolder;
    /** Exit code of the last thread to call exit(), the process's status if no exit_group comes. */
    volatile int lastThreadExitCode;
    /** Process-directed signals not yet delivered, bit sig-1 (thread-directed ones are in Task). */
    volatile long pendingSignals;
    /** The info of each pending process-directed signal (guarded by this). */
    final SigQueue sigQueue = new SigQueue();
    /** Released when a vfork child execs or exits, letting its parent continue. */
    volatile CountDownLatch vforkDone;

    public Process(Kernel kernel, int pid, int hostPpid, FdTable fds, FsContext fs, Rlimits rlimits, Credentials creds) {
        this.kernel = kernel;
        this.pid = pid;
        this.hostPpid = hostPpid;
        this.fds = fds;
        this.fs = fs;
        this.rlimits = rlimits;
        this.creds = creds;
        this.caps = Capabilities.initial(creds);
        this.pgid = pid;
        this.sid = pid;
        java.util.Arrays.fill(actions, SignalAction.DEFAULT);
        // A table shared by clone(CLONE_FILES) keeps its first process's listener: Linux's POSIX
        // locks belong to the table (files_struct), so any sharer's close drops that owner's locks.
        if (!fds.isShared()) fds.setCloseListener(f -> kernel.recordLocks.descriptorClosed(this, f));
    }

    /**
     * This process takes a private copy of a descriptor table it shares with other processes
     * (execve, unshare(CLONE_FILES), close_range(CLOSE_RANGE_UNSHARE)), as Linux's unshare_files.
     */
    public synchronized void unshareFiles() {
        FdTable old = fds;
        if (!old.isShared()) return;
        FdTable mine = old.copy();
        mine.setCloseListener(f -> kernel.recordLocks.descriptorClosed(this, f));
        fds = mine;
        if (old.leave()) old.closeAll(); // the other sharers left meanwhile
    }

    /** unshare(CLONE_FS): a private copy of a root, working directory and umask shared with other processes. */
    public synchronized void unshareFs() {
        FsContext old = fs;
        if (!old.isShared()) return;
        fs = old.copy();
        old.leave();
    }

    /** The parent's pid; the initial process reports lxrun's own parent. */
    public int ppid() {
        synchronized (kernel.tree) {
            return parent != null ? parent.pid : hostPpid;
        }
    }

    public int pgid() {
        synchronized (kernel.tree) {
            return pgid;
        }
    }

    public int sid() {
        synchronized (kernel.tree) {
            return sid;
        }
    }

    public long pendingSignals() { return pendingSignals; }

    /** Pending signals changed (posted or taken): signalfds re-evaluate their readiness. */
    void signalsChanged() {
        for (SignalFd f : signalFds) f.refresh();
    }

    public String comm() {
        String c = comm;
        if (c != null) return c;
        String exe = exePath;
        String base = exe.substring(exe.lastIndexOf('/') + 1);
        return base.length() > 15 ? base.substring(0, 15) : base;
    }

    public SignalAction action(int sig) { return actions[sig]; }

    public void setAction(int sig, SignalAction a) { actions[sig] = a; }

    /** A forked child's copy of the dispositions. */
    void copyActionsFrom(Process p) {
        System.arraycopy(p.actions, 0, actions, 0, actions.length);
    }

    /** clone(CLONE_VM|CLONE_SIGHAND) without CLONE_THREAD: a handler either sets is both's. */
    void shareActionsWith(Process p) {
        actions = p.actions;
    }

    /**
     * execve: handlers go back to the default; ignored signals stay ignored. The process takes
     * its own copy first, so a process sharing the table (CLONE_SIGHAND) keeps its handlers, as
     * Linux's exec unshares the sighand struct.
     */
    public void resetHandlersForExec() {
        actions = actions.clone();
        for (int sig = 1; sig <= Signals.NSIG; sig++) {
            if (actions[sig].handler() != Signals.SIG_IGN) actions[sig] = SignalAction.DEFAULT;
        }
    }

    /** Records how the process ended; the first report wins (exit_group racing a fatal signal). */
    public synchronized void exit(ExitStatus status) {
        if (exitStatus == null) exitStatus = status;
    }

    public ExitStatus exitStatus() { return exitStatus; }

    public boolean exited() { return exitStatus != null; }

    /**
     * A tracer resumed a traced thread from its group-stop (PTRACE_CONT rather than LISTEN): as on
     * Linux the thread runs again though no SIGCONT came, so the stop ends without a report.
     */
    public void leaveStopForTracer() {
        synchronized (kernel.tree) {
            stopped = false;
            stopUnreported = false;
            kernel.tree.notifyAll();
        }
    }

    public boolean stopped() {
        synchronized (kernel.tree) {
            return stopped && !exited();
        }
    }

    /**
     * The process's CPU, for kernel code that changes guest words that guest code updates with
     * lock-prefixed instructions: those are atomic only against whoever holds it. Held briefly and
     * without becoming cpuHolder, so the preemption timer never stops a task inside a syscall.
     */
    public java.util.concurrent.locks.Lock guestCpu() {
        // Threads in parallel: guest lock-prefixed instructions are host atomics (patch 0010), as
        // the kernel's compare-and-set on the word is, so no lock is needed, as on Linux.
        if (dev.lxrun.kernel.mm.ParallelCpu.enabled()) return NO_LOCK;
        return cpu;
    }

    private static final java.util.concurrent.locks.Lock NO_LOCK = new java.util.concurrent.locks.Lock() {
        @Override public void lock() {}
        @Override public void lockInterruptibly() {}
        @Override public boolean tryLock() { return true; }
        @Override public boolean tryLock(long time, java.util.concurrent.TimeUnit unit) { return true; }
        @Override public void unlock() {}
        @Override public java.util.concurrent.locks.Condition newCondition() { throw new UnsupportedOperationException(); }
    };

    public int taskCount() {
        return tasks.size();
    }

    public List<Task> tasks() {
        return List.copyOf(tasks);
    }
}
