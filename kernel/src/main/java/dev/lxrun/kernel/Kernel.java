package dev.lxrun.kernel;

import dev.lxrun.kernel.exec.ExecException;
import dev.lxrun.kernel.exec.ExecImage;
import dev.lxrun.kernel.exec.ProgramLoader;
import dev.lxrun.kernel.futex.FutexTable;
import dev.lxrun.kernel.syscalls.Linux64;
import dev.lxrun.syscalls.SyscallTable;
import dev.lxrun.vfs.FdTable;
import dev.lxrun.vfs.FileDescription;
import dev.lxrun.vfs.HostFile;
import dev.lxrun.vfs.host.HostPosix;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The kernel: the syscall table, the process table and tree, futexes, and starting the first
 * guest process. Each guest task runs on its own Java thread.
 */
public final class Kernel {
    private static final Charset HOST_CHARSET = HostPosix.PATH_CHARSET;
    /** Native stack for threads running guest code: Unicorn's helpers and our handlers nest deeply. */
    private static final long TASK_STACK = 16L << 20;
    private final GuestThreads threads = new GuestThreads(TASK_STACK);

    /** The core table; modules add their families before the first guest runs (net-shim: sockets). */
    public final SyscallTable<Syscall> syscalls = Linux64.table();
    public final KernelConfig config;
    public final long bootNanos = System.nanoTime();
    public volatile SyscallTracer tracer;
    /** The first process's user and groups (a distro's default user, lxrun -d); null: lxrun's own. */
    public volatile Credentials initialCredentials;
    public final FutexTable futexes = new FutexTable();
    public final dev.lxrun.kernel.locks.RecordLocks recordLocks = new dev.lxrun.kernel.locks.RecordLocks();
    /** System V message queues and semaphores, shared by every process of this kernel. */
    public final dev.lxrun.kernel.ipc.IpcNamespace ipc = new dev.lxrun.kernel.ipc.IpcNamespace();
    /** Keyrings and keys (add_key, request_key, keyctl), shared by every guest process. */
    public final dev.lxrun.kernel.keys.Keys keys = new dev.lxrun.kernel.keys.Keys();
    /** Guards the process tree: parents, children, process groups, zombies. Waiters wait on it. */
    public final Object tree = new Object();
    /** Threads traced with ptrace, for their tracers' wait (see dev.lxrun.kernel.ptrace). */
    public final dev.lxrun.kernel.ptrace.Tracees tracees = new dev.lxrun.kernel.ptrace.Tracees();
    /** lxrun --gdb: the remote stub a host gdb debugs the initial program through; null without. */
    public volatile dev.lxrun.kernel.gdbstub.GdbStub gdb;
    /** The host terminal as the initial session's controlling terminal (job control, Ctrl-C). */
    public final ControllingTerminal terminal = ControllingTerminal.ofHost(tree);
    /** The guest's pseudo-terminals (/dev/ptmx, /dev/pts/N) as terminals of guest sessions. */
    public final PseudoTerminals ptys = new PseudoTerminals(this);
    private final Map<Integer, Process> processes = new ConcurrentHashMap<>();
    private final Map<Integer, Task> tasks = new ConcurrentHashMap<>();
    private final Preemption preemption = new Preemption(this);
    private final AtomicInteger lastPid;
    private final ProgramLoader loader;
    private volatile Process init;
    private final java.util.List<dev.lxrun.kernel.pseudo.PseudoFileSystem> pseudoFileSystems =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Confinement to config.root, or null when the guest root is the host's "/". */
    public final RootedPaths rooted;

    public Kernel(KernelConfig config) {
        this.config = config;
        dev.lxrun.kernel.mm.ParallelCpu.configure();
        this.rooted = config.confined() || !config.mounts().isEmpty() || config.rootMetadata()
                ? new RootedPaths(config.root(), config.rootMetadata()) : null;
        for (MountRequest m : config.mounts()) {
            String host = m.tmpfs() ? TmpfsDirectory.create() : m.hostDir();
            String why = rooted.mount(host, m.guestPath(),
                    m.tmpfs() ? dev.lxrun.vfs.mount.Mount.Kind.TMPFS : dev.lxrun.vfs.mount.Mount.Kind.BIND, m.readOnly(),
                    m.metadata());
            if (why != null) throw new IllegalArgumentException((m.tmpfs() ? "--tmpfs " : "--mount ") + why);
        }
        if (config.confined()) mount(new dev.lxrun.kernel.pseudo.DevFs());
        else dev.lxrun.kernel.pseudo.DevFdLinks.all().forEach(this::mount);
        this.lastPid = new AtomicInteger((int) ProcessHandle.current().pid() - 1);
        this.loader = new ProgramLoader(this::hostPath);
        // The guest's umask is applied by the kernel; the host must not apply the JVM's on top.
        HostPosix.umask(0);
    }

    /** Host location of a guest path (the guest root is the host's /); relative paths are the caller's. */
    public Path hostPath(String guestPath) {
        return hostPath(guestPath, rooted);
    }

    /** hostPath in a given namespace (a chrooted process's own). */
    public Path hostPath(String guestPath, RootedPaths rooted) {
        // Guest strings carry bytes one per char; the host's Path API wants them decoded.
        String decoded = new String(guestPath.getBytes(StandardCharsets.ISO_8859_1), HOST_CHARSET);
        if (rooted != null && !decoded.startsWith("/proc/self/fd/")) return confinedHostPath(decoded, rooted);
        return Path.of(config.cwd()).resolve(decoded);
    }

    /** The real host file a guest path names inside the root (resolved by the host, confined). */
    private static Path confinedHostPath(String guestPath, RootedPaths rooted) {
        String abs = guestPath.startsWith("/") ? guestPath : "/" + guestPath;
        int fd = rooted.open(abs, RootedPaths.O_PATH, 0);
        if (fd < 0) return Path.of(rooted.toHostLexically("/.lxrun-missing" + abs)); // reads as ENOENT
        try {
            return Path.of("/proc/self/fd/" + fd).toRealPath();
        } catch (java.io.IOException e) {
            return Path.of(rooted.toHostLexically("/.lxrun-missing" + abs));
        } finally {
            HostPosix.close(fd);
        }
    }

    /** A host path as the guest names it (inside the root), or the path unchanged when not confined. */
    public String guestPathOf(String hostPath) {
        return guestPathOf(hostPath, rooted);
    }

    /** guestPathOf in a given namespace (a chrooted process's own). */
    static String guestPathOf(String hostPath, RootedPaths rooted) {
        if (rooted == null) return hostPath;
        String g = rooted.toGuest(hostPath);
        return g != null ? g : hostPath;
    }

    /**
     * Makes the description for a host descriptor the guest gets from outside (its stdio): by
     * default a plain host file; net-shim installs one that gives sockets their socket behaviour.
     */
    private volatile IntFunction<FileDescription> hostDescriptions = HostFile::new;

    /** Installs how host descriptors handed to the guest are described (see hostDescriptions). */
    public void describeHostDescriptorsWith(IntFunction<FileDescription> factory) {
        hostDescriptions = factory;
    }

    /** Mounts a synthetic filesystem (procfs) for every guest of this kernel. */
    public void mount(dev.lxrun.kernel.pseudo.PseudoFileSystem fs) {
        pseudoFileSystems.add(fs);
    }

    public java.util.List<dev.lxrun.kernel.pseudo.PseudoFileSystem> pseudoFileSystems() {
        return pseudoFileSystems;
    }

    public ProgramLoader loader() {
        return loader;
    }

    public int allocatePid() {
        int pid;
        do {
            pid = lastPid.incrementAndGet();
        } while (processes.containsKey(pid) || tasks.containsKey(pid));
        return pid;
    }

    public Process process(int pid) {
        return processes.get(pid);
    }

    /** A live task by thread id. */
    public Task task(int tid) {
        return tasks.get(tid);
    }

    void registerTask(Task t) {
        tasks.put(t.tid, t);
    }

    public List<Process> allProcesses() {
        return List.copyOf(processes.values());
    }

    /** The descriptions of lxrun's own stdin, stdout and stderr: what the guest shares with the outside world. */
    public final java.util.Set<dev.lxrun.vfs.FileDescription> hostStdio = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Ends every guest process at once (SIGKILL), as when the whole run is to be redone elsewhere. */
    public void killAll() {
        for (Process p : allProcesses()) SignalPosting.post(p, Signals.SIGKILL);
    }

    public Process initProcess() {
        return init;
    }

    /**
     * The signals lxrun was started with ignored (SigIgn of /proc/self/status, read before the
     * launcher installs its handlers): the program inherits them ignored, as across execve, so
     * that `nohup lxrun server &` survives SIGHUP and a background job of a script ignores Ctrl-C.
     * The JVM itself ignores none (it handles what it uses), and keeps HUP, INT and TERM ignored
     * when they were.
     */
    private static final long HOST_IGNORED = hostIgnoredSignals();

    private static long hostIgnoredSignals() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) return Long.parseUnsignedLong(line.substring(7).trim(), 16);
            }
        } catch (java.io.IOException | RuntimeException e) {
            // No procfs: nothing known to be ignored.
        }
        return 0;
    }

    /** Whether lxrun was started with sig ignored (see HOST_IGNORED); SIGKILL and SIGSTOP never are. */
    public static boolean ignoredByHost(int sig) {
        if (sig < 1 || sig > Signals.NSIG || sig == Signals.SIGKILL || sig == Signals.SIGSTOP) return false;
        return (HOST_IGNORED >>> (sig - 1) & 1) != 0;
    }

    private volatile Runnable initialStopHook;

    /**
     * What to do when the initial process stops (Ctrl-Z, SIGSTOP): lxrun's launcher stops the JVM
     * itself, so that the shell that started lxrun sees its job stopped, as it would see the
     * program stop on Linux; the SIGCONT that resumes lxrun then reaches the guest.
     */
    public void onInitialStop(Runnable hook) {
        initialStopHook = hook;
    }

    void stopped(Process p) {
        Runnable hook = p == init ? initialStopHook : p.hostStopHook;
        if (hook != null) hook.run();
    }

    /** Loads path and runs it as the first guest process, with the host's stdio as fds 0–2. */
    public ExitStatus runInitial(String path, List<String> argv, List<String> envp, int umask) throws ExecException {
        FdTable fds = new FdTable(1024);
        for (int fd = 0; fd < 3; fd++) {
            int host = HostPosix.dup(fd);
            if (host >= 0) {
                FileDescription f = hostDescriptions.apply(host);
                hostStdio.add(f);
                fds.installAt(fd, f, false);
            }
        }
        int pid = allocatePid();
        int ppid = (int) ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(1L).longValue();
        Credentials creds = initialCredentials != null ? initialCredentials : Credentials.ofHost();
        Process p = new Process(this, pid, ppid, fds, initialFs(umask), new Rlimits(), creds);
        for (int sig = 1; sig <= Signals.NSIG; sig++) {
            if (ignoredByHost(sig)) p.setAction(sig, new SignalAction(Signals.SIG_IGN, 0, 0, 0));
        }
        ExecImage image;
        try {
            image = loader.load(path, argv, envp, creds);
        } catch (ExecException e) {
            fds.closeAll();
            throw e;
        }
        p.hostLaunched = true;
        p.hostShellOutside = terminal.shellOutside;
        register(p);
        init = p;
        return runHostLaunched(p, image, true);
    }

    /** Runs p's first task on the calling thread (it needs a big stack, see TASK_STACK) until p ends. */
    private ExitStatus runHostLaunched(Process p, ExecImage image, boolean takesTerminal) {
        Task t = new Task(p, p.pid);
        synchronized (tree) {
            p.tasks.add(t);
            if (takesTerminal) terminal.attach(p);
        }
        registerTask(t);
        preemption.start();
        t.install(image);
        try {
            return t.run();
        } finally {
            HostCredentials.restore(); // the task ran on this thread: lxrun's own work follows
        }
    }

    /**
     * What a client of a resident instance asks to run (see the cli's instance server): its
     * program, its cwd and umask, its stdin/stdout/stderr as host descriptors (-1: closed), its
     * host parent's pid, whether that parent is a job-control shell, and the signals the client
     * was started with ignored (bit sig-1), which the program inherits ignored (see HOST_IGNORED),
     * and the client's resource limits, which the program inherits as from its parent.
     */
    public record Launch(String path, List<String> argv, List<String> envp, String cwd, int umask, int[] hostFds,
                         int hostPpid, boolean shellOutside, long ignoredSignals, Rlimits rlimits) {}

    /**
     * Runs a program a client of a resident instance launched, as a new session of this kernel,
     * on the calling thread (which needs a big stack) until it ends. The descriptors in launch are
     * taken over. started gets the process before it runs (to forward the client's signals to it).
     */
    public ExitStatus runLaunched(Launch launch, java.util.function.Consumer<Process> started, Runnable onStop)
            throws ExecException {
        FdTable fds = new FdTable(1024);
        for (int fd = 0; fd < 3; fd++) {
            int host = launch.hostFds()[fd];
            if (host >= 0) fds.installAt(fd, hostDescriptions.apply(host), false);
        }
        // After the stdio: as on Linux, descriptors already open stay open under a lower limit.
        long nofile = launch.rlimits().cur(Rlimits.NOFILE);
        fds.setLimit(nofile < 0 || nofile > 1_048_576 ? 1_048_576 : (int) nofile);
        int pid = allocatePid();
        Credentials creds = Credentials.ofHost();
        Process p = new Process(this, pid, launch.hostPpid(), fds, initialFs(launch.cwd(), launch.umask()), launch.rlimits().copy(), creds);
        for (int sig = 1; sig <= Signals.NSIG; sig++) {
            boolean ign = sig != Signals.SIGKILL && sig != Signals.SIGSTOP && (launch.ignoredSignals() >>> (sig - 1) & 1) != 0;
            if (ign) p.setAction(sig, new SignalAction(Signals.SIG_IGN, 0, 0, 0));
        }
        ExecImage image;
        try {
            image = loader.load(launch.path(), launch.argv(), launch.envp(), creds);
        } catch (ExecException e) {
            fds.closeAll();
            throw e;
        }
        p.hostLaunched = true;
        p.hostShellOutside = launch.shellOutside();
        p.hostStopHook = onStop;
        register(p);
        started.accept(p);
        return runHostLaunched(p, image, false);
    }

    /**
     * A signal lxrun itself received (Ctrl-C at the terminal, kill of the lxrun process): SIGINT,
     * SIGQUIT, SIGTSTP and SIGWINCH go to the terminal's foreground group, as a terminal sends them (the
     * initial process's group when there is no terminal), and so does SIGCONT, with which a shell
     * resumes the job lxrun is; others go to the initial process.
     */
    public void forwardHostSignal(int sig) {
        forwardHostSignal(init, sig);
    }

    /** forwardHostSignal for the host-launched process first (a resident instance's client's). */
    public void forwardHostSignal(Process first, int sig) {
        if (first == null) return;
        if (sig == Signals.SIGINT || sig == Signals.SIGQUIT || sig == Signals.SIGTSTP || sig == Signals.SIGWINCH
                || sig == Signals.SIGCONT) {
            int group = terminal.foregroundGroup();
            List<Process> targets = ProcessTree.killTargets(first, -(group > 0 ? group : first.pgid()));
            // lxrun itself was continued after the initial process stopped (see onInitialStop).
            if (sig == Signals.SIGCONT && !targets.contains(first)) targets.add(first);
            for (Process p : targets) SignalPosting.post(p, sig);
        } else {
            SignalPosting.post(first, sig);
        }
    }

    /** The first process's working directory: the host cwd, or inside a root the same place or "/". */
    private FsContext initialFs(int umask) {
        return initialFs(config.cwd(), umask);
    }

    private FsContext initialFs(String cwd, int umask) {
        if (rooted == null) return FsContext.open(cwd, umask);
        String guest = config.confined() ? rooted.toGuest(cwd) : cwd;
        if (guest == null) guest = "/";
        var opened = rooted.openFile(guest, RootedPaths.O_PATH | RootedPaths.O_DIRECTORY, 0, null);
        if (opened.fd() < 0) opened = rooted.openFile("/", RootedPaths.O_PATH | RootedPaths.O_DIRECTORY, 0, null);
        return FsContext.adopt(rooted, opened.fd(), opened.mount(), umask);
    }

    void register(Process p) {
        processes.put(p.pid, p);
    }

    /** Runs a new task (a forked child or a new thread) on a Java thread of its own (see GuestThreads). */
    void startTask(Task t, Runnable body) {
        threads.start("guest-" + t.tid, body);
    }

    /** Called by a task's thread when it ends: the last task of a process turns it into a zombie. */
    void taskExited(Task t) {
        Process p = t.process;
        boolean last;
        tasks.remove(t.tid);
        synchronized (tree) {
            p.tasks.remove(t);
            last = p.tasks.isEmpty();
            tree.notifyAll();
        }
        if (!last) {
            tracees.exited(t, false, p.exitStatus() != null ? p.exitStatus() : new ExitStatus.Exited(p.lastThreadExitCode));
            Orphans.parentThreadEnded(t, false);
            return;
        }
        if (p.exitStatus() == null) p.exit(new ExitStatus.Exited(p.lastThreadExitCode));
        tracees.exited(t, true, p.exitStatus());
        tracees.tracerExited(p);
        p.realTimer.cancel();
        p.virtualTimer.cancel();
        p.profTimer.cancel();
        p.posixTimers.deleteAll();
        if (p.fds.leave()) p.fds.closeAll();
        else recordLocks.releaseAll(p); // the table lives on in another process: this one's locks go
        p.fs.leave();
        ptys.processExited(p);
        ipc.processExited(p.pid);
        keys.processExited(p.pid);
        if (p.mm != null) p.mm.release();
        var vfork = p.vforkDone;
        if (vfork != null) vfork.countDown();
        Orphans.parentThreadEnded(t, true);
        synchronized (tree) {
            Process parent = p.parent;
            // The exit signal is posted before the parent can see the zombie, as Linux does both
            // under one lock: a parent that reaped the child must not get its SIGCHLD later (under
            // a handler it installed meanwhile), and a SIGCHLD handler must find the zombie.
            if (parent != null && p.exitSignal != 0) SignalPosting.post(parent, childExitInfo(p));
            p.zombie = true;
            if (parent == null) {
                processes.remove(p.pid);
            } else if (reapsAutomatically(parent)) {
                // Linux: no zombie for a parent that ignores SIGCHLD or set SA_NOCLDWAIT; its wait() sees ECHILD.
                ProcessTree.reap(parent, p);
            }
            tree.notifyAll();
        }
    }

    private static final long SA_NOCLDWAIT = 2;

    static boolean reapsAutomatically(Process parent) {
        SignalAction a = parent.action(Signals.SIGCHLD);
        return a.handler() == Signals.SIG_IGN || (a.flags() & SA_NOCLDWAIT) != 0;
    }

    /** The exit signal's info: CLD_EXITED with the code, or CLD_KILLED/CLD_DUMPED with the signal. */
    static SigInfo childExitInfo(Process p) {
        return switch (p.exitStatus()) {
            case ExitStatus.Exited e -> SigInfo.child(p.exitSignal, SigInfo.CLD_EXITED, p, e.code());
            case ExitStatus.Killed k -> SigInfo.child(p.exitSignal, Signals.defaultAction(k.signal()) == Signals.DefaultAction.CORE
                    ? SigInfo.CLD_DUMPED : SigInfo.CLD_KILLED, p, k.signal());
        };
    }

    /** A reaped zombie leaves the process table. */
    void unregister(Process p) {
        processes.remove(p.pid);
    }
}
