package dev.lxrun.syscalls;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class SysnoTest {
    @Test
    void numbersMatchTheX8664Abi() {
        assertEquals(0, Sysno.READ);
        assertEquals(1, Sysno.WRITE);
        assertEquals(60, Sysno.EXIT);
        assertEquals(231, Sysno.EXIT_GROUP);
        assertEquals(257, Sysno.OPENAT);
        assertEquals(262, Sysno.NEWFSTATAT);
        assertEquals(334, Sysno.RSEQ);
        assertEquals(435, Sysno.CLONE3);
        assertEquals(462, Sysno.MSEAL);
    }

    @Test
    void namesRoundTrip() {
        for (int nr = 0; nr <= Sysno.maxNumber(); nr++) {
            if (!Sysno.exists(nr)) continue;
            assertEquals(nr, Sysno.number(Sysno.name(nr)), Sysno.name(nr));
        }
        assertEquals("newfstatat", Sysno.name(262));
        assertEquals(-1, Sysno.number("no_such_call"));
    }

    @Test
    void gapsAndOutOfRangeAreNotSyscalls() {
        assertFalse(Sysno.exists(335)); // 335..423 are unassigned on x86-64
        assertFalse(Sysno.exists(-1));
        assertFalse(Sysno.exists(100000));
        assertEquals("syscall_335", Sysno.name(335));
    }
}
