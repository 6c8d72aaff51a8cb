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
    void segmentsSharingAPageGetBothPermissions() throws ElfException {
        TestElf e = new TestElf();
        e.segs.add(new TestElf.Seg(ProgramHeader.PT_LOAD, 5, 0, 0x400000, 0x1800, 0x1800));
        e.segs.add(new TestElf.Seg(ProgramHeader.PT_LOAD, 6, 0x1800, 0x401800, 0x100, 0x2000));
        byte[] image = e.build();
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
