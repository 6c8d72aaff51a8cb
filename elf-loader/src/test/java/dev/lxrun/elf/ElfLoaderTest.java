package dev.lxrun.elf;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class ElfLoaderTest {
    @Test
    void mapsSegmentsWithBssAndFinalProtections() throws ElfException {
        byte[] image = TestElf.staticExec().build();
        ElfFile f = ElfFile.parse(image);
        FakeMemory mem = new FakeMemory();
        LoadedImage li = ElfLoader.load(f, image, mem, 0);
        assertEquals(0x401000, li.entry());
        assertEquals(0x400040, li.phdrAddr());
        assertEquals(0x405000, li.highAddr());
        assertEquals(MemoryTarget.PROT_READ, mem.prot.get(0x400000L));
        assertEquals(MemoryTarget.PROT_READ | MemoryTarget.PROT_EXEC, mem.prot.get(0x401000L));
        assertEquals(MemoryTarget.PROT_READ | MemoryTarget.PROT_WRITE, mem.prot.get(0x402000L));
        assertEquals(MemoryTarget.PROT_READ | MemoryTarget.PROT_WRITE, mem.prot.get(0x404000L));
        assertEquals((byte) 0xAB, mem.page(0x401000)[0]);
        assertEquals((byte) 0xAB, mem.page(0x402000)[0x7ff]);
        assertEquals(0, mem.page(0x402000)[0x800], "bss after file data is zero");
        assertEquals(0, mem.page(0x404000)[0]);
        assertFalse(mem.pages.containsKey(0x405000L));
    }

    @Test
    void segmentsAreMappedFromTheFileWithTheBssTailZeroed() throws ElfException {
        byte[] image = TestElf.staticExec().build();
        FakeMemory mem = new FakeMemory();
        mem.file = image;
        ElfLoader.load(ElfFile.parse(image), image, mem, 0);
        assertEquals(3, mem.fileMaps.size());
        assertArrayEquals(new long[] {0x400000, 0x1000, 0}, mem.fileMaps.get(0));
        assertArrayEquals(new long[] {0x401000, 0x1000, 0x1000}, mem.fileMaps.get(1));
        assertArrayEquals(new long[] {0x402000, 0x1000, 0x2000}, mem.fileMaps.get(2), "only the data's file page");
        assertEquals((byte) 0xAB, mem.page(0x402000)[0x7ff]);
        assertEquals(0, mem.page(0x402000)[0x800], "the file page past the data is zeroed for the bss");
        assertEquals(0, mem.page(0x404000)[0xfff], "the rest of the bss is fresh memory");
        assertFalse(mem.pages.containsKey(0x405000L));
        assertEquals(MemoryTarget.PROT_READ | MemoryTarget.PROT_EXEC, mem.prot.get(0x401000L));
        assertEquals(MemoryTarget.PROT_READ | MemoryTarget.PROT_WRITE, mem.prot.get(0x404000L));
    }

    @Test
    void withoutBssTheLastFilePageKeepsTheFileBytesAfterTheSegment() throws ElfException {
        TestElf e = new TestElf();
        e.segs.add(new TestElf.Seg(ProgramHeader.PT_LOAD, 5, 0x1000, 0x401000, 0x800, 0x800));
        byte[] image = e.build();
        FakeMemory mem = new FakeMemory();
        mem.file = image;
        ElfLoader.load(ElfFile.parse(image), image, mem, 0);
        assertEquals((byte) 0xAB, mem.page(0x401000)[0x900], "as Linux maps the whole page of the file");
    }

    /** Text ending and data starting inside the page at 0x401000. */
    private static byte[] sharingAPage() {
        TestElf e = new TestElf();
        e.segs.add(new TestElf.Seg(ProgramHeader.PT_LOAD, 5, 0, 0x400000, 0x1800, 0x1800));
        e.segs.add(new TestElf.Seg(ProgramHeader.PT_LOAD, 6, 0x1800, 0x401800, 0x100, 0x2000));
        return e.build();
    }

    @Test
    void segmentsSharingAPageAreCopiedEvenWhenFilesCanBeMapped() throws ElfException {
        byte[] image = sharingAPage();
        FakeMemory mem = new FakeMemory();
        mem.file = image;
        ElfLoader.load(ElfFile.parse(image), image, mem, 0);
        assertTrue(mem.fileMaps.isEmpty());
        assertEquals(7, mem.prot.get(0x401000L));
    }

    @Test
    void segmentsSharingAPageGetBothPermissions() throws ElfException {
        byte[] image = sharingAPage();
        FakeMemory mem = new FakeMemory();
        ElfLoader.load(ElfFile.parse(image), image, mem, 0);
        assertEquals(MemoryTarget.PROT_READ | MemoryTarget.PROT_EXEC, mem.prot.get(0x400000L));
        assertEquals(7, mem.prot.get(0x401000L), "shared page is R|W|X");
        assertEquals(MemoryTarget.PROT_READ | MemoryTarget.PROT_WRITE, mem.prot.get(0x402000L));
        assertEquals((byte) 0xAB, mem.page(0x401000)[0x7ff], "text bytes kept in the shared page");
        assertEquals((byte) 0xAB, mem.page(0x401800)[0x800 - 1 + 1 - 1]);
    }

    @Test
    void dynImagesAreRelocatedByTheBias() throws ElfException {
        TestElf e = TestElf.staticExec();
        e.etype = 3;
        e.segs.replaceAll(s -> new TestElf.Seg(s.type(), s.flags(), s.offset(), s.vaddr() == 0 ? 0 : s.vaddr() - 0x400000,
                s.filesz(), s.memsz()));
        e.entry = 0x1000;
        byte[] image = e.build();
        ElfFile f = ElfFile.parse(image);
        FakeMemory mem = new FakeMemory();
        long bias = ElfLoader.chooseBias(f, mem, 0x555555554000L);
        assertEquals(0x555555554000L, bias);
        LoadedImage li = ElfLoader.load(f, image, mem, bias);
        assertEquals(0x555555555000L, li.entry());
        assertEquals(0x555555554040L, li.phdrAddr());
    }
}
