package dev.lxrun.cpu;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** The copy a fork makes of anonymous memory: every page that was touched, and only those. */
class HostMemoryTest {
    private static final long PAGE = HostMemory.PAGE;

    @Test
    void copiesTouchedPagesOnly() {
        MemorySegment src = HostMemory.allocate(16 * PAGE), dst = HostMemory.allocate(16 * PAGE);
        try {
            src.set(JAVA_BYTE, PAGE + 7, (byte) 1);
            src.set(JAVA_BYTE, 5 * PAGE, (byte) 2);
            src.set(JAVA_BYTE, 6 * PAGE + 4095, (byte) 3);
            // Touched, but written with a zero: still a page the host materialised.
            src.set(JAVA_BYTE, 9 * PAGE, (byte) 0);
            src.set(JAVA_BYTE, 15 * PAGE + 1, (byte) 4);

            long copied = HostMemory.copyResident(src, dst);

            assertEquals(5 * PAGE, copied, "pages 1, 5, 6, 9 and 15");
            assertEquals(-1L, src.mismatch(dst));
        } finally {
            HostMemory.release(src.address(), src.byteSize());
            HostMemory.release(dst.address(), dst.byteSize());
        }
    }

    @Test
    void copiesNothingOfUntouchedMemory() {
        MemorySegment src = HostMemory.allocate(64 * PAGE), dst = HostMemory.allocate(64 * PAGE);
        try {
            assertEquals(0, HostMemory.copyResident(src, dst));
        } finally {
            HostMemory.release(src.address(), src.byteSize());
            HostMemory.release(dst.address(), dst.byteSize());
        }
    }
}
