package dev.lxrun.syscalls;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StraceFormatterTest {
    /** A fake guest memory: one readable string region at 0x1000. */
    private static GuestMemoryReader memory(String content) {
        byte[] bytes = (content + "\0").getBytes(StandardCharsets.ISO_8859_1);
        return (addr, len) -> {
            int off = (int) (addr - 0x1000);
            if (addr < 0x1000 || off >= bytes.length) throw new IllegalStateException("unmapped");
            return Arrays.copyOfRange(bytes, off, Math.min(bytes.length, off + len));
        };
    }

    private final StraceFormatter f = new StraceFormatter();

    @Test
    void decodesPathsFlagsAndResults() {
        long[] args = {-100, 0x1000, 0x80000 | 0x40 | 1, 0644, 0, 0};
        assertEquals("openat(AT_FDCWD, \"/etc/passwd\", O_WRONLY|O_CREAT|O_CLOEXEC, 0644) = 3",
                f.format(Sysno.OPENAT, args, 3, memory("/etc/passwd")));
    }

    @Test
    void errorsShowNameAndMessage() {
        long[] args = {0x1000, 0, 0, 0, 0, 0};
        assertEquals("open(\"nope\", O_RDONLY) = -1 ENOENT (No such file or directory)",
                f.format(Sysno.OPEN, args, -2, memory("nope")));
    }

    @Test
    void buffersAreEscapedAndTruncated() {
        String text = "line one\nline two\t\"quoted\" and more text here";
        long[] args = {1, 0x1000, text.length(), 0, 0, 0};
        assertEquals("write(1, \"line one\\nline two\\t\\\"quoted\\\" and m\"..., 45) = 45",
                f.format(Sysno.WRITE, args, 45, memory(text)));
    }

    @Test
    void unreadablePointersShowAsAddressesAndNoReturnCallsAsQuestionMark() {
        long[] args = {0xdead0000L, 0, 0, 0, 0, 0};
        assertEquals("chdir(0xdead0000) = -1 EFAULT (Bad address)", f.format(Sysno.CHDIR, args, -14, memory("")));
        assertEquals("exit_group(3) = ?", f.formatNoReturn(Sysno.EXIT_GROUP, new long[] {3, 0, 0, 0, 0, 0}, memory("")));
    }

    @Test
    void mmapShowsProtectionFlagsAndHexResult() {
        long[] args = {0, 8192, 3, 0x22, -1, 0};
        assertEquals("mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, NULL) = 0x7ffff7ffd000",
                f.format(Sysno.MMAP, args, 0x7ffff7ffd000L, memory("")));
    }
}
