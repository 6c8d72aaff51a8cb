package dev.lxrun.kernel.ptrace;

import dev.lxrun.cpu.Engine;
import dev.lxrun.kernel.FpuFrame;
import dev.lxrun.kernel.Process;
import dev.lxrun.kernel.SigInfo;
import dev.lxrun.kernel.SignalPosting;
import dev.lxrun.kernel.Signals;
import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.mm.AddressSpace;
import dev.lxrun.syscalls.Errno;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * ptrace(2) requests on the kernel's side: attaching, resuming, and the reads and writes of a
 * stopped tracee's registers and memory, which run on the tracee's own thread (see Tracee).
 * Results are Linux's: 0 or a value, or a negative errno.
 */
public final class Ptrace {
    public static final int TRACEME = 0, PEEKTEXT = 1, PEEKDATA = 2, PEEKUSER = 3, POKETEXT = 4, POKEDATA = 5,
            POKEUSER = 6, CONT = 7, KILL = 8, SINGLESTEP = 9, GETREGS = 12, SETREGS = 13, GETFPREGS = 14,
            SETFPREGS = 15, ATTACH = 16, DETACH = 17, SYSCALL = 24, SETOPTIONS = 0x4200, GETEVENTMSG = 0x4201,
            GETSIGINFO = 0x4202, SETSIGINFO = 0x4203, GETREGSET = 0x4204, SETREGSET = 0x4205, SEIZE = 0x4206,
            INTERRUPT = 0x4207, LISTEN = 0x4208, GETSIGMASK = 0x420a, SETSIGMASK = 0x420b, GET_SYSCALL_INFO = 0x420e;
    static final int NT_PRSTATUS = 1, NT_PRFPREG = 2, NT_X86_XSTATE = 0x202;
    /** sizeof(struct user) and offsetof(struct user, u_debugreg). */
    static final int USER_SIZE = 912, DEBUGREG = 848;
    /** The XSAVE area lxrun's CPU has: legacy region and header (x87 + SSE, XCR0 = 3). */
    static final int XSTATE_SIZE = 576;
    private static final long AUDIT_ARCH_X86_64 = 0xc000003eL;
    /** What the x86-64 Linux of the guest's CPUID reports as XCR0 in the XSTATE regset's software bytes. */
    private static final long XCR0 = 3;

    private Ptrace() {}

    /** PTRACE_TRACEME: the caller's parent becomes its tracer. */
    public static long traceMe(Task t) {
        Process parent = t.kernel().process(t.process.ppid());
        synchronized (t.kernel().tree) {
            if (t.ptrace != null || parent == null) return -Errno.EPERM;
            t.kernel().tracees.attach(t, parent, false, 0);
        }
        return 0;
    }

    /** PTRACE_ATTACH (a SIGSTOP stop follows) and PTRACE_SEIZE (no stop; options from data). */
    public static long attach(Task t, int pid, boolean seize, long flags) {
        if (seize && (flags & ~Tracee.O_MASK) != 0) return -Errno.EINVAL;
        Task target = t.kernel().task(pid);
        if (target == null || target.exiting() || target.process.exited()) return -Errno.ESRCH;
        if (target.process == t.process) return -Errno.EPERM;
        Tracee tr;
        synchronized (t.kernel().tree) {
            if (target.ptrace != null) return -Errno.EPERM;
            tr = t.kernel().tracees.attach(target, t.process, seize, seize ? (int) flags : 0);
        }
        if (!seize) {
            tr.trapCode = Signals.SIGSTOP;
            target.interruptForSignal();
        } else if (target.process.stopped()) {
            // Seizing a job-stopped process: it re-traps so its tracer sees the group-stop (Linux's JOBCTL_TRAP_STOP).
            tr.trapCode = Signals.SIGSTOP | (Tracee.EVENT_STOP << 8);
            target.interruptForSignal();
        }
        return 0;
    }

    /** CLONE_PTRACE and CLONE_UNTRACED as clone(2) takes them. */
    public static final long CLONE_PTRACE = 0x2000, CLONE_UNTRACED = 0x800000;

    /**
     * A traced thread created child (fork, vfork, clone, a thread): the child is traced by the
     * same tracer, with the same options, when the tracer asked for this kind of event (or the
     * caller passed CLONE_PTRACE); it then stops before its first instruction. Returns the event
     * to report in the parent once the child is started (0: none). Call before the child runs.
     */
    public static int cloned(Task parent, Task child, int event, long flags) {
        Tracee tr = parent.ptrace;
        if (tr == null || (flags & CLONE_UNTRACED) != 0) return 0;
        int wanted = switch (event) {
            case Tracee.EVENT_FORK -> Tracee.O_TRACEFORK;
            case Tracee.EVENT_VFORK -> Tracee.O_TRACEVFORK;
            default -> Tracee.O_TRACECLONE;
        };
        boolean follow = (tr.options & wanted) != 0;
        if (!follow && (flags & CLONE_PTRACE) == 0) return 0;
        synchronized (parent.kernel().tree) {
            if (tr.tracer == null) return 0;
            Tracee ct = parent.kernel().tracees.attach(child, tr.tracer, tr.seized, tr.options);
            ct.startStop = true;
        }
        return follow ? event : 0;
    }

    /** The parent's PTRACE_EVENT_FORK/VFORK/CLONE stop, GETEVENTMSG giving the child's id. */
    public static void reportClone(Task parent, int event, int childTid) {
        Tracee tr = parent.ptrace;
        if (tr != null && event != 0) tr.event(event, childTid, true);
    }

    /** Every other request: on a tracee of the caller, most of them only while it is stopped. */
    public static long request(Task t, int request, int pid, long addr, long data) {
        Tracee tr;
        synchronized (t.kernel().tree) {
            tr = t.kernel().tracees.find(t.process, pid);
            if (tr == null || tr.exitReport != null) return -Errno.ESRCH;
            if (request == KILL) {
                tr.killed = true;
                tr.kernel.tree.notifyAll();
                SignalPosting.kill(tr.task.process, Signals.SIGKILL);
                return 0;
            }
            if (request == INTERRUPT) {
                if (!tr.seized) return -Errno.EIO;
                if (!tr.stopped) {
                    tr.trapCode = Signals.SIGTRAP | (Tracee.EVENT_STOP << 8);
                    tr.task.interruptForSignal();
                }
                return 0;
            }
            if (!tr.stopped) return -Errno.ESRCH;
            switch (request) {
                case CONT, SYSCALL, SINGLESTEP, DETACH, LISTEN -> {
                    return resume(tr, request, data);
                }
                case SETOPTIONS -> {
                    if ((data & ~Tracee.O_MASK) != 0) return -Errno.EINVAL;
                    tr.options = (int) data;
                    return 0;
                }
                case GETEVENTMSG -> {
                    long msg = tr.eventMsg;
                    return store(t, data, msg);
                }
                default -> { }
            }
        }
        AddressSpace mm = t.process.mm;
        switch (request) {
            case PEEKTEXT, PEEKDATA -> {
                long[] v = new long[1];
                long r = call(t, tr, x -> {
                    v[0] = x.task.process.mm.readLong(addr);
                    return 0;
                });
                return r < 0 ? r : store(t, data, v[0]);
            }
            case POKETEXT, POKEDATA -> {
                return call(t, tr, x -> {
                    poke(x, addr, data);
                    return 0;
                });
            }
            case PEEKUSER -> {
                if ((addr & 7) != 0 || addr < 0 || addr >= USER_SIZE) return -Errno.EIO;
                long[] v = new long[1];
                long r = call(t, tr, x -> {
                    v[0] = addr < UserRegs.SIZE ? UserRegs.get(x, (int) (addr / 8)) : 0; // debug registers read 0
                    return 0;
                });
                return r < 0 ? r : store(t, data, v[0]);
            }
            case POKEUSER -> {
                if ((addr & 7) != 0 || addr < 0 || addr >= USER_SIZE) return -Errno.EIO;
                if (addr >= DEBUGREG) return data == 0 ? 0 : -Errno.EIO; // no hardware breakpoints: only clearing is accepted
                if (addr >= UserRegs.SIZE) return 0;
                return call(t, tr, x -> UserRegs.set(x, (int) (addr / 8), data) ? 0 : -Errno.EIO);
            }
            case GETREGS -> {
                return copyOut(t, tr, data, UserRegs::read);
            }
            case SETREGS -> {
                byte[] regs = mm.read(data, UserRegs.SIZE);
                return call(t, tr, x -> UserRegs.write(x, regs) ? 0 : -Errno.EIO);
            }
            case GETFPREGS -> {
                return copyOut(t, tr, data, x -> java.util.Arrays.copyOf(FpuFrame.save(x.task.engine()), FpuFrame.FXSAVE_SIZE));
            }
            case SETFPREGS -> {
                byte[] fx = mm.read(data, FpuFrame.FXSAVE_SIZE);
                return call(t, tr, x -> {
                    FpuFrame.restore(x.task.engine(), fx);
                    return 0;
                });
            }
            case GETREGSET, SETREGSET -> {
                return regset(t, tr, request == SETREGSET, (int) addr, data);
            }
            case GETSIGINFO -> {
                SigInfo info;
                synchronized (t.kernel().tree) {
                    info = tr.siginfo;
                }
                if (info == null) return -Errno.EINVAL;
                mm.writeBytes(data, info.siginfoBytes());
                return 0;
            }
            case SETSIGINFO -> {
                byte[] raw = mm.read(data, SigInfo.SIZE);
                ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
                SigInfo info = new SigInfo(b.getInt(0), b.getInt(8), b.getInt(16), b.getInt(20), b.getLong(24), 0, 0,
                        b.getInt(24), b.getLong(16), null, 0);
                synchronized (t.kernel().tree) {
                    if (tr.siginfo == null) return -Errno.EINVAL;
                    tr.siginfo = info;
                }
                return 0;
            }
            case GET_SYSCALL_INFO -> {
                return syscallInfo(t, tr, addr, data);
            }
            case GETSIGMASK, SETSIGMASK -> {
                // addr is the size of the caller's sigset_t, which must be the kernel's 8 bytes.
                if (addr != 8) return -Errno.EINVAL;
                if (request == GETSIGMASK) return store(t, data, tr.task.signalMask);
                long mask = mm.readLong(data);
                // SIGKILL and SIGSTOP cannot be blocked, by a tracer either (bits 8 and 18).
                tr.task.signalMask = mask & ~((1L << (Signals.SIGKILL - 1)) | (1L << (Signals.SIGSTOP - 1)));
                return 0;
            }
            default -> {
                return -Errno.EIO;
            }
        }
    }

    /** CONT, SYSCALL, SINGLESTEP, LISTEN, DETACH with data the signal to deliver. Caller holds the tree lock. */
    private static long resume(Tracee tr, int request, long data) {
        if (data < 0 || data > Signals.NSIG) return -Errno.EIO;
        if (request == LISTEN) {
            if (!tr.seized || tr.kind != Tracee.Kind.GROUP && tr.kind != Tracee.Kind.EVENT) return -Errno.EIO;
            tr.mode = Tracee.Mode.LISTEN;
            tr.resumeSig = 0;
            tr.resumed = true;
            tr.kernel.tree.notifyAll();
            return 0;
        }
        if (request == DETACH) {
            tr.resumeSig = (int) data;
            tr.kernel.tracees.release(tr);
            tr.resumed = true;
            return 0;
        }
        tr.mode = switch (request) {
            case SYSCALL -> Tracee.Mode.SYSCALL;
            case SINGLESTEP -> Tracee.Mode.SINGLESTEP;
            default -> Tracee.Mode.CONT;
        };
        tr.resumeSig = (int) data;
        tr.resumed = true;
        tr.kernel.tree.notifyAll();
        return 0;
    }

    /** POKETEXT/POKEDATA: writes even read-only code, and drops the translations made from it. */
    private static void poke(Tracee x, long addr, long value) {
        AddressSpace mm = x.task.process.mm;
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
        mm.copyIn(addr, MemorySegment.ofArray(b.array()), false);
        Engine e = x.task.engine();
        // Unicorn's SMC detection does not see a write made behind its back: this engine drops
        // its translations of the bytes now (pages not executable are skipped), the process's
        // other engines before they next run.
        e.invalidateTranslations(addr, addr + 8);
        mm.codeWritten(e, addr, 8);
    }

    private static long regset(Task t, Tracee tr, boolean set, int type, long iovAddr) {
        AddressSpace mm = t.process.mm;
        long base = mm.readLong(iovAddr), len = mm.readLong(iovAddr + 8);
        int size = switch (type) {
            case NT_PRSTATUS -> UserRegs.SIZE;
            case NT_PRFPREG -> FpuFrame.FXSAVE_SIZE;
            case NT_X86_XSTATE -> XSTATE_SIZE;
            default -> -1;
        };
        if (size < 0) return -Errno.EINVAL;
        int n = (int) Math.min(len, size);
        if (set) {
            if (type == NT_PRSTATUS && n != size) return -Errno.EINVAL;
            byte[] in = java.util.Arrays.copyOf(mm.read(base, n), size);
            long r = call(t, tr, x -> {
                Engine e = x.task.engine();
                if (type == NT_PRSTATUS) return UserRegs.write(x, in) ? 0 : -Errno.EIO;
                byte[] cur = FpuFrame.save(e);
                System.arraycopy(in, 0, cur, 0, Math.min(n, FpuFrame.FXSAVE_SIZE));
                FpuFrame.restore(e, java.util.Arrays.copyOf(cur, FpuFrame.FXSAVE_SIZE));
                return 0;
            });
            if (r < 0) return r;
        } else {
            long r = copyOut(t, tr, base, x -> java.util.Arrays.copyOf(regsetBytes(x, type), n));
            if (r < 0) return r;
        }
        mm.writeLong(iovAddr + 8, n);
        return 0;
    }

    private static byte[] regsetBytes(Tracee x, int type) {
        if (type == NT_PRSTATUS) return UserRegs.read(x);
        byte[] fx = java.util.Arrays.copyOf(FpuFrame.save(x.task.engine()), type == NT_X86_XSTATE ? XSTATE_SIZE : FpuFrame.FXSAVE_SIZE);
        if (type == NT_X86_XSTATE) {
            ByteBuffer b = ByteBuffer.wrap(fx).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 464; i < 512; i++) fx[i] = 0;
            b.putLong(464, XCR0);            // the software bytes ptrace shows: XCR0 in the first word
            for (int i = 512; i < XSTATE_SIZE; i++) fx[i] = 0;
            b.putLong(512, XCR0);            // XSTATE_BV: x87 and SSE state present
        } else {
            for (int i = 464; i < 512; i++) fx[i] = 0; // the signal frame's magic is not part of FXSAVE
        }
        return fx;
    }

    /** PTRACE_GET_SYSCALL_INFO: struct ptrace_syscall_info for the stop the tracee is in. */
    private static long syscallInfo(Task t, Tracee tr, long size, long addr) {
        byte[] out = new byte[88];
        int[] len = new int[1];
        long r = call(t, tr, x -> {
            ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
            boolean sysgood = (x.stopCode & 0xff) == (Signals.SIGTRAP | 0x80);
            int op = !sysgood ? 0 : x.kind == Tracee.Kind.SYSCALL_ENTRY ? 1 : x.kind == Tracee.Kind.SYSCALL_EXIT ? 2 : 0;
            b.put(0, (byte) op);
            b.putInt(4, (int) AUDIT_ARCH_X86_64);
            b.putLong(8, UserRegs.get(x, UserRegs.RIP));
            b.putLong(16, x.task.engine().readReg(dev.lxrun.cpu.X86Reg.RSP));
            if (op == 1) {
                b.putLong(24, x.origRax);
                int[] argRegs = {14, 13, 12, 7, 9, 8}; // rdi, rsi, rdx, r10, r8, r9 in user_regs order
                for (int i = 0; i < 6; i++) b.putLong(32 + 8 * i, UserRegs.get(x, argRegs[i]));
                len[0] = 80;
            } else if (op == 2) {
                long rval = UserRegs.get(x, 10);
                b.putLong(24, rval);
                b.put(32, (byte) (Long.compareUnsigned(rval, -4095L) >= 0 ? 1 : 0));
                len[0] = 33;
            } else {
                len[0] = 24;
            }
            return 0;
        });
        if (r < 0) return r;
        int n = (int) Math.min(size, len[0]);
        if (n > 0) t.process.mm.writeBytes(addr, java.util.Arrays.copyOf(out, n));
        return len[0];
    }

    private static long store(Task t, long addr, long value) {
        t.process.mm.writeLong(addr, value);
        return 0;
    }

    private interface Bytes {
        byte[] of(Tracee x);
    }

    private static long copyOut(Task t, Tracee tr, long addr, Bytes what) {
        byte[][] out = new byte[1][];
        long r = call(t, tr, x -> {
            out[0] = what.of(x);
            return 0;
        });
        if (r < 0) return r;
        t.process.mm.writeBytes(addr, out[0]);
        return 0;
    }

    /** Runs op on the stopped tracee's thread and waits for it; -ESRCH if the tracee stops being stopped. */
    static long call(Task t, Tracee tr, Tracee.Request.Op op) {
        Tracee.Request r = new Tracee.Request(op);
        Object tree = t.kernel().tree;
        synchronized (tree) {
            if (!tr.stopped || tr.tracer != t.process) return -Errno.ESRCH;
            tr.requests.add(r);
            tree.notifyAll();
            while (!r.done) {
                if (!tr.stopped) {
                    tr.requests.remove(r);
                    return -Errno.ESRCH;
                }
                try {
                    tree.wait(50);
                } catch (InterruptedException e) {
                    Thread.interrupted();
                }
            }
        }
        return r.errno != 0 ? -r.errno : r.value;
    }
}
