package dev.lxrun.kernel;

import dev.lxrun.cpu.Engine;
import dev.lxrun.cpu.UcError;
import dev.lxrun.cpu.X86Reg;
import dev.lxrun.kernel.exec.ExecImage;
import dev.lxrun.kernel.mm.GuestFault;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.syscalls.SyscallTable;

/**
 * A guest thread: one Unicorn engine running the thread's code on the calling Java thread.
 * System calls are handled inside the SYSCALL hook without leaving emulation (leaving and
 * re-entering costs ~4 µs); emulation stops only to end the thread or to change what it runs.
 */
public final class Task {
    public final Process process;
    public final int tid;
    private Engine engine;
    private final long[] regs = new long[7];
    private final long[] args = new long[6];
    private long entry;
    public long clearChildTid;
    public long robustList;
    public long signalMask;
    /** Signals sent while blocked, bit sig-1. */
    public long pendingSignals;
    private int pendingFault;
    private boolean returnSuppressed;

    public Task(Process process, int tid) {
        this.process = process;
        this.tid = tid;
    }

    public Engine engine() { return engine; }

    /** Whether a signal is pending that the mask lets through (blocking calls return EINTR). */
    public boolean hasPendingSignal() {
        return (pendingSignals & ~signalMask) != 0;
    }

    public Kernel kernel() { return process.kernel; }

    /** Starts a fresh CPU on a freshly loaded image (process start and execve). */
    public void install(ExecImage image) {
        if (engine != null) {
            process.mm.detach(engine);
            engine.close();
        }
        process.mm = image.mm();
        process.argv = image.argv();
        process.exePath = image.path();
        engine = Engine.openX86_64();
        engine.onSyscall(e -> onSyscall());
        engine.onInterrupt((e, vector) -> onInterrupt(vector));
        image.mm().attach(engine);
        engine.writeReg(X86Reg.RSP, image.stackPointer());
        entry = image.entry();
    }

    /** Runs until the process exits; returns how it ended. */
    public ExitStatus run() {
        long rip = entry;
        try {
            while (!process.exited()) {
                UcError err = engine.start(rip);
                if (process.exited()) break;
                if (pendingFault != 0) {
                    killBySignal(pendingFault);
                    break;
                }
                if (err != UcError.OK) {
                    killBySignal(signalFor(err));
                    break;
                }
                rip = engine.readReg(X86Reg.RIP);
            }
        } finally {
            process.mm.detach(engine);
            engine.close();
            process.mm.destroy();
            process.fds.closeAll();
        }
        return process.exitStatus();
    }

    private static int signalFor(UcError err) {
        return switch (err) {
            case INSN_INVALID -> Signals.SIGILL;
            case READ_UNALIGNED, WRITE_UNALIGNED, FETCH_UNALIGNED -> Signals.SIGBUS;
            default -> Signals.SIGSEGV;
        };
    }

    /** The process dies of sig with the default action (no handler delivery yet). */
    public void killBySignal(int sig) {
        process.exit(new ExitStatus.Killed(sig));
        if (engine != null) engine.stop();
    }

    /** exit_group: every thread ends, status reported to the parent. */
    public void exitGroup(int code) {
        process.exit(new ExitStatus.Exited(code & 0xff));
        suppressReturn();
        engine.stop();
    }

    /** The current syscall does not write RAX (it ended the thread or replaced the image). */
    public void suppressReturn() {
        returnSuppressed = true;
    }

    private void onSyscall() {
        engine.readSyscallRegs(regs);
        int nr = (int) regs[0];
        System.arraycopy(regs, 1, args, 0, 6);
        SyscallTable.Entry<Syscall> e = kernel().syscalls.lookup(nr);
        long ret;
        returnSuppressed = false;
        if (regs[0] < 0 || regs[0] > Integer.MAX_VALUE || e.handler() == null) {
            ret = -Errno.ENOSYS;
        } else {
            try {
                ret = e.handler().call(this, args);
            } catch (GuestFault f) {
                ret = -Errno.EFAULT;
            }
        }
        if (kernel().tracer != null) kernel().tracer.trace(this, nr, args, ret, returnSuppressed);
        if (!returnSuppressed) engine.writeReg(X86Reg.RAX, ret);
    }

    private void onInterrupt(int vector) {
        pendingFault = switch (vector) {
            case 0, 16, 19 -> Signals.SIGFPE;   // #DE, #MF, #XM
            case 1, 3 -> Signals.SIGTRAP;       // #DB, #BP (int3)
            case 6 -> Signals.SIGILL;           // #UD
            case 17 -> Signals.SIGBUS;          // #AC
            default -> Signals.SIGSEGV;         // #GP, #PF, int n
        };
        engine.stop();
    }
}
