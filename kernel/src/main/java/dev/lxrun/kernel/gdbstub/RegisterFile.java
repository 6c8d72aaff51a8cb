package dev.lxrun.kernel.gdbstub;

import dev.lxrun.cpu.Engine;
import dev.lxrun.cpu.X86Reg;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The x86-64 GNU/Linux register file as gdb numbers it (the amd64-linux target description):
 * 16 general registers, rip, eflags, six segment selectors, the x87 stack and control words, 16
 * XMM registers and mxcsr, then orig_rax (org.gnu.gdb.i386.linux) and fs_base/gs_base
 * (org.gnu.gdb.i386.segments). {@link #targetXml} describes exactly this order, so the g packet,
 * p/P numbers and the XML agree. Values are little-endian, as gdb expects from an x86 target.
 */
final class RegisterFile {
    /** One register: its name, size in bytes, the gdb type and the feature it belongs to. */
    record Reg(String name, int size, String type, String feature) {}

    static final String CORE = "org.gnu.gdb.i386.core", SSE = "org.gnu.gdb.i386.sse",
            LINUX = "org.gnu.gdb.i386.linux", SEGMENTS = "org.gnu.gdb.i386.segments";
    private static final X86Reg[] GENERAL = {X86Reg.RAX, X86Reg.RBX, X86Reg.RCX, X86Reg.RDX, X86Reg.RSI, X86Reg.RDI,
            X86Reg.RBP, X86Reg.RSP, X86Reg.R8, X86Reg.R9, X86Reg.R10, X86Reg.R11, X86Reg.R12, X86Reg.R13, X86Reg.R14,
            X86Reg.R15};
    static final int RIP = 16, EFLAGS = 17, CS = 18, ST0 = 24, FCTRL = 32, XMM0 = 40, MXCSR = 56, ORIG_RAX = 57,
            FS_BASE = 58, GS_BASE = 59, COUNT = 60;
    static final Reg[] REGS = new Reg[COUNT];

    static {
        String[] general = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11", "r12",
                "r13", "r14", "r15"};
        for (int i = 0; i < 16; i++) {
            String type = i == 6 || i == 7 ? "data_ptr" : "int64"; // rbp and rsp print as addresses
            REGS[i] = new Reg(general[i], 8, type, CORE);
        }
        REGS[RIP] = new Reg("rip", 8, "code_ptr", CORE);
        REGS[EFLAGS] = new Reg("eflags", 4, "i386_eflags", CORE);
        String[] segs = {"cs", "ss", "ds", "es", "fs", "gs"};
        for (int i = 0; i < 6; i++) REGS[CS + i] = new Reg(segs[i], 4, "int32", CORE);
        for (int i = 0; i < 8; i++) REGS[ST0 + i] = new Reg("st" + i, 10, "i387_ext", CORE);
        String[] x87 = {"fctrl", "fstat", "ftag", "fiseg", "fioff", "foseg", "fooff", "fop"};
        for (int i = 0; i < 8; i++) REGS[FCTRL + i] = new Reg(x87[i], 4, "int", CORE);
        for (int i = 0; i < 16; i++) REGS[XMM0 + i] = new Reg("xmm" + i, 16, "vec128", SSE);
        REGS[MXCSR] = new Reg("mxcsr", 4, "i386_mxcsr", SSE);
        REGS[ORIG_RAX] = new Reg("orig_rax", 8, "int", LINUX);
        REGS[FS_BASE] = new Reg("fs_base", 8, "int", SEGMENTS);
        REGS[GS_BASE] = new Reg("gs_base", 8, "int", SEGMENTS);
    }

    private RegisterFile() {}

    /** Register n of a stopped thread's engine, as gdb's bytes; origRax is the kernel's (-1 outside a syscall). */
    static byte[] read(Engine e, int n, long origRax) {
        ByteBuffer b = ByteBuffer.allocate(REGS[n].size()).order(ByteOrder.LITTLE_ENDIAN);
        if (n < 16) b.putLong(e.readReg(GENERAL[n]));
        else if (n == RIP) b.putLong(e.readReg(X86Reg.RIP));
        else if (n == EFLAGS) b.putInt((int) e.readReg(X86Reg.EFLAGS));
        else if (n < ST0) b.putInt(n == CS ? 0x33 : n == CS + 1 ? 0x2b : 0); // a 64-bit Linux process's selectors
        else if (n < FCTRL) return e.readRegBytes(X86Reg.ST0_ID + (n - ST0), 10);
        else if (n < XMM0) b.putInt(x87Control(e, n - FCTRL));
        else if (n < MXCSR) return e.readXmm(n - XMM0);
        else if (n == MXCSR) b.putInt((int) e.readReg(X86Reg.MXCSR));
        else if (n == ORIG_RAX) b.putLong(origRax);
        else b.putLong(e.readReg(n == FS_BASE ? X86Reg.FS_BASE : X86Reg.GS_BASE));
        return b.array();
    }

    /** fctrl, fstat, ftag (the full two-bit tag word), fiseg, fioff, foseg, fooff, fop. */
    private static int x87Control(Engine e, int i) {
        return switch (i) {
            case 0 -> (int) e.readReg(X86Reg.FPCW) & 0xffff;
            case 1 -> (int) e.readReg(X86Reg.FPSW) & 0xffff;
            case 2 -> (int) e.readReg(X86Reg.FPTAG) & 0xffff;
            case 4 -> (int) le(e.readRegBytes(X86Reg.FIP_ID, 8));
            case 6 -> (int) le(e.readRegBytes(X86Reg.FDP_ID, 8));
            case 7 -> (int) le(e.readRegBytes(X86Reg.FOP_ID, 2)) & 0x7ff;
            default -> 0; // the segment selectors are 0 in 64-bit mode
        };
    }

    private static long le(byte[] b) {
        long v = 0;
        for (int i = b.length - 1; i >= 0; i--) v = v << 8 | (b[i] & 0xff);
        return v;
    }

    /**
     * Writes register n; returns the new orig_rax (the kernel keeps it, not the engine). Selectors
     * are fixed in a 64-bit process and writes to them are ignored, as Linux's ptrace refuses them.
     */
    static long write(Engine e, int n, byte[] v, long origRax) {
        ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN);
        if (n < 16) e.writeReg(GENERAL[n], b.getLong(0));
        else if (n == RIP) e.writeReg(X86Reg.RIP, b.getLong(0));
        else if (n == EFLAGS) e.writeReg(X86Reg.EFLAGS, b.getInt(0) & 0xffffffffL);
        else if (n >= ST0 && n < FCTRL) e.writeRegBytes(X86Reg.ST0_ID + (n - ST0), v);
        else if (n == FCTRL) e.writeReg(X86Reg.FPCW, b.getInt(0) & 0xffff);
        else if (n == FCTRL + 1) e.writeReg(X86Reg.FPSW, b.getInt(0) & 0xffff);
        else if (n == FCTRL + 2) e.writeReg(X86Reg.FPTAG, b.getInt(0) & 0xffff);
        else if (n >= XMM0 && n < MXCSR) e.writeXmm(n - XMM0, v);
        else if (n == MXCSR) e.writeReg(X86Reg.MXCSR, b.getInt(0) & 0xffffffffL);
        else if (n == ORIG_RAX) return b.getLong(0);
        else if (n == FS_BASE) e.writeReg(X86Reg.FS_BASE, b.getLong(0));
        else if (n == GS_BASE) e.writeReg(X86Reg.GS_BASE, b.getLong(0));
        return origRax;
    }

    /** The offset of register n in the g packet's bytes, and the packet's total size. */
    static int offset(int n) {
        int off = 0;
        for (int i = 0; i < n; i++) off += REGS[i].size();
        return off;
    }

    /** The target description gdb reads with qXfer:features:read:target.xml. */
    static String targetXml() {
        StringBuilder x = new StringBuilder();
        x.append("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n");
        x.append("<architecture>i386:x86-64</architecture>\n<osabi>GNU/Linux</osabi>\n");
        String feature = null;
        for (int n = 0; n < COUNT; n++) {
            Reg r = REGS[n];
            if (!r.feature().equals(feature)) {
                if (feature != null) x.append("</feature>\n");
                feature = r.feature();
                x.append("<feature name=\"").append(feature).append("\">\n");
                if (feature.equals(CORE)) x.append(eflagsType());
                if (feature.equals(SSE)) x.append(sseTypes());
            }
            x.append("<reg name=\"").append(r.name()).append("\" bitsize=\"").append(r.size() * 8)
                    .append("\" type=\"").append(r.type()).append("\" regnum=\"").append(n).append('"');
            if (n >= XMM0 && n <= MXCSR) x.append(" group=\"vector\"");
            if (n >= ST0 && n < XMM0) x.append(" group=\"float\"");
            x.append("/>\n");
        }
        x.append("</feature>\n</target>\n");
        return x.toString();
    }

    /** EFLAGS' named bits, so gdb prints them as [ ZF PF ]. */
    private static String eflagsType() {
        return flags("i386_eflags", new String[] {"CF", "", "PF", "AF", "ZF", "SF", "TF", "IF", "DF", "OF", "NT", "RF",
                "VM", "AC", "VIF", "VIP", "ID"}, new int[] {0, 1, 2, 4, 6, 7, 8, 9, 10, 11, 14, 16, 17, 18, 19, 20, 21});
    }

    /** The XMM registers' views (as gdb shows v4_float, v2_int64, uint128...) and MXCSR's bits. */
    private static String sseTypes() {
        StringBuilder x = new StringBuilder();
        x.append("<vector id=\"v8bf16\" type=\"bfloat16\" count=\"8\"/>\n");
        x.append("<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>\n");
        x.append("<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>\n");
        x.append("<vector id=\"v16i8\" type=\"int8\" count=\"16\"/>\n");
        x.append("<vector id=\"v8i16\" type=\"int16\" count=\"8\"/>\n");
        x.append("<vector id=\"v4i32\" type=\"int32\" count=\"4\"/>\n");
        x.append("<vector id=\"v2i64\" type=\"int64\" count=\"2\"/>\n");
        x.append("<union id=\"vec128\">");
        String[][] fields = {{"v8_bfloat16", "v8bf16"}, {"v4_float", "v4f"}, {"v2_double", "v2d"}, {"v16_int8", "v16i8"},
                {"v8_int16", "v8i16"}, {"v4_int32", "v4i32"}, {"v2_int64", "v2i64"}, {"uint128", "uint128"}};
        for (String[] f : fields) x.append("<field name=\"").append(f[0]).append("\" type=\"").append(f[1]).append("\"/>");
        x.append("</union>\n");
        x.append(flags("i386_mxcsr", new String[] {"IE", "DE", "ZE", "OE", "UE", "PE", "DAZ", "IM", "DM", "ZM", "OM", "UM",
                "PM", "FZ"}, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15}));
        return x.toString();
    }

    private static String flags(String id, String[] names, int[] bits) {
        StringBuilder x = new StringBuilder("<flags id=\"" + id + "\" size=\"4\">");
        for (int i = 0; i < names.length; i++) {
            x.append("<field name=\"").append(names[i]).append("\" start=\"").append(bits[i]).append("\" end=\"")
                    .append(bits[i]).append("\"/>");
        }
        return x.append("</flags>\n").toString();
    }
}
