package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.mm.GuestFault;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.FileDescription;
import java.lang.foreign.MemorySegment;

/** Guest arguments turned into what a host syscall takes: host addresses and host descriptors (also for net-shim). */
public final class HostArgs {
    private HostArgs() {}

    /**
     * The host address of guest [addr, addr+len) when it lies in one mapping with prot (a zero
     * length still checks one byte); 0 stays NULL so the host reports EFAULT or treats it as absent.
     */
    public static long address(Task t, long addr, long len, int prot) {
        if (addr == 0) return 0;
        MemorySegment s = t.process.mm.direct(addr, Math.max(len, 1), prot);
        if (s == null) throw new GuestFault(addr); // spans mappings: rare for the structures passed this way
        return s.address();
    }

    /** The host descriptor behind a guest fd: -EBADF when it is not open, -noHostErrno when it has none. */
    public static int fd(Task t, int fd, int noHostErrno) {
        FileDescription f = t.process.fds.get(fd);
        if (f == null) return -Errno.EBADF;
        return f.hostFd() < 0 ? -noHostErrno : f.hostFd();
    }
}
