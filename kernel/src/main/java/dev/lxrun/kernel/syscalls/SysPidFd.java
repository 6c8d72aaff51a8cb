package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Process;
import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.FileDescription;

/** pidfd_open, pidfd_send_signal, pidfd_getfd, and the pidfd behind waitid(P_PIDFD). */
final class SysPidFd {
    private static final int PIDFD_NONBLOCK = 04000;

    private SysPidFd() {}

    static long open(Task t, int pid, int flags) {
        if ((flags & ~PIDFD_NONBLOCK) != 0 || pid <= 0) return -Errno.EINVAL;
        Process p = t.process.kernel.process(pid);
        if (p == null) {
            // A thread that leads no process: ENOENT without PIDFD_THREAD; nothing at all: ESRCH.
            return t.process.kernel.task(pid) != null ? -Errno.ENOENT : -Errno.ESRCH;
        }
        long[] err = new long[1];
        PidFd f = PidFd.open(p, (flags & PIDFD_NONBLOCK) != 0, err);
        if (f == null) return err[0];
        int fd = t.process.fds.install(f, true, 0);
        if (fd < 0) f.release();
        return fd;
    }

    /** The process a pidfd names; null when fd is open but no pidfd (callers answer EBADF). */
    static Process target(Task t, int fd) {
        FileDescription f = t.process.fds.get(fd);
        return f instanceof PidFd p ? p.process : null;
    }

    static long sendSignal(Task t, int pidfd, int sig, long infoAddr, int flags) {
        final int THREAD = 1, THREAD_GROUP = 2, PROCESS_GROUP = 4;
        if ((flags & ~(THREAD | THREAD_GROUP | PROCESS_GROUP)) != 0 || Integer.bitCount(flags) > 1) return -Errno.EINVAL;
        Process p = target(t, pidfd);
        if (p == null) return -Errno.EBADF;
        if (sig < 0 || sig > dev.lxrun.kernel.Signals.NSIG) return -Errno.EINVAL;
        // Reaped: gone; a zombie still takes (and ignores) signals.
        if (t.process.kernel.process(p.pid) != p) return -Errno.ESRCH;
        if (p.exited()) return 0;
        if (flags == PROCESS_GROUP) return SysSignal.kill(t, -p.pgid(), sig);
        return infoAddr == 0 ? SysSignal.kill(t, p.pid, sig) : SysSignal.rtSigqueueinfo(t, p.pid, sig, infoAddr);
    }

    static long getfd(Task t, int pidfd, int targetFd, int flags) {
        if (flags != 0) return -Errno.EINVAL;
        Process p = target(t, pidfd);
        if (p == null) return -Errno.EBADF;
        if (t.process.creds.euid() != 0 && t.process.creds.uid() != p.creds.uid()) return -Errno.EPERM;
        if (p.exited()) return -Errno.ESRCH;
        FileDescription f = p.fds.get(targetFd);
        if (f == null) return -Errno.EBADF;
        f.retain();
        int fd = t.process.fds.install(f, true, 0);
        if (fd < 0) f.release();
        return fd;
    }
}
