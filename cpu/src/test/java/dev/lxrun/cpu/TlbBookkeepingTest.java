package dev.lxrun.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Stores alternating between two pages that share a TLB slot make Unicorn's used-entry count
 * wrap below zero (see TlbBookkeeping); each full flush after that doubles the TLB.
 */
class TlbBookkeepingTest {
    private static final long CODE = 0x10000, PAGE_A = 0x10000000L;
    /** 16 GiB apart: the same slot in every TLB size Unicorn allows (at most 2^22 entries). */
    private static final long PAGE_B = PAGE_A + (16L << 30);
    /** mov ecx,20000 ; l: mov [rdi],eax ; mov [rsi],eax ; dec ecx ; jnz l */
    private static final byte[] CONFLICTING_STORES = HexFormat.of().parseHex("b9204e0000" + "8907" + "8906" + "ffc9" + "75f8");
    private static final int ROUNDS = 4;

    private static Engine engine(MemorySegment[] keep) {
        Engine e = Engine.openX86_64();
        for (int i = 0; i < 3; i++) keep[i] = HostMemory.allocate(4096);
        MemorySegment.copy(MemorySegment.ofArray(CONFLICTING_STORES), 0, keep[0], 0, CONFLICTING_STORES.length);
        e.mapPtr(CODE, 4096, Prot.READ | Prot.EXEC, keep[0]);
        e.mapPtr(PAGE_A, 4096, Prot.READ | Prot.WRITE, keep[1]);
        e.mapPtr(PAGE_B, 4096, Prot.READ | Prot.WRITE, keep[2]);
        e.writeReg(X86Reg.RDI, PAGE_A);
        e.writeReg(X86Reg.RSI, PAGE_B);
        return e;
    }

    private static void storeAndFlush(Engine e, boolean throughEngine) throws Throwable {
        assertEquals(UcError.OK, e.runUntil(CODE, CODE + CONFLICTING_STORES.length));
        // A protection change that changes nothing is skipped by Unicorn; two that do flush once
        // (the second finds the TLB clean).
        for (int prot : new int[] {Prot.READ, Prot.READ | Prot.WRITE}) {
            if (throughEngine) {
                e.protect(PAGE_A, 4096, prot);
            } else {
                assertEquals(0, (int) UcNative.Mem.PROTECT.invokeExact(e.handle(), PAGE_A, 4096L, prot));
            }
        }
    }

    @Test
    void regionChangesKeepTheTlbAtItsRealUse() throws Throwable {
        assumeTrue(TlbBookkeeping.supported(), "not the Unicorn build whose TLB layout lxrun knows");
        MemorySegment[] keep = new MemorySegment[3];
        try (Engine e = engine(keep)) {
            long before = e.tlbEntries();
            for (int r = 0; r < ROUNDS; r++) storeAndFlush(e, true);
            assertTrue(e.tlbEntries() <= before, "TLB grew from " + before + " to " + e.tlbEntries() + " entries");
        }
    }

    @Test
    void withoutTheRepairTheSameStoresDoubleTheTlbAtEachFlush() throws Throwable {
        assumeTrue(TlbBookkeeping.supported(), "not the Unicorn build whose TLB layout lxrun knows");
        MemorySegment[] keep = new MemorySegment[3];
        try (Engine e = engine(keep)) {
            storeAndFlush(e, true);
            long before = e.tlbEntries();
            for (int r = 0; r < ROUNDS; r++) storeAndFlush(e, false);
            assertEquals(before << ROUNDS, e.tlbEntries());
        }
    }
}
