package dev.lxrun.kernel;

import dev.lxrun.cpu.Engine;
import dev.lxrun.cpu.UcError;
import dev.lxrun.kernel.mm.AddressSpace;

/**
 * A synchronous CPU exception as x86-64 Linux reports it to the program: the signal, its si_code
 * and si_addr, and the trap number, error code and CR2 that the signal frame's sigcontext carries.
 */
public record CpuFault(int signal, int code, long addr, int trapno, long error, long cr2) {
    static final int SEGV_MAPERR = 1, SEGV_ACCERR = 2, SI_KERNEL = 0x80, ILL_ILLOPN = 2, FPE_INTDIV = 1,
            BUS_ADRALN = 1;
    /** x86 page-fault error code bits (the sigcontext's err for a page fault). */
    private static final long PF_PROT = 1, PF_WRITE = 2, PF_USER = 4, PF_INSTR = 16;
    static final int TRAP_DE = 0, TRAP_BP = 3, TRAP_UD = 6, TRAP_GP = 13, TRAP_PF = 14, TRAP_AC = 17;

    /**
     * An access Unicorn refused: a page fault at the address its memory hook recorded. Linux says
     * SEGV_ACCERR where something is mapped there (protection), SEGV_MAPERR where nothing is.
     */
    static CpuFault memory(Engine e, UcError err, AddressSpace mm) {
        // Unicorn reports the physical address, cut to 52 bits; guest addresses are canonical
        // (bits 63..47 equal), so sign-extending from bit 47 gives the one the program used.
        long addr = (e.lastFaultAddress() << 16) >> 16;
        boolean fetch = err == UcError.FETCH_UNMAPPED || err == UcError.FETCH_PROT;
        boolean write = err == UcError.WRITE_UNMAPPED || err == UcError.WRITE_PROT;
        boolean mapped = mm.isMapped(addr);
        long pf = PF_USER | (mapped ? PF_PROT : 0) | (write ? PF_WRITE : 0) | (fetch ? PF_INSTR : 0);
        return new CpuFault(Signals.SIGSEGV, mapped ? SEGV_ACCERR : SEGV_MAPERR, addr, TRAP_PF, pf, addr);
    }

    /**
     * Code fetched above user space, which lxrun does not hand to Unicorn (an rip of -1 means "no
     * end" to it): a page fault in the kernel half when the address is canonical, else #GP.
     */
    static CpuFault fetchBeyondUserSpace(long rip) {
        boolean canonical = (rip << 16) >> 16 == rip;
        return canonical ? new CpuFault(Signals.SIGSEGV, SEGV_MAPERR, rip, TRAP_PF, PF_USER | PF_INSTR, rip)
                : new CpuFault(Signals.SIGSEGV, SI_KERNEL, 0, TRAP_GP, 0, 0);
    }

    /** A fault Unicorn reports as an interrupt vector, raised by the instruction at rip. */
    static CpuFault interrupt(int vector, long rip) {
        return switch (vector) {
            case 0 -> new CpuFault(Signals.SIGFPE, FPE_INTDIV, rip, TRAP_DE, 0, 0);
            case 16, 19 -> new CpuFault(Signals.SIGFPE, 0, rip, vector, 0, 0); // #MF, #XM (Unicorn raises neither)
            case 1 -> new CpuFault(Signals.SIGTRAP, SI_KERNEL, 0, 1, 0, 0);
            case 3 -> new CpuFault(Signals.SIGTRAP, SI_KERNEL, 0, TRAP_BP, 0, 0);
            case 6 -> new CpuFault(Signals.SIGILL, ILL_ILLOPN, rip, TRAP_UD, 0, 0);
            case 17 -> new CpuFault(Signals.SIGBUS, BUS_ADRALN, rip, TRAP_AC, 0, 0);
            // #GP (privileged instructions, non-canonical addresses) and INT n: SIGSEGV from the kernel, no address.
            default -> new CpuFault(Signals.SIGSEGV, SI_KERNEL, 0, TRAP_GP, vector == 13 ? 0 : ((long) vector << 3) | 2, 0);
        };
    }

    /** The trap after one single-stepped instruction (#DB with DR6.BS): TRAP_TRACE at the next rip. */
    static CpuFault singleStep(long nextRip) {
        return new CpuFault(Signals.SIGTRAP, 2 /* TRAP_TRACE */, nextRip, 1, 0, 0);
    }

    /** A failure Unicorn reports only as an error return (an instruction it cannot decode, say). */
    static CpuFault other(UcError err, long rip) {
        return switch (err) {
            case INSN_INVALID -> new CpuFault(Signals.SIGILL, ILL_ILLOPN, rip, TRAP_UD, 0, 0);
            case READ_UNALIGNED, WRITE_UNALIGNED, FETCH_UNALIGNED -> new CpuFault(Signals.SIGBUS, BUS_ADRALN, rip, TRAP_AC, 0, 0);
            default -> new CpuFault(Signals.SIGSEGV, SI_KERNEL, 0, TRAP_GP, 0, 0);
        };
    }
}
