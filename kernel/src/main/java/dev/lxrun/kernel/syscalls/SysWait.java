package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.ExitStatus;
import dev.lxrun.kernel.ProcessTree;
import dev.lxrun.kernel.ProcessTree.WaitResult;
import dev.lxrun.kernel.Signals;
import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;

/** wait4 and waitid: reaping children. Stopped/continued children are not reported (no job-control stops yet). */
final class SysWait {
    static final int WNOHANG = 1, WUNTRACED = 2, WSTOPPED = 2, WEXITED = 4, WCONTINUED = 8, WNOWAIT = 0x01000000,
            WNOTHREAD = 0x20000000, WALL = 0x40000000, WCLONE = 0x80000000;
    static final int P_ALL = 0, P_PID = 1, P_PGID = 2, P_PIDFD = 3;

    private SysWait() {}

    static long wait4(Task t, int pid, long statusAddr, int options, long rusageAddr) {
        if ((options & ~(WNOHANG | WUNTRACED | WCONTINUED | WNOTHREAD | WALL | WCLONE)) != 0) return -Errno.EINVAL;
        if (pid == Integer.MIN_VALUE) return -Errno.ESRCH;
        WaitResult r = ProcessTree.waitChild(t, c -> ProcessTree.selects(t.process, c, pid), (options & WNOHANG) != 0, false,
                (options & WUNTRACED) != 0, (options & WCONTINUED) != 0);
        return switch (r) {
            case WaitResult.Error e -> -e.errno();
            case WaitResult.NoneYet n -> 0;
            case WaitResult.Child c -> {
                if (statusAddr != 0) t.process.mm.writeInt(statusAddr, c.child().waitStatus());
                if (rusageAddr != 0) t.process.mm.writeBytes(rusageAddr, new byte[144]);
                yield c.child().pid();
            }
        };
    }

    static long waitid(Task t, int idtype, int id, long infoAddr, int options, long rusageAddr) {
        if ((options & ~(WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT | WNOTHREAD | WALL | WCLONE)) != 0) {
            return -Errno.EINVAL;
        }
        if ((options & (WEXITED | WSTOPPED | WCONTINUED)) == 0) return -Errno.EINVAL;
        java.util.function.Predicate<dev.lxrun.kernel.Process> sel = switch (idtype) {
            case P_ALL -> c -> true;
            case P_PID -> c -> c.pid == id;
            case P_PGID -> c -> ProcessTree.selects(t.process, c, id == 0 ? 0 : -id);
            case P_PIDFD -> {
                dev.lxrun.kernel.Process named = SysPidFd.target(t, id);
                yield named == null ? null : c -> c == named;
            }
            default -> null;
        };
        if (sel == null && idtype == P_PIDFD) return -Errno.EBADF;
        if (sel == null) return -Errno.EINVAL;
        // A pidfd opened with PIDFD_NONBLOCK makes the wait WNOHANG; with nothing to report and
        // no WNOHANG of the caller's, Linux says EAGAIN (kernel_waitid).
        boolean nonblockingPidfd = idtype == P_PIDFD && (t.process.fds.get(id).statusFlags() & 04000) != 0;
        boolean exits = (options & WEXITED) != 0;
        java.util.function.Predicate<dev.lxrun.kernel.Process> which = exits ? sel
                : c -> sel.test(c) && !dev.lxrun.kernel.ProcessTree.isZombie(c);
        WaitResult r = ProcessTree.waitChild(t, which, (options & WNOHANG) != 0 || nonblockingPidfd, (options & WNOWAIT) != 0,
                (options & WSTOPPED) != 0, (options & WCONTINUED) != 0);
        return switch (r) {
            case WaitResult.Error e -> -e.errno();
            case WaitResult.NoneYet n when nonblockingPidfd && (options & WNOHANG) == 0 -> -Errno.EAGAIN;
            case WaitResult.NoneYet n -> {
                if (infoAddr != 0) t.process.mm.writeBytes(infoAddr, new byte[128]);
                yield 0;
            }
            case WaitResult.Child c -> {
                if (infoAddr != 0) t.process.mm.writeBytes(infoAddr, siginfo(c.child()));
                if (rusageAddr != 0) t.process.mm.writeBytes(rusageAddr, new byte[144]);
                yield 0;
            }
        };
    }

    private static byte[] siginfo(ProcessTree.Reaped r) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(128).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, Signals.SIGCHLD);
        int code, status;
        if (r.stopSignal() > 0) {
            code = 5; // CLD_STOPPED
            status = r.stopSignal() & 0xff; // a ptrace event's bits are wait4's, not waitid's
        } else if (r.continued()) {
            code = 6; // CLD_CONTINUED
            status = Signals.SIGCONT;
        } else switch (r.status()) {
            case ExitStatus.Exited e -> { code = 1; status = e.code(); }            // CLD_EXITED
            case ExitStatus.Killed k -> {
                code = Signals.defaultAction(k.signal()) == Signals.DefaultAction.CORE ? 3 : 2; // CLD_DUMPED / CLD_KILLED
                status = k.signal();
            }
        }
        b.putInt(8, code);
        b.putInt(16, r.pid());
        b.putInt(20, r.uid());
        b.putInt(24, status);
        return b.array();
    }
}
