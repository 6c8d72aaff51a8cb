package dev.lxrun.elf;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InitialStackTest {
    static final long TOP = 0x7ffffffff000L;

    @Test
    void layoutIsLinuxs() {
        FakeMemory mem = new FakeMemory();
        mem.map(TOP - 0x10000, 0x10000, 3);
        byte[] random = new byte[16];
        for (int i = 0; i < 16; i++) random[i] = (byte) (i + 1);
        List<InitialStack.AuxEntry> aux = List.of(
                new InitialStack.AuxEntry(Auxv.AT_PAGESZ, 4096),
                new InitialStack.AuxEntry(Auxv.AT_ENTRY, 0x401000),
                new InitialStack.AuxEntry(Auxv.AT_SECURE, 0));
        long sp = InitialStack.build(mem, TOP, List.of("prog", "arg 1", "\u00e9"), List.of("A=1", "B="), aux, random,
                "/bin/prog", "x86_64");
        assertEquals(0, sp % 16, "rsp is 16-byte aligned at entry");
        assertEquals(3, mem.readLong(sp));
        assertEquals("prog", mem.readString(mem.readLong(sp + 8)));
        assertEquals("arg 1", mem.readString(mem.readLong(sp + 16)));
        assertEquals("\u00e9", mem.readString(mem.readLong(sp + 24)), "bytes pass through unchanged");
        assertEquals(0, mem.readLong(sp + 32));
        assertEquals("A=1", mem.readString(mem.readLong(sp + 40)));
        assertEquals("B=", mem.readString(mem.readLong(sp + 48)));
        assertEquals(0, mem.readLong(sp + 56));
        Map<Long, Long> auxv = new HashMap<>();
        List<Long> order = new java.util.ArrayList<>();
        for (long p = sp + 64; ; p += 16) {
            long key = mem.readLong(p);
            order.add(key);
            auxv.put(key, mem.readLong(p + 8));
            if (key == Auxv.AT_NULL) break;
        }
        assertEquals(List.of(6L, 9L, 23L, 25L, 31L, 15L, 0L), order, "caller entries, AT_RANDOM after AT_SECURE, then EXECFN, PLATFORM, NULL");
        assertEquals("/bin/prog", mem.readString(auxv.get((long) Auxv.AT_EXECFN)));
        assertEquals("x86_64", mem.readString(auxv.get((long) Auxv.AT_PLATFORM)));
        long rnd = auxv.get((long) Auxv.AT_RANDOM);
        for (int i = 0; i < 16; i++) assertEquals(i + 1, mem.page(rnd + i)[(int) ((rnd + i) & 4095)]);
        assertEquals(0, mem.readLong(TOP - 8), "the top word is zero");
        long argStr = mem.readLong(sp + 8);
        assertTrue(argStr < mem.readLong(sp + 40) && mem.readLong(sp + 40) < auxv.get((long) Auxv.AT_EXECFN),
                "argv strings below envp strings below the file name");
    }
}
