package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;

/**
 * unshare and setns. lxrun has one set of namespaces (the host's, as lxrun sees them), so a guest
 * cannot get new ones or join others: those requests are EPERM, as for a caller without the
 * capability. What needs no namespace is done: unsharing what a single-threaded process shares
 * with nobody is a no-op, as on Linux.
 */
final class SysNamespaces {
    private static final long CLONE_VM = 0x100, CLONE_FS = 0x200, CLONE_FILES = 0x400, CLONE_SIGHAND = 0x800,
            CLONE_THREAD = 0x10000, CLONE_NEWNS = 0x20000, CLONE_SYSVSEM = 0x40000, CLONE_NEWCGROUP = 0x2000000,
            CLONE_NEWUTS = 0x4000000, CLONE_NEWIPC = 0x8000000, CLONE_NEWUSER = 0x10000000, CLONE_NEWPID = 0x20000000,
            CLONE_NEWNET = 0x40000000, CLONE_NEWTIME = 0x80;
    private static final long NAMESPACES = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER
            | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWTIME;
    private static final long ALLOWED = NAMESPACES | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD
            | CLONE_SYSVSEM;

    private SysNamespaces() {}

    static long unshare(Task t, long flags) {
        if ((flags & ~ALLOWED) != 0) return -Errno.EINVAL;
        boolean alone = t.process.tasks().size() == 1;
        // Linux's check_unshare_flags: the thread group, signal handlers and memory can only be
        // "unshared" when nothing else shares them.
        if ((flags & (CLONE_THREAD | CLONE_SIGHAND | CLONE_VM)) != 0 && !alone) return -Errno.EINVAL;
        if ((flags & NAMESPACES) != 0) return -Errno.EPERM;
        // Threads share fs and files in lxrun (clone requires it): giving one thread its own is not modelled.
        if ((flags & (CLONE_FS | CLONE_FILES)) != 0 && !alone) return -Errno.EINVAL;
        // Shared with another process (clone(CLONE_FILES / CLONE_FS)): this one takes a copy.
        if ((flags & CLONE_FILES) != 0) t.process.unshareFiles();
        if ((flags & CLONE_FS) != 0) t.process.unshareFs();
        return 0;
    }

    static long setns(Task t, int fd, int nstype) {
        if (t.process.fds.get(fd) == null) return -Errno.EBADF;
        return -Errno.EPERM;
    }
}
