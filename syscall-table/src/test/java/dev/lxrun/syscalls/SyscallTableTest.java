package dev.lxrun.syscalls;

import static org.junit.jupiter.api.Assertions.*;

import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class SyscallTableTest {
    private SyscallTable<LongSupplier> table() {
        return new SyscallTable<LongSupplier>()
                .supported(Sysno.GETPID, () -> 42)
                .partial(Sysno.MMAP, "no huge pages", () -> 0)
                .unimplemented(Sysno.RSEQ, "not needed");
    }

    @Test
    void lookupNeverFailsAndUnregisteredIsUnimplemented() {
        var t = table();
        assertEquals(42, t.lookup(Sysno.GETPID).handler().getAsLong());
        assertInstanceOf(Support.Partial.class, t.lookup(Sysno.MMAP).support());
        assertNull(t.lookup(Sysno.RSEQ).handler());
        assertEquals("not needed", t.lookup(Sysno.RSEQ).support().detail());
        var fork = t.lookup(Sysno.FORK);
        assertNull(fork.handler());
        assertEquals("unimplemented", fork.support().label());
        assertNull(t.lookup(-5).handler());
        assertNull(t.lookup(1 << 20).handler());
        assertNull(t.lookup(400).handler());
    }

    @Test
    void countsCoverEverySyscall() {
        var c = table().counts();
        assertEquals(1, c.get(SyscallTable.Level.SUPPORTED));
        assertEquals(1, c.get(SyscallTable.Level.PARTIAL));
        int total = 0;
        for (int nr = 0; nr <= Sysno.maxNumber(); nr++) if (Sysno.exists(nr)) total++;
        assertEquals(total - 2, c.get(SyscallTable.Level.UNIMPLEMENTED));
    }

    @Test
    void registrationMistakesAreCaught() {
        var t = table();
        assertThrows(IllegalStateException.class, () -> t.supported(Sysno.GETPID, () -> 1));
        assertThrows(IllegalArgumentException.class, () -> t.supported(400, () -> 1));
        assertThrows(IllegalArgumentException.class, () -> t.supported(Sysno.READ, null));
    }

    @Test
    void aLookedUpGapCanStillBeRegisteredOnceAndThenAnswers() {
        var t = table();
        assertNull(t.lookup(Sysno.SOCKET).handler()); // e.g. asked before net-shim installed its rows
        t.partial(Sysno.SOCKET, "host sockets", () -> 7);
        assertEquals(7, t.lookup(Sysno.SOCKET).handler().getAsLong());
        assertEquals("host sockets", t.lookup(Sysno.SOCKET).support().detail());
        assertThrows(IllegalStateException.class, () -> t.supported(Sysno.SOCKET, () -> 1));
    }

    @Test
    void reportListsEveryEntry() {
        SyscallReport r = new SyscallReport(table());
        String text = r.text();
        assertTrue(text.contains("39   getpid                   supported"), text.lines().limit(45).toList().toString());
        assertTrue(text.contains("mmap                     partial        no huge pages"));
        String json = r.json();
        assertTrue(json.contains("{\"number\": 334, \"name\": \"rseq\", \"support\": \"unimplemented\", \"note\": \"not needed\"}"));
        assertTrue(json.contains("\"counts\": {\"supported\": 1, \"partial\": 1"));
        assertEquals("\"a\\\"b\\\\c\\n\"", SyscallReport.quote("a\"b\\c\n"));
    }
}
