package dev.lxrun.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InitialCpuStateTest {
    private static final long CODE = 0x10000, DATA = 0x20000;

    @Test
    void execStateIsLinuxsAndRunsAtCpl3() {
        MemorySegment code = HostMemory.allocate(4096), data = HostMemory.allocate(4096);
        // fnstcw [DATA] ; stmxcsr [DATA+8] ; mov [DATA+16], cs ; cli
        byte[] bytes = {(byte) 0xd9, 0x3c, 0x25, 0x00, 0x00, 0x02, 0x00, 0x0f, (byte) 0xae, 0x1c, 0x25, 0x08, 0x00, 0x02, 0x00,
                (byte) 0x8c, 0x0c, 0x25, 0x10, 0x00, 0x02, 0x00, (byte) 0xfa};
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, code, 0, bytes.length);
        try (Engine e = Engine.openX86_64()) {
            e.mapPtr(CODE, 4096, Prot.READ | Prot.EXEC, code);
            e.mapPtr(DATA, 4096, Prot.READ | Prot.WRITE, data);
            e.restoreContext(InitialCpuState.context());
            assertEquals(0x37f, e.readReg(X86Reg.FPCW));
            assertEquals(0x1f80, e.readReg(X86Reg.MXCSR));
            assertEquals(0xffff, e.readReg(X86Reg.FPTAG));
            assertEquals(0x202, e.readReg(X86Reg.EFLAGS));
            assertEquals(0x2b, e.readReg(X86Reg.SS));
            List<Integer> vectors = new ArrayList<>();
            e.onInterrupt((en, v) -> {
                vectors.add(v);
                en.stop();
            });
            e.start(CODE);
            assertEquals(0x37f, data.get(ValueLayout.JAVA_SHORT, 0));
            assertEquals(0x1f80, data.get(ValueLayout.JAVA_INT, 8));
            assertEquals(0x33, data.get(ValueLayout.JAVA_SHORT, 16));
            assertEquals(List.of(13), vectors, "cli at CPL 3 is #GP");
        } finally {
            HostMemory.release(code.address(), 4096);
            HostMemory.release(data.address(), 4096);
        }
    }

    @Test
    void everyDivisionByZeroIsADivideErrorOnceForgotten() {
        MemorySegment code = HostMemory.allocate(4096);
        code.set(ValueLayout.JAVA_BYTE, 0, (byte) 0xf7);
        code.set(ValueLayout.JAVA_BYTE, 1, (byte) 0xf1); // div ecx
        try (Engine e = Engine.openX86_64()) {
            e.mapPtr(CODE, 4096, Prot.READ | Prot.EXEC, code);
            e.restoreContext(InitialCpuState.context());
            List<Integer> vectors = new ArrayList<>();
            e.onInterrupt((en, v) -> {
                vectors.add(v);
                en.stop();
            });
            for (int i = 0; i < 3; i++) {
                e.start(CODE);
                e.forgetLastException();
            }
            assertEquals(List.of(0, 0, 0), vectors);
        } finally {
            HostMemory.release(code.address(), 4096);
        }
    }
}
