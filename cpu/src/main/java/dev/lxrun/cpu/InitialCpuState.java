package dev.lxrun.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The CPU state x86-64 Linux gives a program at execve, as one saved context to load into any
 * engine. Unicorn resets its CPU to zeros: x87 control word 0 (24-bit precision, every exception
 * unmasked), MXCSR 0, every x87 register tagged valid, selectors 0, RFLAGS 2, and ring 0. Linux
 * starts a program with its initial FPU state (FCW 0x37F, FSW 0, all x87 registers empty, MXCSR
 * 0x1F80, XMM zeroed), RFLAGS 0x202, CS 0x33 and SS 0x2B at CPL 3, data selectors and FS/GS
 * bases 0, and every general register 0. Fork and clone copy the parent's state instead.
 */
public final class InitialCpuState {
    public static final int FCW = 0x37f, MXCSR = 0x1f80, FTW_ALL_EMPTY = 0xffff;
    public static final long RFLAGS = 0x202;
    /** Linux's __USER_CS and __USER_DS; STAR's user base is __USER32_CS (0x23), from which SYSRET derives both. */
    public static final int USER_CS = 0x33, USER_DS = 0x2b;
    private static final long STAR = 0x0023_0010_0000_0000L;
    private static final int MSR_EFER = 0xc0000080, MSR_STAR = 0xc0000081;
    /** EFER.SCE (SYSCALL/SYSRET enabled), LME, LMA, NXE. */
    private static final long EFER = 0xd01;
    private static final long CODE = 0x1000;
    private static final X86Reg[] GENERAL = {X86Reg.RAX, X86Reg.RBX, X86Reg.RCX, X86Reg.RDX, X86Reg.RSI, X86Reg.RDI,
            X86Reg.RBP, X86Reg.RSP, X86Reg.R8, X86Reg.R9, X86Reg.R10, X86Reg.R11, X86Reg.R12, X86Reg.R13, X86Reg.R14,
            X86Reg.R15};

    private static CpuContext context;

    private InitialCpuState() {}

    /** The state at execve (built once, on a scratch engine); load it with Engine.restoreContext. */
    public static synchronized CpuContext context() {
        if (context == null) context = build();
        return context;
    }

    private static CpuContext build() {
        MemorySegment page = HostMemory.allocate(HostMemory.PAGE);
        try (Engine e = Engine.openX86_64()) {
            // Enter user mode the way the kernel does: SYSRETQ loads CS = STAR[63:48]+16 | 3 and
            // SS = STAR[63:48]+8 | 3 with flat cached descriptors (no GDT needed) and CPL 3, so
            // privileged instructions (cli, hlt, in/out, wrmsr) fault as they do for a Linux program.
            page.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x48);
            page.set(ValueLayout.JAVA_BYTE, 1, (byte) 0x0f);
            page.set(ValueLayout.JAVA_BYTE, 2, (byte) 0x07); // sysretq
            e.mapPtr(CODE, HostMemory.PAGE, Prot.READ | Prot.EXEC, page);
            e.writeMsr(MSR_EFER, EFER);
            e.writeMsr(MSR_STAR, STAR);
            e.writeReg(X86Reg.RCX, CODE + 3);
            e.writeReg(X86Reg.R11, RFLAGS);
            UcError err = e.runUntil(CODE, CODE + 3);
            if (err != UcError.OK) throw new UnicornException("entering user mode with SYSRETQ: " + err);
            e.unmap(CODE, HostMemory.PAGE);
            for (X86Reg r : GENERAL) e.writeReg(r, 0);
            e.writeReg(X86Reg.RIP, 0);
            e.writeReg(X86Reg.EFLAGS, RFLAGS);
            e.writeReg(X86Reg.FPCW, FCW);
            e.writeReg(X86Reg.FPSW, 0);
            e.writeReg(X86Reg.FPTAG, FTW_ALL_EMPTY);
            e.writeReg(X86Reg.MXCSR, MXCSR);
            byte[] zero = new byte[16];
            for (int i = 0; i < 16; i++) e.writeXmm(i, zero);
            e.writeReg(X86Reg.DS, 0);
            e.writeReg(X86Reg.ES, 0);
            e.writeReg(X86Reg.FS_BASE, 0);
            e.writeReg(X86Reg.GS_BASE, 0);
            return e.saveContext();
        } finally {
            HostMemory.release(page.address(), HostMemory.PAGE);
        }
    }
}
