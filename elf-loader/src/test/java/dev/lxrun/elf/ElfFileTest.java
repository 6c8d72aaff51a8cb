package dev.lxrun.elf;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ElfFileTest {
    @Test
    void parsesAStaticExecutable() throws ElfException {
        ElfFile f = ElfFile.parse(TestElf.staticExec().build());
        assertEquals(ElfFile.ElfType.EXEC, f.type());
        assertEquals(0x401000, f.entry());
        assertEquals(4, f.phnum());
        assertTrue(f.interpreter().isEmpty());
        assertFalse(f.isStaticPie());
        assertFalse(f.executableStack());
        assertArrayEquals(new long[] {0x400000, 0x405000}, f.loadSpan());
    }

    /** A PIE asking for /lib64/ld-linux-x86-64.so.2, its path at file offset 0x800. */
    private static TestElf withInterpreter() {
        TestElf e = TestElf.staticExec();
        e.etype = 3;
        e.extra = "/lib64/ld-linux-x86-64.so.2\0".getBytes(StandardCharsets.US_ASCII);
        e.segs.add(new TestElf.Seg(ProgramHeader.PT_INTERP, 4, 0x800, 0x400800, e.extra.length, e.extra.length));
        return e;
    }

    @Test
    void recordsTheInterpreter() throws ElfException {
        TestElf e = withInterpreter();
        ElfFile f = ElfFile.parse(e.build());
        assertEquals("/lib64/ld-linux-x86-64.so.2", f.interpreter().orElseThrow());
        assertFalse(f.isStaticPie());
    }

    @Test
    void theHeadersAndInterpreterPathAreAllAParseNeedsOfTheFile() throws ElfException {
        TestElf e = withInterpreter();
        byte[] file = e.build();
        assertEquals(0x800 + e.extra.length, ElfFile.headBytesNeeded(Arrays.copyOf(file, 4096), file.length));
        assertEquals(64 + 5 * 56, ElfFile.headBytesNeeded(Arrays.copyOf(file, 100), file.length), "the program headers first");
        ElfFile f = ElfFile.parse(Arrays.copyOf(file, 0x800 + e.extra.length), file.length);
        assertEquals("/lib64/ld-linux-x86-64.so.2", f.interpreter().orElseThrow());
        assertEquals(5, f.phnum());
    }

    @Test
    void segmentsAreCheckedAgainstTheWholeFileNotTheHeadRead() {
        byte[] file = TestElf.staticExec().build();
        byte[] head = Arrays.copyOf(file, 1024);
        assertDoesNotThrow(() -> ElfFile.parse(head, file.length));
        ElfException ex = assertThrows(ElfException.class, () -> ElfFile.parse(head, 0x2400));
        assertEquals(ElfException.Reason.TRUNCATED, ex.reason());
        assertEquals(0x2400, ElfFile.headBytesNeeded(Arrays.copyOf(file, 10), 0x2400), "not enough to tell: the whole file");
    }

    @Test
    void staticPieIsDynWithoutInterpreter() throws ElfException {
        TestElf e = TestElf.staticExec();
        e.etype = 3;
        assertTrue(ElfFile.parse(e.build()).isStaticPie());
    }

    private static ElfException.Reason reasonFor(byte[] image) {
        return assertThrows(ElfException.class, () -> ElfFile.parse(image)).reason();
    }

    @Test
    void refusesWhatLinuxRefuses() {
        byte[] good = TestElf.staticExec().build();
        assertEquals(ElfException.Reason.NOT_ELF, reasonFor("#!/bin/sh\n".getBytes()));
        assertEquals(ElfException.Reason.NOT_ELF, reasonFor(new byte[0]));
        byte[] c32 = good.clone();
        c32[4] = 1;
        assertEquals(ElfException.Reason.WRONG_CLASS, reasonFor(c32));
        byte[] be = good.clone();
        be[5] = 2;
        assertEquals(ElfException.Reason.WRONG_ENDIAN, reasonFor(be));
        TestElf arm = TestElf.staticExec();
        arm.machine = 183;
        ElfException armEx = assertThrows(ElfException.class, () -> ElfFile.parse(arm.build()));
        assertEquals("ELF for AArch64, not x86-64", armEx.getMessage());
        TestElf rel = TestElf.staticExec();
        rel.etype = 1;
        assertEquals(ElfException.Reason.NOT_EXECUTABLE, reasonFor(rel.build()));
        for (int len : new int[] {5, 30, 63, 100, 0x2100}) {
            assertEquals(ElfException.Reason.TRUNCATED, reasonFor(Arrays.copyOf(good, len)), "length " + len);
        }
        TestElf noLoad = new TestElf();
        noLoad.segs.add(new TestElf.Seg(ProgramHeader.PT_GNU_STACK, 6, 0, 0, 0, 0));
        assertEquals(ElfException.Reason.MALFORMED, reasonFor(noLoad.build()));
        TestElf bad = TestElf.staticExec();
        bad.segs.set(2, new TestElf.Seg(ProgramHeader.PT_LOAD, 6, 0x2000, 0x402000, 0x900, 0x800));
        assertEquals(ElfException.Reason.MALFORMED, reasonFor(bad.build()));
    }
}
