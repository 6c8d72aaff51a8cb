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
    void programHeadersAreCheckedAgainstTheWholeFileNotTheHeadRead() {
        byte[] file = TestElf.staticExec().build();
        byte[] head = Arrays.copyOf(file, 1024);
        assertDoesNotThrow(() -> ElfFile.parse(head, file.length));
        ElfException ex = assertThrows(ElfException.class, () -> ElfFile.parse(head, 200));
        assertEquals(ElfException.Reason.TRUNCATED, ex.reason());
        assertEquals(0x2400, ElfFile.headBytesNeeded(Arrays.copyOf(file, 10), 0x2400), "not enough to tell: the whole file");
    }

    /** Segments past the end of the file are mapped as mmap maps them (Linux maps them too and faults on access). */
    @Test
    void segmentsPastTheEndOfTheFileAreNoParseError() throws ElfException {
        byte[] file = TestElf.staticExec().build();
        assertNull(ElfFile.parse(Arrays.copyOf(file, 1024), 0x2400).loadProblem(0x7ffffffff000L));
    }

    /** What binfmt_elf refuses only while mapping, after the point of no return (the process then dies of SIGSEGV). */
    @Test
    void mappingProblemsAreFoundAfterParsing() throws ElfException {
        long task = 0x7ffffffff000L;
        TestElf noLoad = new TestElf();
        noLoad.segs.add(new TestElf.Seg(ProgramHeader.PT_GNU_STACK, 6, 0, 0, 0, 0));
        assertNotNull(ElfFile.parse(noLoad.build()).loadProblem(task));
        TestElf fileAboveMem = TestElf.staticExec();
        fileAboveMem.segs.set(2, new TestElf.Seg(ProgramHeader.PT_LOAD, 6, 0x2000, 0x402000, 0x900, 0x800));
        assertNotNull(ElfFile.parse(fileAboveMem.build()).loadProblem(task));
        TestElf skewed = TestElf.staticExec();
        skewed.segs.set(1, new TestElf.Seg(ProgramHeader.PT_LOAD, 5, 0x1010, 0x401000, 0x100, 0x100));
        assertNotNull(ElfFile.parse(skewed.build()).loadProblem(task));
        TestElf hugeOffset = TestElf.staticExec();
        hugeOffset.segs.set(0, new TestElf.Seg(ProgramHeader.PT_LOAD, 4, 0x7ffffffffffff000L, 0x400000, 0x1000, 0x1000));
        assertNotNull(ElfFile.parse(hugeOffset.build()).loadProblem(task));
        TestElf highEntry = TestElf.staticExec();
        highEntry.entry = 0xffff800000000000L;
        assertNotNull(ElfFile.parse(highEntry.build()).loadProblem(task));
        assertNull(ElfFile.parse(TestElf.staticExec().build()).loadProblem(task));
    }

    @Test
    void onlyTheFirstInterpreterCountsAndItsPathEndsAtItsFirstNul() throws ElfException {
        TestElf e = withInterpreter();
        e.extra = "/lib/ld.so\0junk\0".getBytes(StandardCharsets.US_ASCII);
        e.segs.set(4, new TestElf.Seg(ProgramHeader.PT_INTERP, 4, 0x800, 0x400800, e.extra.length, e.extra.length));
        e.segs.add(new TestElf.Seg(ProgramHeader.PT_INTERP, 4, 0x800, 0x400800, 1, 1));
        assertEquals("/lib/ld.so", ElfFile.parse(e.build()).interpreter().orElseThrow());
    }

    @Test
    void interpreterPathReadErrorsAreLinuxs() {
        TestElf shortRead = withInterpreter();
        shortRead.segs.set(4, new TestElf.Seg(ProgramHeader.PT_INTERP, 4, 0x2ff0, 0, 0x20, 0x20));
        assertEquals(ElfException.Reason.READ_FAILED, reasonFor(shortRead.build()));
        TestElf negative = withInterpreter();
        negative.segs.set(4, new TestElf.Seg(ProgramHeader.PT_INTERP, 4, -4096, 0, 0x20, 0x20));
        assertEquals(ElfException.Reason.BAD_OFFSET, reasonFor(negative.build()));
        TestElf tooLong = withInterpreter();
        tooLong.segs.set(4, new TestElf.Seg(ProgramHeader.PT_INTERP, 4, 0x800, 0, 4097, 4097));
        assertEquals(ElfException.Reason.MALFORMED, reasonFor(tooLong.build()));
    }

    @Test
    void aLoaderIsElibbadWhenNotX8664Elf() {
        byte[] notElf = "#!/bin/sh\n".repeat(10).getBytes();
        assertEquals(ElfException.Reason.BAD_INTERPRETER,
                assertThrows(ElfException.class, () -> ElfFile.parseInterpreter(notElf, notElf.length)).reason());
        byte[] tiny = Arrays.copyOf(TestElf.staticExec().build(), 40);
        assertEquals(ElfException.Reason.READ_FAILED,
                assertThrows(ElfException.class, () -> ElfFile.parseInterpreter(tiny, tiny.length)).reason());
        TestElf arm = TestElf.staticExec();
        arm.machine = 183;
        byte[] a = arm.build();
        assertEquals(ElfException.Reason.BAD_INTERPRETER,
                assertThrows(ElfException.class, () -> ElfFile.parseInterpreter(a, a.length)).reason());
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
        TestElf i386 = TestElf.staticExec();
        i386.machine = 3;
        byte[] c32 = i386.build();
        c32[4] = 1;
        assertEquals(ElfException.Reason.WRONG_CLASS, reasonFor(c32));
        TestElf ppc = TestElf.staticExec();
        ppc.machine = 21 << 8; // EM_PPC64 read big-endian
        byte[] be = ppc.build();
        be[5] = 2;
        assertEquals(ElfException.Reason.WRONG_ENDIAN, reasonFor(be));
        // Linux looks at e_machine only: class, data and version bytes of an x86-64 file do not matter
        byte[] odd = good.clone();
        odd[4] = 1;
        odd[5] = 2;
        odd[6] = 9;
        assertDoesNotThrow(() -> ElfFile.parse(odd));
        TestElf many = TestElf.staticExec();
        while (many.segs.size() < 74) many.segs.add(new TestElf.Seg(ProgramHeader.PT_NOTE, 4, 0, 0, 0, 0));
        assertDoesNotThrow(() -> ElfFile.parse(many.build()), "more than a page of program headers: Linux 6.18 reads up to 64 KiB");
        byte[] tooMany = good.clone();
        tooMany[56] = (byte) (1171 & 0xff);
        tooMany[57] = (byte) (1171 >> 8);
        assertEquals(ElfException.Reason.MALFORMED, reasonFor(tooMany), "more than 64 KiB of program headers");
        TestElf arm = TestElf.staticExec();
        arm.machine = 183;
        ElfException armEx = assertThrows(ElfException.class, () -> ElfFile.parse(arm.build()));
        assertEquals("ELF for AArch64, not x86-64", armEx.getMessage());
        TestElf rel = TestElf.staticExec();
        rel.etype = 1;
        assertEquals(ElfException.Reason.NOT_EXECUTABLE, reasonFor(rel.build()));
        for (int len : new int[] {5, 30, 63, 100}) {
            assertNotEquals(null, reasonFor(Arrays.copyOf(good, len)), "length " + len);
        }
        assertEquals(ElfException.Reason.TRUNCATED, reasonFor(Arrays.copyOf(good, 100)));
    }
}
