package dev.lxrun.kernel;

import dev.lxrun.cpu.Engine;
import dev.lxrun.cpu.InitialCpuState;
import dev.lxrun.cpu.X86Reg;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The FPU/SSE state in a signal frame, as x86-64 Linux writes it for a CPU with XSAVE (which the
 * guest's CPUID names): the 512-byte FXSAVE image (control, status and abridged tag words, last
 * instruction and operand pointers, MXCSR, the eight x87 registers in stack order, XMM0-15),
 * software-reserved bytes at 464 saying an XSAVE area follows (FP_XSTATE_MAGIC1, sizes, the
 * features), the 64-byte XSAVE header with x87 and SSE marked present, and FP_XSTATE_MAGIC2 right
 * after the area. The handler then starts with a fresh FPU (FCW 0x37F, MXCSR 0x1F80, XMM zero),
 * and rt_sigreturn loads the saved image back.
 */
public final class FpuFrame {
    /** XSAVE area for x87 + SSE (XCR0 = 3): legacy region and header. */
    static final int XSTATE_SIZE = 512 + 64;
    /** What the frame reserves: the area and the trailing magic. */
    static final int SIZE = XSTATE_SIZE + 4;
    public static final int FXSAVE_SIZE = 512;
    private static final int MAGIC1 = 0x46505853, MAGIC2 = 0x46505845;
    private static final long XFEATURES = 3; // x87 | SSE
    /** MXCSR bits this CPU implements (FXSAVE's MXCSR_MASK); others are cleared on restore, as Linux does. */
    private static final int MXCSR_MASK = 0xffff;
    /** uc_flags: UC_FP_XSTATE | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS. */
    static final long UC_FLAGS = 0x7;
    private static final byte[] ZERO16 = new byte[16];

    private FpuFrame() {}

    public static byte[] save(Engine e) {
        byte[] area = new byte[SIZE];
        ByteBuffer b = ByteBuffer.wrap(area).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(0, (short) e.readReg(X86Reg.FPCW));
        b.putShort(2, (short) e.readReg(X86Reg.FPSW));
        int full = (int) e.readReg(X86Reg.FPTAG);
        int abridged = 0;
        for (int reg = 0; reg < 8; reg++) {
            if (((full >> (2 * reg)) & 3) != 3) abridged |= 1 << reg; // 1 = not empty, per physical register
        }
        area[4] = (byte) abridged;
        byte[] fop = e.readRegBytes(X86Reg.FOP_ID, 2);
        b.putShort(6, (short) ((fop[0] & 0xff) | (fop[1] & 0x07) << 8)); // 11-bit last opcode
        b.putLong(8, ByteBuffer.wrap(e.readRegBytes(X86Reg.FIP_ID, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong());
        b.putLong(16, ByteBuffer.wrap(e.readRegBytes(X86Reg.FDP_ID, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong());
        b.putInt(24, (int) e.readReg(X86Reg.MXCSR));
        b.putInt(28, MXCSR_MASK);
        for (int i = 0; i < 8; i++) System.arraycopy(e.readRegBytes(X86Reg.ST0_ID + i, 10), 0, area, 32 + 16 * i, 10);
        for (int i = 0; i < 16; i++) System.arraycopy(e.readXmm(i), 0, area, 160 + 16 * i, 16);
        b.putInt(464, MAGIC1);
        b.putInt(468, SIZE);          // extended_size: the area and MAGIC2
        b.putLong(472, XFEATURES);
        b.putInt(480, XSTATE_SIZE);
        b.putLong(512, XFEATURES);    // XSTATE_BV: Linux always marks x87 and SSE present in signal frames
        b.putInt(XSTATE_SIZE, MAGIC2);
        return area;
    }

    /** The state a handler starts with: Linux's initial FPU state. */
    static void reset(Engine e) {
        e.writeReg(X86Reg.FPSW, 0);
        e.writeReg(X86Reg.FPCW, InitialCpuState.FCW);
        e.writeReg(X86Reg.FPTAG, InitialCpuState.FTW_ALL_EMPTY);
        e.writeReg(X86Reg.MXCSR, InitialCpuState.MXCSR);
        for (int i = 0; i < 16; i++) e.writeXmm(i, ZERO16);
    }

    /** rt_sigreturn: the legacy 512 bytes come back (the XSAVE header adds nothing for x87 + SSE). */
    public static void restore(Engine e, byte[] fx) {
        ByteBuffer b = ByteBuffer.wrap(fx).order(ByteOrder.LITTLE_ENDIAN);
        e.writeReg(X86Reg.FPSW, b.getShort(2) & 0xffff); // sets the stack top, which ST(i) below are relative to
        for (int i = 0; i < 8; i++) e.writeRegBytes(X86Reg.ST0_ID + i, java.util.Arrays.copyOfRange(fx, 32 + 16 * i, 42 + 16 * i));
        int abridged = fx[4] & 0xff, full = 0;
        for (int reg = 0; reg < 8; reg++) {
            if ((abridged & (1 << reg)) == 0) full |= 3 << (2 * reg);
        }
        e.writeReg(X86Reg.FPTAG, full);
        e.writeReg(X86Reg.FPCW, b.getShort(0) & 0xffff);
        e.writeRegBytes(X86Reg.FOP_ID, new byte[] {fx[6], (byte) (fx[7] & 0x07)});
        e.writeRegBytes(X86Reg.FIP_ID, java.util.Arrays.copyOfRange(fx, 8, 16));
        e.writeRegBytes(X86Reg.FDP_ID, java.util.Arrays.copyOfRange(fx, 16, 24));
        e.writeReg(X86Reg.MXCSR, b.getInt(24) & MXCSR_MASK);
        for (int i = 0; i < 16; i++) e.writeXmm(i, java.util.Arrays.copyOfRange(fx, 160 + 16 * i, 176 + 16 * i));
    }
}
