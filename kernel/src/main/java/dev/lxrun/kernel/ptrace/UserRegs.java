package dev.lxrun.kernel.ptrace;

import dev.lxrun.cpu.Engine;
import dev.lxrun.cpu.X86Reg;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * struct user_regs_struct (x86-64, 27 words) read from and written to a stopped tracee's engine,
 * as Linux shows them: orig_rax beside rax, segment selectors of a 64-bit user process, and the
 * rip after the SYSCALL instruction while the tracee is stopped inside the syscall hook (where
 * Unicorn still holds the instruction's own address and adds its length on return).
 */
final class UserRegs {
    static final int SIZE = 27 * 8;
    static final int ORIG_RAX = 15, RIP = 16, CS = 17, EFLAGS = 18, SS = 20, FS_BASE = 21, GS_BASE = 22;
    private static final X86Reg[] ORDER = {X86Reg.R15, X86Reg.R14, X86Reg.R13, X86Reg.R12, X86Reg.RBP, X86Reg.RBX,
            X86Reg.R11, X86Reg.R10, X86Reg.R9, X86Reg.R8, X86Reg.RAX, X86Reg.RCX, X86Reg.RDX, X86Reg.RSI, X86Reg.RDI,
            null, X86Reg.RIP, null, X86Reg.EFLAGS, X86Reg.RSP, null, X86Reg.FS_BASE, X86Reg.GS_BASE, null, null, null, null};
    /** EFLAGS bits a tracer may set (Linux's FLAG_MASK: not IOPL, VM, VIF/VIP...). */
    private static final long FLAG_MASK = 0x40DD5L | 0x100 /* TF */ | 0x200000 /* ID */;

    private UserRegs() {}

    static long get(Tracee tr, int index) {
        Engine e = tr.task.engine();
        return switch (index) {
            case ORIG_RAX -> tr.origRax;
            case RIP -> e.readReg(X86Reg.RIP) + (tr.inHook ? 2 : 0);
            case CS -> 0x33;
            case SS -> 0x2b;
            case 23, 24, 25, 26 -> 0; // ds, es, fs, gs: null selectors in a 64-bit process
            default -> e.readReg(ORDER[index]);
        };
    }

    /** Writes one register; false when the value is one Linux refuses (a segment selector it would not load). */
    static boolean set(Tracee tr, int index, long value) {
        Engine e = tr.task.engine();
        switch (index) {
            case ORIG_RAX -> tr.origRax = value;
            case RIP -> e.writeReg(X86Reg.RIP, value - (tr.inHook ? 2 : 0));
            case EFLAGS -> e.writeReg(X86Reg.EFLAGS, (e.readReg(X86Reg.EFLAGS) & ~FLAG_MASK) | (value & FLAG_MASK));
            case CS -> { return value == 0x33; }
            case SS -> { return value == 0x2b; }
            case 23, 24, 25, 26 -> { return value == 0; }
            case FS_BASE, GS_BASE -> {
                if (Long.compareUnsigned(value, 0x7ffffffff000L) >= 0) return false;
                e.writeReg(ORDER[index], value);
            }
            default -> e.writeReg(ORDER[index], value);
        }
        return true;
    }

    static byte[] read(Tracee tr) {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 27; i++) b.putLong(8 * i, get(tr, i));
        return b.array();
    }

    static boolean write(Tracee tr, byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        for (int i : new int[] {CS, SS, 23, 24, 25, 26, FS_BASE, GS_BASE}) {
            long v = b.getLong(8 * i);
            if (i == CS && v != 0x33 || i == SS && v != 0x2b) return false;
            if (i >= 23 && v != 0) return false;
            if ((i == FS_BASE || i == GS_BASE) && Long.compareUnsigned(v, 0x7ffffffff000L) >= 0) return false;
        }
        for (int i = 0; i < 27; i++) set(tr, i, b.getLong(8 * i));
        return true;
    }
}
