package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.HostFile;
import dev.lxrun.vfs.host.HostPosix;
import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Calls on a file that the host kernel answers for the host descriptor behind the guest fd:
 * readahead, sync_file_range, and memfd_create (a host memfd, so seals, truncation, mappings and
 * the "/memfd:NAME (deleted)" link in /proc are the host's own).
 */
final class SysFileHints {
    private static final int MEMFD_CREATE = 319;
    private static final int MFD_CLOEXEC = 1;
    /** MFD_NAME_MAX_LEN: 255 minus the "memfd:" prefix. */
    private static final int NAME_MAX = 249;

    private SysFileHints() {}

    static long readahead(Task t, int fd, long offset, long count) {
        int h = HostArgs.fd(t, fd, Errno.EINVAL);
        return h < 0 ? h : HostSyscall.call(HostSyscall.READAHEAD, h, offset, count, 0, 0, 0);
    }

    static long syncFileRange(Task t, int fd, long offset, long nbytes, int flags) {
        int h = HostArgs.fd(t, fd, Errno.ESPIPE);
        return h < 0 ? h : HostSyscall.call(HostSyscall.SYNC_FILE_RANGE, h, offset, nbytes, flags, 0, 0);
    }

    static long memfdCreate(Task t, long nameAddr, int flags) {
        byte[] name = t.process.mm.readCString(nameAddr, NAME_MAX + 1);
        if (name == null || name.length > NAME_MAX) return -Errno.EINVAL;
        long host;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = a.allocate(name.length + 1L);
            MemorySegment.copy(name, 0, n, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, name.length);
            // The host descriptor is always close-on-exec (host children must not inherit it);
            // the guest's MFD_CLOEXEC goes to the guest fd.
            host = HostSyscall.call(MEMFD_CREATE, n.address(), flags | MFD_CLOEXEC, 0, 0, 0, 0);
        }
        if (host < 0) return host;
        int fd = t.process.fds.install(new HostFile((int) host), (flags & MFD_CLOEXEC) != 0, 0);
        if (fd < 0) HostPosix.close((int) host);
        return fd;
    }
}
