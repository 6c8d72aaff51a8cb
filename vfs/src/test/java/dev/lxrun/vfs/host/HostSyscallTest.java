package dev.lxrun.vfs.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HostSyscall's raw stub: results, -errno and all six arguments (the sixth goes on the stack). */
class HostSyscallTest {
    private static final int MMAP = 9, MUNMAP = 11, CLOSE = 3, GETPID = 39, OPENAT = 257, AT_FDCWD = -100;

    @Test
    void resultIsTheHostsAndAnErrorIsMinusErrno() {
        assertEquals(ProcessHandle.current().pid(), HostSyscall.call(GETPID, 0, 0, 0));
        assertEquals(-9, HostSyscall.call(CLOSE, -1, 0, 0)); // EBADF
        assertEquals(-38, HostSyscall.call(100_000, 0, 0, 0)); // ENOSYS for a number the host lacks
    }

    @Test
    void allSixArgumentsReachTheKernel(@TempDir Path dir) throws Exception {
        // mmap's sixth argument is the file offset: the second page must show the second page's bytes.
        byte[] content = new byte[8192];
        content[4096] = 42;
        content[4097] = 43;
        Path file = dir.resolve("two-pages");
        Files.write(file, content);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment path = a.allocateFrom(file.toString());
            long fd = HostSyscall.call(OPENAT, AT_FDCWD, path.address(), 0); // O_RDONLY
            assertTrue(fd >= 0, "openat: " + fd);
            final int PROT_READ = 1, MAP_PRIVATE = 2;
            long addr = HostSyscall.call(MMAP, 0, 4096, PROT_READ, MAP_PRIVATE, fd, 4096);
            assertTrue(addr > 0, "mmap: " + addr);
            MemorySegment page = MemorySegment.ofAddress(addr).reinterpret(4096);
            assertEquals(42, page.get(ValueLayout.JAVA_BYTE, 0));
            assertEquals(43, page.get(ValueLayout.JAVA_BYTE, 1));
            assertEquals(0, HostSyscall.call(MUNMAP, addr, 4096, 0));
            assertEquals(0, HostSyscall.call(CLOSE, fd, 0, 0));
        }
    }
}
