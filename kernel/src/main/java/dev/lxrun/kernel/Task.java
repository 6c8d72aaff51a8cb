package dev.lxrun.kernel;

import dev.lxrun.cpu.CpuContext;
import dev.lxrun.cpu.Engine;
import dev.lxrun.cpu.UcError;
import dev.lxrun.cpu.X86Reg;
import dev.lxrun.kernel.exec.ExecImage;
import dev.lxrun.kernel.mm.AddressSpace;
import dev.lxrun.kernel.mm.EnginePool;
import dev.lxrun.kernel.mm.WarmEngine;
import dev.lxrun.kernel.mm.GuestFault;
import dev.lxrun.kernel.mm.ParallelCpu;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.syscalls.SyscallTable;
import java.util.concurrent.locks.LockSupport;

/**
 * A guest thread: one Unicorn engine running the thread's code on its own Java thread.
 * System calls are handled inside the SYSCALL hook without leaving emulation (leaving and
 * re-entering costs ~4 µs); emulation stops only to end the thread, to replace its image
 * (execve), or to deliver a signal.
 */
public final class Task implements ParallelCpu.Runner {
    public final Process process;
    public final int tid;
    private Engine engine;
    private final Object engineLock = new Object();
    private volatile Thread thread;
    private final long[] regs = new long[7];
    private final long[] args = new long[6];
    private long entry;
    public long clearChildTid;
    public long robustList;
    /** PR_SET_PDEATHSIG: sent to this thread's process when its parent thread ends. Per thread, as on Linux. */
    public volatile int deathSignal;
    public volatile long signalMask;
    /** sched_setaffinity's mask (CPUs 0-63; -1 all), inherited by fork and clone. */
    public volatile long affinity = -1;
    /** Policy, priority, I/O priority and timer slack as the guest set them (recorded, not enforced). */
    public final TaskSched sched = new TaskSched();
    /** Thread-directed signals sent while blocked, bit sig-1 (process-directed ones are in Process). */
    public volatile long pendingSignals;
    /** The info of each pending thread-directed signal (guarded by this). */
    final SigQueue sigQueue = new SigQueue();
    private CpuFault pendingFault;
    private boolean returnSuppressed;
    private ExecImage pendingExec;
    /** Address of the SYSCALL instruction being handled (Unicorn reports it, not the next one, in the hook). */
    private long syscallRip;
    final SignalDelivery signals = new SignalDelivery(this);
    /** This thread alone is ending (exit, or another thread's execve); the process may go on. */
    volatile boolean exiting;
    /** Preemption slices this task has held the CPU for while others waited. */
    volatile int slicesHeld;
    /** The syscall this task is in, or -1 while it runs guest code (/proc's R and S states, PID/syscall). */
    private volatile int currentSyscall = -1;
    /** This thread's ptrace state while a tracer traces it (see dev.lxrun.kernel.ptrace); null when untraced. */
    public volatile dev.lxrun.kernel.ptrace.Tracee ptrace;
    /**
     * The Java thread's CPU time when it began running this task (the initial task runs on the
     * thread that started the JVM, whose own start-up is not the guest's), and the task's total
     * once it has ended and been added to its process's.
     */
    private long cpuBase, userBase, finalCpu, finalUser;
    private volatile boolean cpuCounted;

    public Task(Process process, int tid) {
        this.process = process;
        this.tid = tid;
    }

    public Engine engine() { return engine; }

    public SignalDelivery signals() { return signals; }

    /** The Java thread running this task, or null before it starts (for CPU-time accounting). */
    public Thread javaThread() { return thread; }

    /**
     * Sleeps until a signal can be delivered or the deadline (System.nanoTime; Long.MAX_VALUE for
     * none) passes. Returns true when woken by a signal.
     */
    public boolean sleepUntilSignal(long deadline) {
        while (true) {
            if (hasPendingSignal()) return true;
            long left = deadline == Long.MAX_VALUE ? 50_000_000L : Math.min(deadline - System.nanoTime(), 50_000_000L);
            if (left <= 0) return false;
            LockSupport.parkNanos(this, left);
        }
    }

    public Kernel kernel() { return process.kernel; }

    /** The namespace this task's paths resolve in: its chroot, else the kernel's root and mounts (null: the host's). */
    public RootedPaths rooted() {
        RootedPaths own = process.fs.root();
        return own != null ? own : process.kernel.rooted;
    }

    /** A host path as this task names it (inside its root), or unchanged when it has none or the path is outside. */
    public String guestPathOf(String hostPath) {
        return Kernel.guestPathOf(hostPath, rooted());
    }

    /** Host location of a guest path in this task's namespace (the program loader reads files there). */
    public java.nio.file.Path hostPath(String guestPath) {
        return process.kernel.hostPath(guestPath, rooted());
    }

    /** Whether this thread has called exit (it may still be waking a joiner): /proc no longer lists it. */
    public boolean exiting() { return exiting; }

    /** The number of the syscall this task is in, or -1 when it is running guest code. */
    public int currentSyscall() { return currentSyscall; }

    /** Set while the task waits in one of lxrun's host polls (which leave its Java thread RUNNABLE). */
    private volatile boolean hostWaiting;

    public void hostWaiting(boolean waiting) { hostWaiting = waiting; }

    /**
     * Whether the task sleeps in the kernel (/proc's S): inside a syscall that waits, parked or
     * polling. A task merely running a syscall is R, as on Linux, and so is a sleeper a signal
     * has woken but whose thread has not got going yet: kill(2) wakes its target before it returns,
     * and programs (LTP's TST_PROCESS_STATE_WAIT) count on seeing that at once.
     */
    public boolean sleeping() {
        if (currentSyscall < 0 || hasPendingSignal()) return false;
        if (hostWaiting) return true;
        Thread th = thread;
        if (th == null) return false;
        Thread.State s = th.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
    }

    /** Whether a signal is pending that the mask lets through (blocking calls return EINTR). */
    public boolean hasPendingSignal() {
        if (process.exited() || exiting) return true;
        dev.lxrun.kernel.ptrace.Tracee tr = ptrace;
        if (tr != null && tr.trapPending()) return true; // the tracer asked for a stop (ATTACH, INTERRUPT)
        long pending = (pendingSignals | process.pendingSignals) & ~signalMask;
        while (pending != 0) {
            int sig = Long.numberOfTrailingZeros(pending) + 1;
            pending &= pending - 1;
            if (SignalDelivery.actionable(process, sig)) return true;
        }
        return false;
    }

    /** Threads in parallel: the address space's CPU share this task holds while in guest code (null otherwise). */
    private ParallelCpu enteredCpu;

    private void acquireCpu() {
        ParallelCpu parallel = process.mm.parallel;
        if (parallel != null) {
            // A change this thread made to the address space that the other engines must take
            // before any of them runs guest code again (munmap, mprotect, ...): bring them out,
            // the threads of every process sharing it (vfork, CLONE_VM) included.
            if (process.mm.takeOwedBarrier()) parallel.barrier(this);
            parallel.enter(this);
            enteredCpu = parallel;
            return;
        }
        process.cpu.lock();
        synchronized (engineLock) {
            process.cpuHolder = this;
            slicesHeld = 0;
        }
        // Only a Unicorn without the code-write callback needs it (and the address space's lock it takes).
        if (engine != null && !Engine.ownBuild()) process.mm.turnTakenBy(engine);
    }

    private void releaseCpu() {
        ParallelCpu parallel = enteredCpu;
        if (parallel != null) {
            // The one entered: execve may have replaced process.mm meanwhile.
            enteredCpu = null;
            parallel.leave(this);
            return;
        }
        synchronized (engineLock) {
            process.cpuHolder = null;
        }
        process.cpu.unlock();
    }

    /**
     * The preemption timer: stop running guest code so a waiting thread of the process gets the
     * CPU. Only while this task really holds the CPU (it is running guest code, not in a syscall):
     * a stop that lands inside a syscall hook can cost the guest a futex wakeup.
     */
    void preempt() {
        if (!Engine.ownBuild()) return; // see stopsAsynchronously
        synchronized (engineLock) {
            if (engine != null && process.cpuHolder == this) engine.stop();
        }
    }

    /**
     * From a syscall (membarrier): with threads in parallel, returns once every other engine of
     * the address space has left guest code since the call; nothing to do when threads take turns.
     */
    public void stopOtherEngines() {
        ParallelCpu parallel = process.mm.parallel;
        if (parallel != null) parallel.barrier(this);
    }

    /** Threads in parallel: another thread's barrier takes this task out of guest code (ParallelCpu). */
    @Override
    public void stopGuestCode() {
        synchronized (engineLock) {
            if (engine != null) engine.stop();
        }
    }

    /**
     * Whether another thread may stop this task's guest code now. On lxrun's own Unicorn build
     * always: it honours a stop only at a translation-block start, where no instruction is half
     * done. Debian's build may instead roll the guest back to the start of an instruction whose
     * store was already done, which then runs twice on resume (wrong counts, corrupt zstd
     * output), so there a task is stopped from outside only when it will never resume (its
     * process or the thread is ending); signals, job-control stops and preemption wait for the
     * task's next system call, where the run loop sees them.
     */
    private boolean stopsAsynchronously() {
        return Engine.ownBuild() || exiting || process.exited();
    }

    /** Starts a fresh CPU on a freshly loaded image (process start and execve). */
    public void install(ExecImage image) {
        AddressSpace old = process.mm;
        closeEngine();
        if (old != null && old != image.mm()) old.release();
        process.mm = image.mm();
        process.argv = image.argv();
        process.envp = image.envp();
        process.exePath = guestPathOf(image.path());
        process.comm = image.comm();
        openEngine();
        // execve starts from Linux's initial register and FPU state, whatever the engine ran before.
        engine.restoreContext(dev.lxrun.cpu.InitialCpuState.context());
        engine.writeReg(X86Reg.RSP, image.stackPointer());
        entry = image.entry();
    }

    /**
     * A CPU for this task: for the first thread of a process, preferably an engine an ended
     * process left (one forked from this program was reserved by fork; otherwise the pool is
     * asked), whose translations of the same code still hold; else a fresh one.
     */
    private void openEngine() {
        AddressSpace mm = process.mm;
        // A thread or vfork child of this address space first: an engine a previous one left, still mirroring it.
        Engine e = mm.adoptIdle();
        if (e == null) {
            WarmEngine warm = mm.takeReserved();
            if (warm == null && !mm.hasEngines()) warm = EnginePool.take(process.exePath);
            if (warm != null) {
                e = warm.engine();
                e.restoreContext(pristineCpu(null));
            } else {
                e = Engine.openX86_64();
                pristineCpu(e);
            }
            mm.attach(e, warm);
        }
        e.recordMemoryFaults();
        e.onSyscall(x -> onSyscall());
        e.onInterrupt((x, vector) -> onInterrupt(vector));
        e.onCodeWrite((x, address, size) -> {
            process.mm.codeWritten(x, address, size);
            // Threads in parallel: the others may be running the old code now; they drop it before going on.
            ParallelCpu parallel = enteredCpu;
            if (parallel != null && process.mm.takeOwedBarrier()) parallel.barrier(this);
        });
        synchronized (engineLock) {
            engine = e;
        }
    }

    private static CpuContext pristine;

    /** The registers of an engine nothing has run on yet (saved from the first fresh one), which exec starts from. */
    private static synchronized CpuContext pristineCpu(Engine fresh) {
        if (pristine == null && fresh != null) pristine = fresh.saveContext();
        return pristine;
    }

    /** The engine goes back to the pool when it is the last user of its memory, else it is closed. */
    private void closeEngine() {
        Engine e;
        synchronized (engineLock) {
            e = engine;
            engine = null;
        }
        if (e == null) return;
        AddressSpace mm = process.mm;
        if (mm != null && (mm.park(e, process.exePath) || mm.idle(e))) return;
        if (mm != null) mm.detach(e);
        e.close();
    }

    /**
     * A forked child's first steps, on its own thread: a CPU with the parent's registers at the
     * moment of the fork, returning 0 from the syscall, then the normal run loop. New threads of
     * a process start the same way, sharing the memory instead of a copy of it.
     */
    public void startForked(CpuContext parentState, long resumeRip, long newStack, long tls, boolean setTls) {
        kernel().startTask(this, () -> {
            try {
                openEngine();
                engine.restoreContext(parentState);
                engine.writeReg(X86Reg.RAX, 0);
                if (newStack != 0) engine.writeReg(X86Reg.RSP, newStack);
                if (setTls) engine.writeReg(X86Reg.FS_BASE, tls);
                entry = resumeRip;
            } catch (RuntimeException e) {
                process.exit(new ExitStatus.Killed(Signals.SIGSEGV));
                kernel().taskExited(this);
                return;
            } finally {
                parentState.close();
            }
            dev.lxrun.kernel.ptrace.Tracee tr = ptrace;
            if (tr != null) {
                // An auto-attached child (PTRACE_O_TRACEFORK...) stops before its first instruction.
                engine.writeReg(X86Reg.RIP, entry);
                tr.firstStop();
                entry = engine.readReg(X86Reg.RIP);
            }
            run();
        });
    }

    /** Runs until the task ends; returns how its process ended. */
    public ExitStatus run() {
        long[] base = CpuTime.currentThread();
        cpuBase = base[0];
        userBase = base[1];
        thread = Thread.currentThread(); // published after the bases: readers test it first
        long rip = entry;
        try {
            runGuest(rip);
        } catch (GuestFault f) {
            // A signal frame could not be written to, or read back from, the guest's stack:
            // Linux forces SIGSEGV on the process (force_sigsegv).
            SignalPosting.kill(process, Signals.SIGSEGV);
        } catch (RuntimeException | Error bug) {
            failed("the run loop", bug);
        } finally {
            dev.lxrun.kernel.ptrace.Tracee tr = ptrace;
            if (tr != null && engine != null) {
                // PTRACE_EVENT_EXIT, while registers and memory are still there to look at.
                try {
                    ExitStatus how = process.exitStatus();
                    tr.exitEvent(how != null && !exiting ? how.waitStatus() : (process.lastThreadExitCode & 0xff) << 8);
                } catch (RuntimeException bug) {
                    System.err.println("lxrun: internal error in the ptrace exit stop of pid " + process.pid + ": " + bug);
                }
            }
            countCpuTime();
            releaseRobustList();
            clearChildTid();
            closeEngine();
            kernel().taskExited(this);
        }
        return process.exitStatus();
    }

    /** The gdb stub debugging this task's process (lxrun --gdb), or null. */
    public dev.lxrun.kernel.gdbstub.GdbStub debugger() {
        dev.lxrun.kernel.gdbstub.GdbStub g = kernel().gdb;
        return g != null && g.debugs(process) ? g : null;
    }

    /** Runs guest code from rip, serving faults, signals and execve, until the task ends. */
    private void runGuest(long rip) {
        dev.lxrun.kernel.gdbstub.GdbStub gdb = debugger();
        if (gdb != null && gdb.takeFirstStop()) {
            // lxrun --gdb: the program waits for gdb before its first instruction, as under qemu-user -g.
            engine.writeReg(X86Reg.RIP, rip);
            gdb.stop(this, Signals.SIGTRAP);
            rip = engine.readReg(X86Reg.RIP);
        }
        while (true) {
            UcError err;
            boolean stepped;
            if (Long.compareUnsigned(rip, AddressSpace.TASK_SIZE) >= 0 && !Vsyscall.covers(rip)) {
                // Code beyond user space (a kernel or non-canonical address; -1 is also Unicorn's
                // "no end" and would return at once, forever): the fetch faults, as on Linux.
                engine.writeReg(X86Reg.RIP, rip);
                CpuFault fault = CpuFault.fetchBeyondUserSpace(rip);
                if (!signals.deliverFault(fault)) {
                    SignalPosting.kill(process, fault.signal());
                    break;
                }
                rip = engine.readReg(X86Reg.RIP);
                continue;
            }
            acquireCpu();
            try {
                process.mm.sync(engine);
                dev.lxrun.kernel.ptrace.Tracee tr = ptrace;
                dev.lxrun.kernel.gdbstub.GdbStub g = kernel().gdb;
                stepped = tr != null && tr.stepping() || g != null && g.stepping(this);
                err = stepped ? engine.step(rip) : engine.start(rip);
            } finally {
                releaseCpu();
            }
            if (pendingExec != null) {
                ExecImage image = pendingExec;
                pendingExec = null;
                install(image);
                rip = entry;
                dev.lxrun.kernel.ptrace.Tracee tr = ptrace;
                if (tr != null) {
                    // The exec event (or SIGTRAP) and execve's exit stop, with the new image's registers.
                    engine.writeReg(X86Reg.RIP, rip);
                    tr.afterExec(tid);
                    rip = engine.readReg(X86Reg.RIP);
                }
                continue;
            }
            if (process.exited() || exiting) break;
            if (stepped && err == UcError.OK && pendingFault == null) {
                pendingFault = CpuFault.singleStep(engine.readReg(X86Reg.RIP)); // PTRACE_SINGLESTEP: one instruction ran, the trap flag's #DB
            }
            if (pendingFault != null) {
                CpuFault fault = pendingFault;
                pendingFault = null;
                engine.forgetLastException(); // else the next #DE/#GP would arrive as a double fault
                if (!signals.deliverFault(fault)) {
                    SignalPosting.kill(process, fault.signal());
                    break;
                }
                rip = engine.readReg(X86Reg.RIP);
                continue;
            }
            if (err != UcError.OK) {
                if (isMemoryFault(err) && process.mm.sync(engine) > 0) {
                    // Another thread mapped this memory after our engine last looked: retry.
                    rip = engine.readReg(X86Reg.RIP);
                    continue;
                }
                CpuFault fault = Vsyscall.emulate(this, err);
                if (fault == Vsyscall.EMULATED) {
                    rip = engine.readReg(X86Reg.RIP);
                    continue;
                }
                if (fault == null) {
                    fault = isMemoryFault(err) ? CpuFault.memory(engine, err, process.mm)
                            : CpuFault.other(err, engine.readReg(X86Reg.RIP));
                }
                if (!signals.deliverFault(fault)) {
                    SignalPosting.kill(process, fault.signal());
                    break;
                }
                rip = engine.readReg(X86Reg.RIP);
                continue;
            }
            rip = engine.readReg(X86Reg.RIP);
            dev.lxrun.kernel.gdbstub.GdbStub g = kernel().gdb;
            if (g != null && g.takeInterrupt() && debugger() != null) {
                // gdb's Ctrl-C: a SIGINT stop that the program never sees unless gdb passes it on.
                int sig = g.stop(this, Signals.SIGINT);
                if (sig > 0) SignalPosting.postToTask(this, SigInfo.kernel(sig));
                rip = engine.readReg(X86Reg.RIP);
            }
            waitWhileStopped();
            rip = signals.deliverPending(rip);
            if (process.exited() || exiting) break;
        }
    }

    /** The ending thread's CPU time moves to its process's total, atomically for readers of the sum. */
    private void countCpuTime() {
        long[] used = CpuTime.currentThread();
        synchronized (process.cpuLock) {
            finalCpu = Math.max(0, used[0] - cpuBase);
            finalUser = Math.max(0, used[1] - userBase);
            process.cpuNanos.addAndGet(finalCpu);
            process.userNanos.addAndGet(finalUser);
            cpuCounted = true;
        }
    }

    /** Whether this task has ended and its CPU time is in its process's total. */
    boolean cpuCounted() { return cpuCounted; }

    /** CPU time (userOnly: user time) used running this task, in nanoseconds. */
    long cpuTime(boolean userOnly) {
        if (cpuCounted) return userOnly ? finalUser : finalCpu;
        Thread th = thread;
        if (th == null) return 0;
        long now = CpuTime.javaThread(th, userOnly);
        if (now < 0 || cpuCounted) {
            // The task ended meanwhile: it counted itself on its way out (run's finally), before
            // its Java thread could end or move on to another task.
            return cpuCounted ? (userOnly ? finalUser : finalCpu) : 0;
        }
        return Math.max(0, now - (userOnly ? userBase : cpuBase));
    }

    /** A guest access Unicorn refused: unmapped there, or (a parked region, see AddressSpace#park) without access. */
    private static boolean isMemoryFault(UcError err) {
        return switch (err) {
            case READ_UNMAPPED, WRITE_UNMAPPED, FETCH_UNMAPPED, READ_PROT, WRITE_PROT, FETCH_PROT -> true;
            default -> false;
        };
    }

    /** A stopped process's tasks park here until SIGCONT (or death). */
    private void waitWhileStopped() {
        synchronized (kernel().tree) {
            while (process.stopped() && !exiting && (ptrace == null || !ptrace.trapPending())) {
                try {
                    kernel().tree.wait(100);
                } catch (InterruptedException e) {
                    Thread.interrupted();
                }
            }
        }
    }

    /**
     * A dying thread (or one replacing its image) releases the robust futexes it still holds:
     * before clear_child_tid wakes a joiner, in Linux's order.
     */
    public void releaseRobustList() {
        long head = robustList;
        robustList = 0;
        if (head != 0 && process.mm != null) {
            // The lock words are changed with the CPU held: guest threads update them too (see Process.guestCpu).
            var cpu = process.guestCpu();
            cpu.lock();
            try {
                dev.lxrun.kernel.futex.RobustList.release(process.mm, kernel().futexes, head, tid);
            } finally {
                cpu.unlock();
            }
        }
    }

    /** CLONE_CHILD_CLEARTID / set_tid_address: zero the word and wake one waiter (pthread_join). */
    private void clearChildTid() {
        long addr = clearChildTid;
        if (addr == 0 || process.mm == null) return;
        try {
            process.mm.writeInt(addr, 0);
            kernel().futexes.wake(process.mm.direct(addr, 4, 2), 1, dev.lxrun.kernel.futex.FutexTable.BITSET_MATCH_ANY);
        } catch (GuestFault | IllegalStateException ignored) {
            // The word is gone with the memory: nobody can wait on it.
        }
    }

    /** exit(2): this thread ends; the last thread's exit ends the process with its code. */
    public void exitThread(int code) {
        if (process.taskCount() <= 1) {
            exitGroup(code);
            return;
        }
        process.lastThreadExitCode = code & 0xff;
        exiting = true;
        suppressReturn();
        engine.stop();
    }

    /** execve from a thread: every other thread of the process ends first. */
    public void endOtherThreads() {
        for (Task other : process.tasks()) {
            if (other == this) continue;
            other.exiting = true;
            other.interruptForSignal();
        }
        synchronized (kernel().tree) {
            while (process.taskCount() > 1) {
                try {
                    kernel().tree.wait(50);
                } catch (InterruptedException e) {
                    Thread.interrupted();
                }
            }
        }
    }

    /** The process dies of sig with the default action. */
    public void killBySignal(int sig) {
        SignalPosting.kill(process, sig);
    }

    /** exit_group: every thread ends, status reported to the parent. */
    public void exitGroup(int code) {
        process.exit(new ExitStatus.Exited(code & 0xff));
        suppressReturn();
        for (Task t : process.tasks()) t.interruptForSignal();
        engine.stop();
    }

    /** execve succeeded: the new image replaces this one when the hook returns. */
    public void beginExec(ExecImage image) {
        pendingExec = image;
        suppressReturn();
        engine.stop();
    }

    /** Another thread wants this task's attention: stop guest code and wake it from waits. */
    public void interruptForSignal() {
        synchronized (engineLock) {
            if (engine != null && stopsAsynchronously()) engine.stop();
        }
        Thread th = thread;
        if (th != null) LockSupport.unpark(th);
    }

    /** The current syscall does not write RAX (it ended the thread or replaced the image). */
    public void suppressReturn() {
        returnSuppressed = true;
    }

    /** The credentials this task's Java thread carries on the host (HostCredentials); null before the first syscall. */
    private Credentials hostCredentials;

    private void onSyscall() {
        // Other threads of the process may run guest code while this one is in the kernel. A
        // single-threaded process keeps its CPU: nobody waits for it, and a thread it creates in
        // this call gets a turn at the next syscall. Threads in parallel always let go: another
        // process may share the memory (a vfork child whose munmap's barrier would otherwise
        // wait for its parent's vfork to return), and a new thread's barrier need not wait.
        boolean shared = enteredCpu != null || process.taskCount() > 1;
        if (shared) releaseCpu();
        try {
            handleSyscall();
        } finally {
            currentSyscall = -1;
            if (shared) acquireCpu();
            process.mm.sync(engine);
        }
    }

    private void handleSyscall() {
        engine.readSyscallRegs(regs);
        int nr = (int) regs[0];
        currentSyscall = nr;
        System.arraycopy(regs, 1, args, 0, 6);
        SyscallTable.Entry<Syscall> e = kernel().syscalls.lookup(nr);
        Credentials creds = process.creds;
        if (creds != hostCredentials) {
            HostCredentials.apply(creds);
            hostCredentials = creds;
        }
        long ret;
        returnSuppressed = false;
        syscallRip = engine.syscallEntry(); // RCX and R11 as the SYSCALL instruction leaves them
        dev.lxrun.kernel.ptrace.Tracee tr = ptrace;
        boolean skipped = false;
        if (tr != null) {
            // The syscall-entry stop: the tracer may change the number and arguments, or skip the call (-1).
            tr.syscallEntry(regs);
            nr = (int) regs[0];
            currentSyscall = nr;
            System.arraycopy(regs, 1, args, 0, 6);
            e = kernel().syscalls.lookup(nr);
            skipped = regs[0] == -1;
        }
        if (skipped) {
            ret = engine.readReg(X86Reg.RAX); // what the tracer left there (-ENOSYS unless it set a result)
        } else if (regs[0] < 0 || regs[0] > Integer.MAX_VALUE || e.handler() == null) {
            ret = -Errno.ENOSYS;
        } else {
            try {
                if (FAIL_SYSCALL != null && FAIL_SYSCALL.equals(e.name())) {
                    throw new IllegalStateException("failure injected by -Dlxrun.test.failSyscall");
                }
                ret = e.handler().call(this, args);
            } catch (GuestFault f) {
                ret = -Errno.EFAULT;
            } catch (RuntimeException | Error bug) {
                failed(e.name() + "()", bug);
                ret = 0;
            }
        }
        if (ret == -SignalDelivery.ERESTARTSYS || ret == -SignalDelivery.ERESTARTNOINTR) {
            // Interrupted by a signal: EINTR unless restarted after the handler (SA_RESTART, decided at delivery).
            signals.interruptedSyscall(nr, currentSyscallRip(), ret == -SignalDelivery.ERESTARTNOINTR);
            ret = -Errno.EINTR;
        }
        if (tr != null && tr.tracesSyscalls() && pendingExec == null && !process.exited() && !exiting) {
            // The syscall-exit stop: the tracer sees the result in rax and may change it.
            if (!returnSuppressed) engine.writeReg(X86Reg.RAX, ret);
            tr.syscallExit(true);
            if (!returnSuppressed) ret = engine.readReg(X86Reg.RAX);
        }
        if (kernel().tracer != null) kernel().tracer.trace(this, nr, args, ret, returnSuppressed);
        if (process.exited() || exiting) {
            // The process (or this thread) is ending: leave guest code now, whoever asked.
            engine.stop();
        } else if (process.stopped()) {
            if (!returnSuppressed) engine.writeReg(X86Reg.RAX, ret);
            engine.stop(); // parks in the run loop until SIGCONT
        } else if (!returnSuppressed) {
            engine.writeReg(X86Reg.RAX, ret);
            if (hasPendingSignal()) {
                // Leave emulation so the run loop can build the signal frame at the next instruction.
                engine.stop();
            }
        }
    }

    /**
     * Names a syscall whose handler is made to throw, so tests can check that a kernel bug ends
     * only the process that met it (-Dlxrun.test.failSyscall=NAME; unset in normal runs).
     */
    private static final String FAIL_SYSCALL = System.getProperty("lxrun.test.failSyscall");

    /**
     * A bug in lxrun met while serving this process (an exception no handler expected): one line
     * on lxrun's stderr, and this process alone dies of SIGSYS, as a process whose call the kernel
     * cannot serve; its parent and the rest of the session go on. Never the whole session.
     */
    private void failed(String where, Throwable bug) {
        System.err.println("lxrun: internal error in " + where + " of pid " + process.pid + ": " + bug);
        if (System.getenv("LXRUN_DEBUG") != null) bug.printStackTrace();
        suppressReturn();
        SignalPosting.kill(process, Signals.SIGSYS);
    }

    /** The address of the SYSCALL instruction being handled (read lazily: only fork and signals need it). */
    public long currentSyscallRip() {
        if (syscallRip == -1) syscallRip = engine.readReg(X86Reg.RIP);
        return syscallRip;
    }

    private void onInterrupt(int vector) {
        pendingFault = CpuFault.interrupt(vector, engine.readReg(X86Reg.RIP));
        engine.stop();
    }
}
