package dev.lxrun.kernel.ptrace;

import dev.lxrun.cpu.Engine;
import dev.lxrun.cpu.X86Reg;
import dev.lxrun.kernel.ExitStatus;
import dev.lxrun.kernel.Kernel;
import dev.lxrun.kernel.Process;
import dev.lxrun.kernel.SigInfo;
import dev.lxrun.kernel.SignalPosting;
import dev.lxrun.kernel.Signals;
import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;
import java.util.ArrayDeque;

/**
 * One traced thread, as Linux keeps it in task_struct's ptrace fields: who traces it, the options,
 * and its ptrace-stop. A stopped tracee parks on its own Java thread (inside the SYSCALL hook for
 * syscall and fork stops, in the run loop for signal, exec and trap stops) and serves its tracer's
 * requests there: registers and memory of a Unicorn engine are touched only by the thread that
 * runs it, so translated code can be dropped on the spot when the tracer pokes into it.
 *
 * <p>All the stop state is guarded by the kernel's tree lock, which wait(2) sleeps on.
 */
public final class Tracee {
    public static final int O_TRACESYSGOOD = 1, O_TRACEFORK = 2, O_TRACEVFORK = 4, O_TRACECLONE = 8,
            O_TRACEEXEC = 0x10, O_TRACEVFORKDONE = 0x20, O_TRACEEXIT = 0x40, O_TRACESECCOMP = 0x80,
            O_EXITKILL = 0x100000, O_SUSPEND_SECCOMP = 0x200000;
    static final int O_MASK = 0xff | O_EXITKILL | O_SUSPEND_SECCOMP;
    public static final int EVENT_FORK = 1, EVENT_VFORK = 2, EVENT_CLONE = 3, EVENT_EXEC = 4, EVENT_VFORK_DONE = 5,
            EVENT_EXIT = 6, EVENT_STOP = 128;
    static final int CLD_TRAPPED = 4, TRAP_TRACE = 2;

    /** How the tracer last resumed the tracee: which stops it wants next. */
    enum Mode { CONT, SYSCALL, SINGLESTEP, LISTEN }

    /** What kind of ptrace-stop the tracee is in (GET_SYSCALL_INFO and the RIP view depend on it). */
    enum Kind { SYSCALL_ENTRY, SYSCALL_EXIT, SIGNAL, EVENT, GROUP }

    final Task task;
    final Kernel kernel;
    Process tracer;
    final boolean seized;
    volatile int options;
    volatile Mode mode = Mode.CONT;
    boolean stopped, reported, resumed;
    int stopCode, resumeSig;
    Kind kind;
    /** Stopped inside the SYSCALL hook, where Unicorn's RIP is still the SYSCALL instruction's address. */
    boolean inHook;
    SigInfo siginfo;
    long eventMsg;
    /** orig_rax: the syscall the tracee is in (-1 outside one); the tracer may change it at the entry stop. */
    volatile long origRax = -1;
    /** A stop the tracer asked for (ATTACH's SIGSTOP, INTERRUPT), taken at the next safe point; 0 none. */
    volatile int trapCode;
    /** An auto-attached child's first stop, taken before it runs guest code. */
    volatile boolean startStop;
    /** How the tracee ended, until its tracer's wait has seen it (null while it lives). */
    ExitStatus exitReport;
    final ArrayDeque<Request> requests = new ArrayDeque<>();

    Tracee(Task task, Process tracer, boolean seized, int options) {
        this.task = task;
        this.kernel = task.kernel();
        this.tracer = tracer;
        this.seized = seized;
        this.options = options;
    }

    public Process tracer() {
        synchronized (kernel.tree) {
            return tracer;
        }
    }

    public boolean tracesSyscalls() { return mode == Mode.SYSCALL; }

    public boolean stepping() { return mode == Mode.SINGLESTEP; }

    /** Whether a trap the tracer asked for waits to be taken (blocking calls give way to it, as to a signal). */
    public boolean trapPending() { return trapCode != 0; }

    /**
     * Parks the tracee in a ptrace-stop reported to its tracer as code (WSTOPSIG | event << 8)
     * and serves the tracer's requests until it resumes it. Returns the signal the tracer resumed
     * with (0 for none), or -1 when there is no stop: the process is dying, or no longer traced.
     */
    int stop(Kind kind, int code, SigInfo info, boolean inHook) {
        return stop(kind, code, info, inHook, false);
    }

    /** As above; dying: the PTRACE_EVENT_EXIT stop of a thread already on its way out (only PTRACE_KILL or the tracer's end ends it early). */
    private int stop(Kind kind, int code, SigInfo info, boolean inHook, boolean dying) {
        Object tree = kernel.tree;
        Process notify;
        synchronized (tree) {
            if (tracer == null || (!dying && (task.process.exited() || task.exiting()))) return -1;
            this.kind = kind;
            this.stopCode = code;
            this.siginfo = info;
            this.inHook = inHook;
            stopped = true;
            reported = false;
            resumed = false;
            resumeSig = 0;
            notify = tracer;
            tree.notifyAll();
        }
        // The tracer hears of the stop as of a child's (CLD_TRAPPED), unless it asked not to.
        if ((notify.action(Signals.SIGCHLD).flags() & 1 /* SA_NOCLDSTOP */) == 0) {
            SignalPosting.post(notify, SigInfo.child(Signals.SIGCHLD, CLD_TRAPPED, task.process, code & 0x7f));
        }
        while (true) {
            Request r;
            synchronized (tree) {
                while (true) {
                    if (dying ? killed : task.process.exited() || task.exiting()) {
                        stopped = false;
                        tree.notifyAll();
                        return -1;
                    }
                    if (resumed || tracer == null) {
                        stopped = false;
                        tree.notifyAll();
                        return resumed ? resumeSig : -1;
                    }
                    r = requests.poll();
                    if (r != null) break;
                    try {
                        tree.wait(50);
                    } catch (InterruptedException e) {
                        Thread.interrupted();
                    }
                }
            }
            r.run(this);
            synchronized (tree) {
                r.done = true;
                tree.notifyAll();
            }
        }
    }

    private int syscallTrapCode() {
        return Signals.SIGTRAP | ((options & O_TRACESYSGOOD) != 0 ? 0x80 : 0);
    }

    /**
     * The syscall-entry stop: rax reads -ENOSYS and orig_rax the number; the tracer may change
     * the number and arguments (regs gets them back: nr, rdi, rsi, rdx, r10, r8, r9) or skip the
     * call with -1.
     */
    public void syscallEntry(long[] regs) {
        origRax = regs[0];
        if (mode != Mode.SYSCALL) return;
        Engine e = task.engine();
        e.writeReg(X86Reg.RAX, -Errno.ENOSYS);
        int sig = stop(Kind.SYSCALL_ENTRY, syscallTrapCode(), null, true);
        injectAfterSyscallStop(sig);
        e.readSyscallRegs(regs);
        regs[0] = origRax;
    }

    /** The syscall-exit stop, with the result in rax (the tracer may change it). */
    public void syscallExit(boolean inHook) {
        if (mode != Mode.SYSCALL) return;
        injectAfterSyscallStop(stop(Kind.SYSCALL_EXIT, syscallTrapCode(), null, inHook));
    }

    /** A signal given when resuming from a syscall or event stop is sent to the tracee, as Linux does. */
    private void injectAfterSyscallStop(int sig) {
        if (sig > 0 && sig <= Signals.NSIG) SignalPosting.postToTask(task, SigInfo.kernel(sig));
    }

    /** A PTRACE_EVENT_* stop if the tracer asked for that event; msg is what GETEVENTMSG returns. */
    public void event(int event, long msg, boolean inHook) {
        int wanted = switch (event) {
            case EVENT_FORK -> O_TRACEFORK;
            case EVENT_VFORK -> O_TRACEVFORK;
            case EVENT_CLONE -> O_TRACECLONE;
            case EVENT_EXEC -> O_TRACEEXEC;
            case EVENT_VFORK_DONE -> O_TRACEVFORKDONE;
            case EVENT_EXIT -> O_TRACEEXIT;
            default -> 0;
        };
        if ((options & wanted) == 0) return;
        synchronized (kernel.tree) {
            eventMsg = msg;
        }
        SigInfo info = new SigInfo(Signals.SIGTRAP, Signals.SIGTRAP | (event << 8), 0, 0, 0, 0, 0, 0, 0, null, 0);
        injectAfterSyscallStop(stop(Kind.EVENT, Signals.SIGTRAP | (event << 8), info, inHook));
    }

    /**
     * After a successful execve (the new image is installed): the exec event, or for a tracee
     * attached the old way without TRACEEXEC a plain SIGTRAP; then the execve's exit stop.
     */
    public void afterExec(int formerTid) {
        if ((options & O_TRACEEXEC) != 0) {
            origRax = -1;
            event(EVENT_EXEC, formerTid, false);
        } else if (!seized) {
            SignalPosting.postToTask(task, SigInfo.kernel(Signals.SIGTRAP));
        }
        origRax = 59; // execve
        syscallExit(false);
    }

    /**
     * A signal about to be delivered: the signal-delivery stop. Returns the signal to deliver,
     * which the tracer may have changed or suppressed (null).
     */
    public SigInfo signalStop(SigInfo info) {
        int sig = stop(Kind.SIGNAL, info.signo(), info, false);
        if (sig < 0) return info;
        if (sig == 0) return null;
        synchronized (kernel.tree) {
            SigInfo now = siginfo; // SETSIGINFO may have replaced it
            if (now != null && now.signo() == sig) return now;
            Process by = tracer != null ? tracer : task.process;
            return SigInfo.user(sig, by);
        }
    }

    /** PTRACE_KILL while the tracee is in its exit stop. */
    volatile boolean killed;

    /**
     * PTRACE_EVENT_EXIT: the thread is ending (exit, exit_group, a fatal signal) but its registers
     * and memory are still there; GETEVENTMSG gives the wait status it ends with.
     */
    public void exitEvent(int waitStatus) {
        if ((options & O_TRACEEXIT) == 0) return;
        synchronized (kernel.tree) {
            eventMsg = waitStatus & 0xffffffffL;
        }
        origRax = -1;
        SigInfo info = new SigInfo(Signals.SIGTRAP, Signals.SIGTRAP | (EVENT_EXIT << 8), 0, 0, 0, 0, 0, 0, 0, null, 0);
        stop(Kind.EVENT, Signals.SIGTRAP | (EVENT_EXIT << 8), info, false, true);
    }

    /** A fault's signal-delivery stop: no syscall is in progress (orig_rax -1). */
    public SigInfo faultStop(SigInfo info) {
        origRax = -1;
        return signalStop(info);
    }

    /** A job-control stop of the traced process: reported to the tracer (as a group-stop under SEIZE). */
    public void groupStop(int sig) {
        int code = seized ? sig | (EVENT_STOP << 8) : sig;
        stop(Kind.GROUP, code, null, false);
        if (mode != Mode.LISTEN) task.process.leaveStopForTracer();
        listen();
    }

    /**
     * The trap the tracer asked for (ATTACH's SIGSTOP, INTERRUPT) or an auto-attached child's first
     * stop, at a safe point outside the hook. Returns whether a stop happened.
     */
    public boolean takeTrap() {
        int code = trapCode;
        if (code == 0) return false;
        trapCode = 0;
        if (code == Signals.SIGSTOP) {
            SigInfo s = signalStop(SigInfo.kernel(Signals.SIGSTOP));
            if (s != null) deliverInjected(s);
            return true;
        }
        if (task.process.stopped()) code = Signals.SIGSTOP | (EVENT_STOP << 8);
        int sig = stop(Kind.EVENT, code, eventStopInfo(code & 0xff), false);
        if (sig > 0 && sig <= Signals.NSIG) SignalPosting.postToTask(task, SigInfo.kernel(sig));
        listen();
        return true;
    }

    /**
     * The signal the tracer passed on from a SIGSTOP stop that was not a queued signal: a stop
     * signal stops the process (a group-stop the tracer hears of), any other is queued.
     */
    private void deliverInjected(SigInfo s) {
        int sig = s.signo();
        if (sig == Signals.SIGSTOP || (task.process.action(sig).handler() == Signals.SIG_DFL
                && Signals.defaultAction(sig) == Signals.DefaultAction.STOP)) {
            SignalPosting.stop(task.process, sig);
            groupStop(sig);
        } else {
            SignalPosting.postToTask(task, s);
        }
    }

    private static SigInfo eventStopInfo(int sig) {
        return new SigInfo(sig, Signals.SIGTRAP | (EVENT_STOP << 8), 0, 0, 0, 0, 0, 0, 0, null, 0);
    }

    /**
     * PTRACE_LISTEN: the tracee stays stopped while its process is job-stopped; once continued,
     * it reports a PTRACE_EVENT_STOP again (Linux's trap-notify) and waits for the tracer.
     */
    private void listen() {
        while (mode == Mode.LISTEN) {
            synchronized (kernel.tree) {
                while (task.process.stopped() && tracer != null && !task.process.exited() && !task.exiting()) {
                    try {
                        kernel.tree.wait(50);
                    } catch (InterruptedException e) {
                        Thread.interrupted();
                    }
                }
            }
            mode = Mode.CONT;
            int code = Signals.SIGTRAP | (EVENT_STOP << 8);
            if (stop(Kind.EVENT, code, eventStopInfo(Signals.SIGTRAP), false) < 0) return;
        }
    }

    /** An auto-attached child's first stop: SIGSTOP, or under SEIZE a PTRACE_EVENT_STOP. rip is where it starts. */
    public void firstStop() {
        if (!startStop) return;
        startStop = false;
        trapCode = seized ? Signals.SIGTRAP | (EVENT_STOP << 8) : Signals.SIGSTOP;
        takeTrap();
    }

    /** Work the tracer hands to the stopped tracee's thread, with its result or errno. */
    static final class Request {
        interface Op {
            long apply(Tracee tr);
        }

        final Op op;
        long value;
        int errno;
        boolean done;

        Request(Op op) {
            this.op = op;
        }

        void run(Tracee tr) {
            try {
                value = op.apply(tr);
            } catch (dev.lxrun.kernel.mm.GuestFault f) {
                errno = Errno.EIO;
            } catch (PtraceError p) {
                errno = p.errno;
            } catch (RuntimeException bug) {
                errno = Errno.EIO;
                System.err.println("lxrun: internal error in ptrace request for pid " + tr.task.tid + ": " + bug);
            }
        }
    }

    /** A request refused with an errno. */
    static final class PtraceError extends RuntimeException {
        final int errno;

        PtraceError(int errno) {
            super(null, null, false, false);
            this.errno = errno;
        }
    }
}
