package dev.lxrun.syscalls;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class ErrnoTest {
    @Test
    void valuesAndMessages() {
        assertEquals(2, Errno.ENOENT);
        assertEquals(38, Errno.ENOSYS);
        assertEquals(Errno.EAGAIN, Errno.EWOULDBLOCK);
        assertEquals("ENOENT", Errno.name(2));
        assertEquals("No such file or directory", Errno.message(Errno.ENOENT));
        assertEquals("Function not implemented", Errno.message(Errno.ENOSYS));
        assertEquals("Unknown error 9999", Errno.message(9999));
    }

    @Test
    void errorRangeIsTheKernels() {
        assertTrue(Errno.isError(-1));
        assertTrue(Errno.isError(-4095));
        assertFalse(Errno.isError(-4096)); // a valid pointer or value, not an error
        assertFalse(Errno.isError(0));
    }
}
