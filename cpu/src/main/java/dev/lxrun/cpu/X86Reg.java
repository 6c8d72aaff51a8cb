package dev.lxrun.cpu;

/** The uc_x86_reg ids lxrun uses (unicorn/x86.h); the numbers are Unicorn's ABI. */
public enum X86Reg {
    EFLAGS(25), CS(11), DS(17), ES(28), FS(32), GS(33), SS(49),
    RAX(35), RBP(36), RBX(37), RCX(38), RDI(39), RDX(40), RIP(41), RSI(43), RSP(44),
    R8(106), R9(107), R10(108), R11(109), R12(110), R13(111), R14(112), R15(113),
    FPSW(31), FPCW(246), FPTAG(247), MXCSR(249), FS_BASE(250), GS_BASE(251);

    /** First XMM register id; XMM0..XMM15 are consecutive. */
    public static final int XMM0_ID = 122;
    /** First x87 register in stack order (ST0..ST7 consecutive, 10 bytes each), and the MSR pseudo-register. */
    public static final int ST0_ID = 114, MSR_ID = 248;
    /** x87 last instruction/operand pointers and opcode (FXSAVE fields). */
    public static final int FIP_ID = 254, FDP_ID = 256, FOP_ID = 258;

    public final int id;

    X86Reg(int id) { this.id = id; }
}
