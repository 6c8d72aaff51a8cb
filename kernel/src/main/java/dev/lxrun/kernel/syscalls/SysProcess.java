package dev.lxrun.kernel.syscalls;

import dev.lxrun.cpu.X86Reg;
import dev.lxrun.kernel.Credentials;
import dev.lxrun.kernel.Rlimits;
import dev.lxrun.kernel.Signals;
import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;

/** Process identity, exit, thread bookkeeping, arch_prctl, resource limits, CPU affinity. */
final class SysProcess {
    private SysProcess() {}

    static long exitGroup(Task t, int code) {
        t.exitGroup(code);
        return 0;
    }

    static long exitThread(Task t, int code) {
        t.exitThread(code);
        return 0;
    }

    static long getpid(Task t) { return t.process.pid; }
    static long getppid(Task t) { return t.process.ppid(); }
    static long getpgrp(Task t) { return t.process.pgid(); }

    static long getpgid(Task t, int pid) {
        if (pid == 0) return t.process.pgid();
        var p = t.kernel().process(pid);
        return p == null ? -Errno.ESRCH : p.pgid();
    }

    static long getsid(Task t, int pid) {
        if (pid == 0) return t.process.sid();
        var p = t.kernel().process(pid);
        return p == null ? -Errno.ESRCH : p.sid();
    }

    static long setpgid(Task t, int pid, int pgid) {
        return dev.lxrun.kernel.ProcessTree.setpgid(t.process, pid, pgid);
    }

    static long setsid(Task t) {
        return dev.lxrun.kernel.ProcessTree.setsid(t.process);
    }
    static long gettid(Task t) { return t.tid; }
    static long getuid(Task t) { return t.process.creds.uid(); }
    static long geteuid(Task t) { return t.process.creds.euid(); }
    static long getgid(Task t) { return t.process.creds.gid(); }
    static long getegid(Task t) { return t.process.creds.egid(); }

    static long getresuid(Task t, long r, long e, long s) {
        Credentials c = t.process.creds;
        t.process.mm.writeInt(r, c.uid());
        t.process.mm.writeInt(e, c.euid());
        t.process.mm.writeInt(s, c.suid());
        return 0;
    }

    static long getresgid(Task t, long r, long e, long s) {
        Credentials c = t.process.creds;
        t.process.mm.writeInt(r, c.gid());
        t.process.mm.writeInt(e, c.egid());
        t.process.mm.writeInt(s, c.sgid());
        return 0;
    }

    static long setTidAddress(Task t, long addr) {
        t.clearChildTid = addr;
        return t.tid;
    }

    static long setRobustList(Task t, long head, long len) {
        if (len != dev.lxrun.kernel.futex.RobustList.HEAD_SIZE) return -Errno.EINVAL;
        t.robustList = head;
        return 0;
    }

    /** get_robust_list: the list head of a thread (0: the caller) and its size. */
    static long getRobustList(Task t, int tid, long headAddr, long lenAddr) {
        Task target = tid == 0 ? t : t.kernel().task(tid);
        if (target == null) return -Errno.ESRCH;
        t.process.mm.writeLong(headAddr, target.robustList);
        t.process.mm.writeLong(lenAddr, dev.lxrun.kernel.futex.RobustList.HEAD_SIZE);
        return 0;
    }

    static long archPrctl(Task t, int code, long addr) {
        final int ARCH_SET_GS = 0x1001, ARCH_SET_FS = 0x1002, ARCH_GET_FS = 0x1003, ARCH_GET_GS = 0x1004;
        switch (code) {
            case ARCH_SET_FS, ARCH_SET_GS -> {
                if (addr < 0 || addr >= 0x800000000000L) return -Errno.EPERM;
                t.engine().writeReg(code == ARCH_SET_FS ? X86Reg.FS_BASE : X86Reg.GS_BASE, addr);
                return 0;
            }
            case ARCH_GET_FS, ARCH_GET_GS -> {
                t.process.mm.writeLong(addr, t.engine().readReg(code == ARCH_GET_FS ? X86Reg.FS_BASE : X86Reg.GS_BASE));
                return 0;
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
    }

    static long prlimit64(Task t, int pid, int resource, long newAddr, long oldAddr) {
        if (pid != 0 && pid != t.process.pid) return -Errno.ESRCH;
        if (resource < 0 || resource >= Rlimits.NLIMITS) return -Errno.EINVAL;
        Rlimits r = t.process.rlimits;
        long newCur = 0, newMax = 0;
        if (newAddr != 0) {
            newCur = t.process.mm.readLong(newAddr);
            newMax = t.process.mm.readLong(newAddr + 8);
            if (Long.compareUnsigned(newCur, newMax) > 0) return -Errno.EINVAL;
            if (Long.compareUnsigned(newMax, r.max(resource)) > 0 && t.process.creds.euid() != 0) return -Errno.EPERM;
            if (resource == Rlimits.NOFILE && Long.compareUnsigned(newMax, 1_048_576) > 0) return -Errno.EPERM;
        }
        if (oldAddr != 0) {
            t.process.mm.writeLong(oldAddr, r.cur(resource));
            t.process.mm.writeLong(oldAddr + 8, r.max(resource));
        }
        if (newAddr != 0) {
            r.set(resource, newCur, newMax);
            if (resource == Rlimits.NOFILE) t.process.fds.setLimit((int) Math.min(newCur, Integer.MAX_VALUE));
        }
        return 0;
    }

    static long getrlimit(Task t, int resource, long addr) {
        if (resource < 0 || resource >= Rlimits.NLIMITS) return -Errno.EINVAL;
        if (addr == 0) return -Errno.EFAULT; // unlike prlimit64, NULL is not "no old value" here
        return prlimit64(t, 0, resource, 0, addr);
    }

    static long setrlimit(Task t, int resource, long addr) {
        if (addr == 0) return -Errno.EFAULT; // Linux copies the new value in before looking at resource
        t.process.mm.checkAccess(addr, 16, 1);
        return prlimit64(t, 0, resource, addr, 0);
    }


    /** The CPUs the guest is shown (0..n-1): the host's available processors, at most 64 (one mask word). */
    static int guestCpuCount() {
        return Math.min(64, Runtime.getRuntime().availableProcessors());
    }

    static long schedYield() {
        Thread.yield();
        return 0;
    }

    /** prctl: the process-attribute requests programs commonly make; the rest are EINVAL. */
    static long prctl(Task t, int option, long a2, long a3, long a4, long a5) {
        final int PR_SET_PDEATHSIG = 1, PR_GET_PDEATHSIG = 2, PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4,
                PR_SET_NAME = 15, PR_GET_NAME = 16, PR_GET_SECCOMP = 21, PR_SET_CHILD_SUBREAPER = 36,
                PR_GET_CHILD_SUBREAPER = 37, PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39, PR_SET_TIMERSLACK = 29,
                PR_GET_TIMERSLACK = 30, PR_SET_MM = 35, PR_GET_TID_ADDRESS = 40;
        var p = t.process;
        switch (option) {
            case PR_SET_NAME -> {
                byte[] name = p.mm.readCString(a2, 4096);
                if (name == null) return -Errno.EFAULT;
                p.comm = new String(name, 0, Math.min(name.length, 15), java.nio.charset.StandardCharsets.ISO_8859_1);
                return 0;
            }
            case PR_GET_NAME -> {
                byte[] out = new byte[16];
                byte[] c = p.comm().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                System.arraycopy(c, 0, out, 0, Math.min(15, c.length));
                p.mm.writeBytes(a2, out);
                return 0;
            }
            case PR_SET_PDEATHSIG -> {
                if (a2 < 0 || a2 > Signals.NSIG) return -Errno.EINVAL;
                t.deathSignal = (int) a2;
                return 0;
            }
            case PR_GET_PDEATHSIG -> {
                p.mm.writeInt(a2, t.deathSignal);
                return 0;
            }
            case PR_GET_DUMPABLE -> { return p.dumpable; }
            case PR_SET_DUMPABLE -> {
                if (a2 != 0 && a2 != 1) return -Errno.EINVAL;
                p.dumpable = (int) a2;
                return 0;
            }
            case PR_SET_NO_NEW_PRIVS -> {
                if (a2 != 1 || a3 != 0 || a4 != 0 || a5 != 0) return -Errno.EINVAL;
                p.noNewPrivs = true;
                return 0;
            }
            case PR_GET_NO_NEW_PRIVS -> {
                if (a2 != 0 || a3 != 0 || a4 != 0 || a5 != 0) return -Errno.EINVAL; // as Linux, unused arguments must be 0
                return p.noNewPrivs ? 1 : 0;
            }
            case PR_GET_SECCOMP -> { return 0; }
            case PR_SET_CHILD_SUBREAPER -> {
                p.childSubreaper = a2 != 0;
                return 0;
            }
            case PR_GET_CHILD_SUBREAPER -> {
                p.mm.writeInt(a2, p.childSubreaper ? 1 : 0);
                return 0;
            }
            case PR_SET_TIMERSLACK -> {
                // Linux leaves a real-time or deadline thread's slack at 0 and ignores the request.
                int policy = t.sched.policy;
                if (dev.lxrun.kernel.TaskSched.realTime(policy) || policy == dev.lxrun.kernel.TaskSched.SCHED_DEADLINE) return 0;
                t.sched.timerSlack = a2 == 0 ? t.sched.defaultTimerSlack : a2;
                return 0;
            }
            case PR_GET_TIMERSLACK -> { return t.sched.timerSlack; }
            case PR_GET_TID_ADDRESS -> {
                p.mm.writeLong(a2, t.clearChildTid);
                return 0;
            }
            case PR_SET_MM -> {
                // Only with CAP_SYS_RESOURCE, which lxrun's own host process may lack; rewriting the
                // memory map's fields (start_code, brk, auxv…) is not implemented.
                return p.caps.has(dev.lxrun.kernel.Capabilities.CAP_SYS_RESOURCE) ? -Errno.EINVAL : -Errno.EPERM;
            }
            default -> {
                Long caps = SysCaps.prctl(t, option, a2, a3, a4, a5);
                return caps != null ? caps : -Errno.EINVAL;
            }
        }
    }
}
