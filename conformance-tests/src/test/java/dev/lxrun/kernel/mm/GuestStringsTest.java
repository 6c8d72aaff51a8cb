package dev.lxrun.kernel.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lxrun.elf.MemoryTarget;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** NUL-terminated strings read from guest memory (every path a syscall names). */
class GuestStringsTest {
    private static final long A = 0x10000000L, PAGE = 4096;

    /** Two readable pages, each its own mapping, then nothing. */
    private static AddressSpace twoMappings() {
        AddressSpace mm = new AddressSpace();
        mm.map(A, PAGE, MemoryTarget.PROT_READ | MemoryTarget.PROT_WRITE);
        mm.map(A + PAGE, PAGE, MemoryTarget.PROT_READ | MemoryTarget.PROT_WRITE);
        mm.protect(A + PAGE, PAGE, MemoryTarget.PROT_READ);
        byte[] filler = new byte[(int) (2 * PAGE)];
        Arrays.fill(filler, (byte) 'x');
        mm.write(A, filler, 0, filler.length);
        return mm;
    }

    @Test
    void everyLengthAndAlignmentUpToAWordAndAHalf() {
        AddressSpace mm = twoMappings();
        for (int offset = 0; offset < 9; offset++) {
            for (int len = 0; len < 20; len++) {
                byte[] s = new byte[len + 1];
                for (int i = 0; i < len; i++) s[i] = (byte) ('a' + (i + offset) % 26);
                mm.write(A + offset, s, 0, s.length);
                assertArrayEquals(Arrays.copyOf(s, len), mm.readCString(A + offset, 4096), "offset " + offset + " length " + len);
                mm.write(A + offset + len, new byte[] {'x'}, 0, 1); // the NUL goes for the next case
            }
        }
    }

    @Test
    void aStringMayRunFromOneMappingIntoTheNext() {
        AddressSpace mm = twoMappings();
        mm.write(A + PAGE + 5, new byte[] {0}, 0, 1);
        byte[] want = new byte[13];
        Arrays.fill(want, (byte) 'x');
        assertArrayEquals(want, mm.readCString(A + PAGE - 8, 4096));
        assertArrayEquals("xxxxxxxxxxxxx".getBytes(StandardCharsets.US_ASCII), mm.readCString(A + PAGE - 8, 13 + 1));
    }

    @Test
    void tooLongIsNullAndRunningOffTheMappingsFaults() {
        AddressSpace mm = twoMappings();
        assertNull(mm.readCString(A, 100));
        assertThrows(GuestFault.class, () -> mm.readCString(A + PAGE + 100, 1 << 20));
    }
}
