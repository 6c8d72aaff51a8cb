package dev.lxrun.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineTest {
    private static final long CODE = 0x10000, DATA = 0x20000;

    private static Engine engineWith(String hexCode, MemorySegment[] keep) {
        Engine e = Engine.openX86_64();
        MemorySegment code = HostMemory.allocate(4096);
        MemorySegment data = HostMemory.allocate(4096);
        keep[0] = code;
        keep[1] = data;
        byte[] bytes = HexFormat.of().parseHex(hexCode.replace(" ", ""));
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, code, 0, bytes.length);
        e.mapPtr(CODE, 4096, Prot.READ | Prot.EXEC, code);
        e.mapPtr(DATA, 4096, Prot.READ | Prot.WRITE, data);
        return e;
    }

    @Test
    void syscallHookSeesArgumentsAndReturnsValue() {
        // mov rax,39 ; mov rdi,7 ; mov r10,9 ; syscall ; mov rbx,rax ; mov rax,fs:[0] ; syscall
        String code = "48c7c027000000 48c7c707000000 49c7c209000000 0f05 4889c3 64488b042500000000 0f05";
        MemorySegment[] keep = new MemorySegment[2];
        try (Engine e = engineWith(code, keep)) {
            keep[1].set(ValueLayout.JAVA_LONG, 0, 0x1122334455667788L);
            e.writeReg(X86Reg.FS_BASE, DATA);
            List<long[]> seen = new ArrayList<>();
            e.onSyscall(en -> {
                long[] regs = new long[7];
                en.readSyscallRegs(regs);
                seen.add(new long[] {regs[0], regs[1], regs[4], en.readReg(X86Reg.RIP)});
                if (seen.size() == 1) en.writeReg(X86Reg.RAX, 4242);
                else en.stop();
            });
            assertEquals(UcError.OK, e.start(CODE));
            assertEquals(2, seen.size());
            assertEquals(39, seen.get(0)[0]);
            assertEquals(7, seen.get(0)[1]);
            assertEquals(9, seen.get(0)[2]);
            assertEquals(4242, e.readReg(X86Reg.RBX));
            assertEquals(0x1122334455667788L, seen.get(1)[0]);
            System.out.println("RIP in hook = 0x" + Long.toHexString(seen.get(0)[3]) + " (syscall insn at 0x" + Long.toHexString(CODE + 21) + ")");
            assertEquals(DATA, e.readReg(X86Reg.FS_BASE));
        }
    }

    @Test
    void unmappedReadIsReportedAsFault() {
        // mov rax, [0x900000]
        MemorySegment[] keep = new MemorySegment[2];
        try (Engine e = engineWith("488b042500009000", keep)) {
            UcError err = e.start(CODE);
            assertTrue(err.isMemoryFault(), err.toString());
            assertEquals(UcError.READ_UNMAPPED, err);
        }
    }

    @Test
    void divideByZeroRaisesVectorZero() {
        // xor ecx,ecx ; mov eax,1 ; div ecx
        MemorySegment[] keep = new MemorySegment[2];
        try (Engine e = engineWith("31c9 b801000000 f7f1", keep)) {
            int[] vec = {-1};
            e.onInterrupt((en, v) -> { vec[0] = v; en.stop(); });
            e.start(CODE);
            assertEquals(0, vec[0]);
        }
    }

    @Test
    void invalidInstruction() {
        MemorySegment[] keep = new MemorySegment[2];
        try (Engine e = engineWith("0f0b", keep)) {
            int[] vec = {-1};
            e.onInterrupt((en, v) -> { vec[0] = v; en.stop(); });
            UcError err = e.start(CODE);
            assertTrue(err == UcError.INSN_INVALID || vec[0] == 6, err + " vec " + vec[0]);
        }
    }

    @Test
    void xmmRoundTrip() {
        MemorySegment[] keep = new MemorySegment[2];
        try (Engine e = engineWith("90", keep)) {
            byte[] v = new byte[16];
            for (int i = 0; i < 16; i++) v[i] = (byte) (i * 7);
            e.writeXmm(3, v);
            assertArrayEquals(v, e.readXmm(3));
        }
    }

    @Test
    void exceptionInCallbackIsRethrownNotFatal() {
        MemorySegment[] keep = new MemorySegment[2];
        try (Engine e = engineWith("0f05 0f05", keep)) {
            e.onSyscall(en -> { throw new IllegalStateException("boom"); });
            IllegalStateException ex = assertThrows(IllegalStateException.class, () -> e.start(CODE));
            assertEquals("boom", ex.getMessage());
        }
    }

    @Test
    void mapErrorsCarryUnicornMessage() {
        try (Engine e = Engine.openX86_64()) {
            MemorySegment m = HostMemory.allocate(4096);
            UnicornException ex = assertThrows(UnicornException.class, () -> e.mapPtr(0x1001, 4096, Prot.READ, m));
            assertTrue(ex.getMessage().startsWith("uc_mem_map_ptr: "), ex.getMessage());
            assertEquals(UcError.ARG, ex.error());
        }
    }
}
