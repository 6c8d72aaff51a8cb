package dev.lxrun.kernel;

import dev.lxrun.cpu.Engine;
import dev.lxrun.cpu.X86Reg;
import dev.lxrun.kernel.mm.AddressSpace;

/**
 * Running signal handlers the way x86-64 Linux does: a struct rt_sigframe (return address,
 * ucontext with the interrupted registers, mask and FP/SSE state, siginfo) pushed on the
 * thread's stack or its alternate stack, the handler entered with (sig, &info, &uc), and
 * rt_sigreturn restoring everything from the frame.
 */
public final class SignalDelivery {
    /** Kernel-internal: a blocking syscall was interrupted and may be restarted (SA_RESTART). */
    public static final int ERESTARTSYS = 512;
    /** Kernel-internal: an interrupted call that is restarted after the handler, SA_RESTART or not (FUTEX_LOCK_PI). */
    public static final int ERESTARTNOINTR = 513;

    static final long SA_SIGINFO = 4, SA_ONSTACK = 0x08000000L, SA_RESTART = 0x10000000L, SA_NODEFER = 0x40000000L,
            SA_RESETHAND = 0x80000000L, SA_RESTORER = 0x04000000L;
    public static final int SS_ONSTACK = 1, SS_DISABLE = 2;
    private static final int FRAME_SIZE = 8 + 304 + 128;
    private static final int UC = 8, MCONTEXT = UC + 40, SIGMASK = UC + 296, INFO = UC + 304;
    /** Order of the general registers in struct sigcontext. */
    private static final X86Reg[] GREGS = {X86Reg.R8, X86Reg.R9, X86Reg.R10, X86Reg.R11, X86Reg.R12, X86Reg.R13,
            X86Reg.R14, X86Reg.R15, X86Reg.RDI, X86Reg.RSI, X86Reg.RBP, X86Reg.RBX, X86Reg.RDX, X86Reg.RAX,
            X86Reg.RCX, X86Reg.RSP, X86Reg.RIP, X86Reg.EFLAGS};
    /** EFLAGS bits a handler's return may change (Linux's FIX_EFLAGS). */
    private static final long FIX_EFLAGS = 0x40DD5L;

    private final Task task;
    public long altStackSp, altStackSize;
    public int altStackFlags = SS_DISABLE;
    private int restartNr = -1;
    private long restartRip;
    private boolean restartAlways;
    /** si_code, si_addr of the fault being delivered. */
    private int faultCode;
    private long faultAddr;

    SignalDelivery(Task task) {
        this.task = task;
    }

    /** sigsuspend: the mask to restore once a handler has run (or now, if none runs). */
    private long suspendedMask = -1;

    public void suspendWithMask(long oldMask) {
        suspendedMask = oldMask;
    }

    public void resetAltStack() {
        altStackSp = 0;
        altStackSize = 0;
        altStackFlags = SS_DISABLE;
    }

    void interruptedSyscall(int nr, long rip, boolean always) {
        restartNr = nr;
        restartRip = rip;
        restartAlways = always;
    }

    /**
     * Whether delivering sig would do anything: run a handler, end the process or stop it. An
     * ignored signal pending from a blocked period must not interrupt a blocking call.
     */
    static boolean actionable(Process p, int sig) {
        SignalAction a = p.action(sig);
        if (a.handler() == Signals.SIG_IGN) return false;
        if (a.handler() != Signals.SIG_DFL) return true;
        Signals.DefaultAction d = Signals.defaultAction(sig);
        return d != Signals.DefaultAction.IGNORE && d != Signals.DefaultAction.CONTINUE;
    }

    /** sigtimedwait and signalfd: takes the lowest pending signal in set (thread-directed first), or null. */
    public SigInfo takeFromSet(long set) {
        return PendingSignals.take(task, set);
    }

    /**
     * Delivers pending signals before guest code resumes at rip; returns where it resumes (a
     * handler's entry, or rip). Default actions that end the process end it.
     */
    long deliverPending(long rip) {
        Engine e = task.engine();
        dev.lxrun.kernel.ptrace.Tracee tr = task.ptrace;
        if (tr != null && tr.takeTrap()) rip = e.readReg(X86Reg.RIP); // a stop the tracer asked for
        boolean tracerSuppressed = false;
        if (restartNr >= 0 && PendingSignals.peek(task, ~task.signalMask) == 0) {
            // Interrupted, but nothing to deliver after all (ignored meanwhile): restart the call.
            e.writeReg(X86Reg.RAX, restartNr);
            restartNr = -1;
            return restartRip;
        }
        SigInfo info;
        while ((info = PendingSignals.take(task, ~task.signalMask)) != null) {
            int sig = info.signo();
            dev.lxrun.kernel.gdbstub.GdbStub gdb = task.debugger();
            if (gdb != null && sig != Signals.SIGKILL) {
                // lxrun --gdb: gdb sees the signal first and passes it on (C), changes or drops it.
                int given = gdb.stop(task, sig);
                rip = e.readReg(X86Reg.RIP);
                if (task.process.exited()) return rip;
                if (given == 0) continue;
                if (given != sig) info = SigInfo.kernel(given);
                sig = given;
            }
            tr = task.ptrace;
            if (tr != null && sig != Signals.SIGKILL) {
                // The signal-delivery stop: the tracer may pass the signal on, change it, or suppress it.
                SigInfo given = tr.signalStop(info);
                rip = e.readReg(X86Reg.RIP);
                if (task.process.exited()) return rip;
                if (given == null) {
                    tracerSuppressed = true;
                    continue;
                }
                info = given;
                sig = info.signo();
            }
            SignalAction a = task.process.action(sig);
            if (a.handler() == Signals.SIG_IGN) continue;
            if (a.handler() == Signals.SIG_DFL) {
                Signals.DefaultAction d = Signals.defaultAction(sig);
                if (d == Signals.DefaultAction.TERMINATE || d == Signals.DefaultAction.CORE) {
                    SignalPosting.kill(task.process, sig);
                    return rip;
                }
                if (d == Signals.DefaultAction.STOP) {
                    SignalPosting.stop(task.process, sig);
                    if (tr != null) tr.groupStop(sig); // the tracer hears of the group-stop
                }
                continue;
            }
            if (restartNr >= 0 && (restartAlways || (a.flags() & SA_RESTART) != 0)) {
                e.writeReg(X86Reg.RAX, restartNr);
                rip = restartRip;
            }
            restartNr = -1;
            try {
                return buildFrame(info, a, rip);
            } catch (dev.lxrun.kernel.mm.GuestFault f) {
                return forceSigsegv(sig, rip);
            }
        }
        if (restartNr >= 0 && (restartAlways || tracerSuppressed)) {
            // No handler ran (a stop, an ignored signal): such a call never reports EINTR.
            e.writeReg(X86Reg.RAX, restartNr);
            rip = restartRip;
        }
        restartNr = -1;
        if (suspendedMask != -1) {
            task.signalMask = suspendedMask;
            suspendedMask = -1;
        }
        return rip;
    }

    /**
     * The frame for sig could not be written (its stack is unmapped or read-only): as Linux's
     * force_sigsegv, the process gets a SIGSEGV instead, which its own handler may catch (on its
     * own stack) unless sig was SIGSEGV itself or SIGSEGV is blocked or not handled.
     */
    private long forceSigsegv(int sig, long rip) {
        SignalAction a = task.process.action(Signals.SIGSEGV);
        long bit = 1L << (Signals.SIGSEGV - 1);
        if (sig != Signals.SIGSEGV && a.handler() != Signals.SIG_DFL && a.handler() != Signals.SIG_IGN
                && (task.signalMask & bit) == 0) {
            try {
                return buildFrame(SigInfo.fault(Signals.SIGSEGV, 0x80 /* SI_KERNEL */, 0), a, rip);
            } catch (dev.lxrun.kernel.mm.GuestFault again) {
                // no stack for that frame either
            }
        }
        SignalPosting.kill(task.process, Signals.SIGSEGV);
        return rip;
    }

    /** A synchronous fault: runs the handler if there is one and the signal is not blocked. */
    boolean deliverFault(CpuFault fault) {
        int sig = fault.signal();
        dev.lxrun.kernel.gdbstub.GdbStub gdb = task.debugger();
        if (gdb != null) {
            Engine e = task.engine();
            if (sig == Signals.SIGTRAP && fault.trapno() == CpuFault.TRAP_BP && gdb.breakpointAt(e.readReg(X86Reg.RIP) - 1)) {
                // One of gdb's breakpoints: the stop is at its address, and the program never sees the trap.
                e.writeReg(X86Reg.RIP, e.readReg(X86Reg.RIP) - 1);
                gdb.stop(task, sig);
                return !task.process.exited();
            }
            int given = gdb.stop(task, sig);
            if (task.process.exited()) return false;
            if (given == 0) return true; // dropped by gdb: go on where gdb left rip
            if (given != sig) {
                SignalPosting.postToTask(task, SigInfo.kernel(given));
                return true;
            }
        }
        dev.lxrun.kernel.ptrace.Tracee tr = task.ptrace;
        if (tr != null) {
            // A traced thread's fault (int3, a single step, SIGSEGV) stops for the tracer first.
            SigInfo given = tr.faultStop(SigInfo.fault(sig, fault.code(), fault.addr()));
            if (task.process.exited()) return false;
            if (given == null) return true; // suppressed: go on where the tracer left rip
            if (given.signo() != sig) {
                SignalPosting.postToTask(task, given);
                return true;
            }
        }
        SignalAction a = task.process.action(sig);
        long bit = 1L << (sig - 1);
        if (a.handler() == Signals.SIG_DFL || a.handler() == Signals.SIG_IGN || (task.signalMask & bit) != 0) return false;
        Engine e = task.engine();
        long rip = e.readReg(X86Reg.RIP);
        trap = fault;
        long entry;
        try {
            entry = buildFrame(SigInfo.fault(sig, fault.code(), fault.addr()), a, rip);
        } finally {
            trap = null;
        }
        e.writeReg(X86Reg.RIP, entry);
        return true;
    }

    /** The fault whose frame is being built: its trap number, error code and CR2 go into the sigcontext. */
    private CpuFault trap;

    /** Pushes the frame and points the registers at the handler; returns the handler's address. */
    private long buildFrame(SigInfo info, SignalAction a, long rip) {
        int sig = info.signo();
        Engine e = task.engine();
        AddressSpace mm = task.process.mm;
        long[] g = new long[GREGS.length];
        for (int i = 0; i < GREGS.length; i++) g[i] = e.readReg(GREGS[i]);
        g[16] = rip;
        long savedMask = suspendedMask != -1 ? suspendedMask : task.signalMask;
        suspendedMask = -1;
        long sp = g[15] - 128; // the red zone below the interrupted stack pointer is the code's
        boolean onAlt = altStackFlags != SS_DISABLE && onAltStack(g[15]);
        if ((a.flags() & SA_ONSTACK) != 0 && altStackFlags != SS_DISABLE && !onAlt) {
            sp = altStackSp + altStackSize;
        }
        long fpstate = (sp - FpuFrame.SIZE) & -64L;
        long frame = ((fpstate - FRAME_SIZE) & -16L) - 8;
        mm.writeBytes(fpstate, FpuFrame.save(e));
        byte[] f = new byte[FRAME_SIZE];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(f).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, a.restorer());
        b.putLong(UC, FpuFrame.UC_FLAGS);       // uc_flags
        b.putLong(UC + 8, 0);                   // uc_link
        b.putLong(UC + 16, altStackSp);
        b.putInt(UC + 24, altStackFlags == SS_DISABLE ? SS_DISABLE : (onAlt ? SS_ONSTACK : 0));
        b.putLong(UC + 32, altStackSize);
        for (int i = 0; i < GREGS.length; i++) b.putLong(MCONTEXT + 8 * i, g[i]);
        b.putShort(MCONTEXT + 144, (short) 0x33); // cs
        b.putShort(MCONTEXT + 150, (short) 0x2b); // ss
        b.putLong(MCONTEXT + 152, trap == null ? 0 : trap.error());  // err
        b.putLong(MCONTEXT + 160, trap == null ? 0 : trap.trapno()); // trapno
        b.putLong(MCONTEXT + 168, savedMask);                        // oldmask
        b.putLong(MCONTEXT + 176, trap == null ? 0 : trap.cr2());    // cr2
        b.putLong(MCONTEXT + 184, fpstate);
        b.putLong(SIGMASK, savedMask);
        info.writeSiginfo(b, INFO);
        mm.writeBytes(frame, f);

        long mask = task.signalMask | a.mask();
        if ((a.flags() & SA_NODEFER) == 0) mask |= 1L << (sig - 1);
        task.signalMask = mask & ~((1L << (Signals.SIGKILL - 1)) | (1L << (Signals.SIGSTOP - 1)));
        if ((a.flags() & SA_RESETHAND) != 0) task.process.setAction(sig, SignalAction.DEFAULT);

        e.writeReg(X86Reg.RSP, frame);
        e.writeReg(X86Reg.RDI, sig);
        e.writeReg(X86Reg.RSI, frame + INFO);
        e.writeReg(X86Reg.RDX, frame + UC);
        e.writeReg(X86Reg.RAX, 0);
        e.writeReg(X86Reg.EFLAGS, g[17] & ~0x500L); // clear DF and TF for the handler
        FpuFrame.reset(e); // the handler starts with a fresh FPU, whatever the interrupted code had set
        return a.handler();
    }

    /** rt_sigreturn: the registers, mask and FP state saved in the frame come back. */
    public void sigreturn() {
        Engine e = task.engine();
        AddressSpace mm = task.process.mm;
        long frame = e.readReg(X86Reg.RSP) - 8;
        byte[] f = mm.read(frame, FRAME_SIZE);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(f).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long flags = e.readReg(X86Reg.EFLAGS);
        for (int i = 0; i < GREGS.length; i++) {
            long v = b.getLong(MCONTEXT + 8 * i);
            if (GREGS[i] == X86Reg.EFLAGS) v = (flags & ~FIX_EFLAGS) | (v & FIX_EFLAGS);
            // We run inside the SYSCALL hook, after which Unicorn adds the instruction's length to RIP.
            if (GREGS[i] == X86Reg.RIP) v -= 2;
            e.writeReg(GREGS[i], v);
        }
        long fpstate = b.getLong(MCONTEXT + 184);
        if (fpstate != 0) FpuFrame.restore(e, mm.read(fpstate, FpuFrame.FXSAVE_SIZE));
        else FpuFrame.reset(e); // no saved state: Linux gives the initial one
        task.signalMask = b.getLong(SIGMASK) & ~((1L << (Signals.SIGKILL - 1)) | (1L << (Signals.SIGSTOP - 1)));
        task.suppressReturn();
        // Resume at the restored RIP: leave emulation so the run loop restarts there.
        e.stop();
    }

    private boolean onAltStack(long sp) {
        return sp > altStackSp && sp - altStackSp <= altStackSize;
    }

    public boolean onAltStackNow() {
        return altStackFlags != SS_DISABLE && onAltStack(task.engine().readReg(X86Reg.RSP));
    }
}
