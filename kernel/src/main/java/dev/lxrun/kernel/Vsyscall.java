package dev.lxrun.kernel;

import dev.lxrun.cpu.Engine;
import dev.lxrun.cpu.UcError;
import dev.lxrun.cpu.X86Reg;
import dev.lxrun.kernel.mm.GuestFault;
import dev.lxrun.syscalls.Errno;

/**
 * The legacy vsyscall page as current kernels present it (vsyscall=xonly, the default since
 * Linux 5.3): listed in /proc/PID/maps as {@code ffffffffff600000-ffffffffff601000 --xp ...
 * [vsyscall]}, readable by nobody, and a call to one of its three entries (gettimeofday at +0,
 * time at +0x400, getcpu at +0x800) is emulated by the kernel when the instruction fetch faults:
 * it makes the system call and returns to the caller by popping the return address. A jump
 * anywhere else in the page gets SIGSEGV. OpenJDK 17 calls the getcpu entry when the getcpu
 * system call fails. Nothing is mapped in Unicorn: the page lies above every guest mapping, so
 * its fetches fault and are handled here; its reads fault as on Linux.
 */
public final class Vsyscall {
    public static final long START = 0xffffffffff600000L, END = START + 0x1000;
    /** The system calls behind the entries at START + 0x400 * n. */
    private static final int[] ENTRIES = {96 /* gettimeofday */, 201 /* time */, 309 /* getcpu */};
    /** What emulate returns when it has run the call. */
    static final CpuFault EMULATED = new CpuFault(0, 0, 0, 0, 0, 0);

    private Vsyscall() {}

    /** Whether code at rip lies in the vsyscall page (whose fetches emulate rather than fault). */
    static boolean covers(long rip) {
        return Long.compareUnsigned(rip, START) >= 0 && Long.compareUnsigned(rip, END) < 0;
    }

    /**
     * A fetch fault in the vsyscall page: runs the call and returns EMULATED, or returns the fault
     * Linux reports for a bad one (SIGSEGV from the kernel). Null when the fault is not there.
     */
    static CpuFault emulate(Task t, UcError err) {
        if (err != UcError.FETCH_UNMAPPED && err != UcError.FETCH_PROT) return null;
        Engine e = t.engine();
        long rip = e.readReg(X86Reg.RIP);
        if (Long.compareUnsigned(rip, START) < 0 || Long.compareUnsigned(rip, END) >= 0) return null;
        CpuFault segv = new CpuFault(Signals.SIGSEGV, CpuFault.SI_KERNEL, 0, CpuFault.TRAP_PF, 0x14, rip);
        long offset = rip - START;
        if ((offset & ~0xc00L) != 0 || offset == 0xc00) return segv; // not an entry: "misaligned vsyscall"
        long sp = e.readReg(X86Reg.RSP);
        long caller;
        try {
            caller = t.process.mm.readLong(sp);
        } catch (GuestFault f) {
            return segv;
        }
        int nr = ENTRIES[(int) (offset >> 10)];
        long[] args = {e.readReg(X86Reg.RDI), e.readReg(X86Reg.RSI), e.readReg(X86Reg.RDX), 0, 0, 0};
        long ret;
        try {
            ret = t.kernel().syscalls.lookup(nr).handler().call(t, args);
        } catch (GuestFault f) {
            ret = -Errno.EFAULT;
        }
        if (ret == -Errno.EFAULT) return segv; // a bad pointer: the kernel sends SIGSEGV, as for a real vsyscall
        e.writeReg(X86Reg.RAX, ret);
        e.writeReg(X86Reg.RSP, sp + 8);
        e.writeReg(X86Reg.RIP, caller);
        return EMULATED;
    }
}
