package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Process;
import dev.lxrun.kernel.ProcessTree;
import dev.lxrun.kernel.SigInfo;
import dev.lxrun.kernel.SignalAction;
import dev.lxrun.kernel.SignalDelivery;
import dev.lxrun.kernel.SignalPosting;
import dev.lxrun.kernel.Signals;
import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;
import java.util.List;

/**
 * Signal dispositions, masks, sending (kill, tkill, tgkill), waiting (sigsuspend, pause),
 * alternate stacks and rt_sigreturn. Delivery itself is {@link SignalDelivery}.
 */
final class SysSignal {
    private static final long UNBLOCKABLE = (1L << (Signals.SIGKILL - 1)) | (1L << (Signals.SIGSTOP - 1));

    private SysSignal() {}

    static long rtSigaction(Task t, int sig, long actAddr, long oldAddr, long sigsetsize) {
        if (sigsetsize != 8) return -Errno.EINVAL;
        if (sig < 1 || sig > Signals.NSIG) return -Errno.EINVAL;
        if (actAddr != 0 && (sig == Signals.SIGKILL || sig == Signals.SIGSTOP)) return -Errno.EINVAL;
        SignalAction old = t.process.action(sig);
        SignalAction next = null;
        var mm = t.process.mm;
        if (actAddr != 0) {
            next = new SignalAction(mm.readLong(actAddr), mm.readLong(actAddr + 8), mm.readLong(actAddr + 16),
                    mm.readLong(actAddr + 24) & ~UNBLOCKABLE);
        }
        if (oldAddr != 0) {
            mm.writeLong(oldAddr, old.handler());
            mm.writeLong(oldAddr + 8, old.flags());
            mm.writeLong(oldAddr + 16, old.restorer());
            mm.writeLong(oldAddr + 24, old.mask());
        }
        if (next != null) t.process.setAction(sig, next);
        return 0;
    }

    static long rtSigprocmask(Task t, int how, long setAddr, long oldAddr, long sigsetsize) {
        final int SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
        if (sigsetsize != 8) return -Errno.EINVAL;
        long old = t.signalMask;
        if (setAddr != 0) {
            long set = t.process.mm.readLong(setAddr);
            long next;
            switch (how) {
                case SIG_BLOCK -> next = old | set;
                case SIG_UNBLOCK -> next = old & ~set;
                case SIG_SETMASK -> next = set;
                default -> { return -Errno.EINVAL; }
            }
            t.signalMask = next & ~UNBLOCKABLE;
        }
        if (oldAddr != 0) t.process.mm.writeLong(oldAddr, old);
        return 0; // newly unblocked pending signals are delivered when the syscall returns
    }

    static long rtSigpending(Task t, long setAddr, long sigsetsize) {
        if (sigsetsize > 8) return -Errno.EINVAL;
        t.process.mm.writeLong(setAddr, (t.pendingSignals | t.process.pendingSignals()) & t.signalMask);
        return 0;
    }

    static long kill(Task t, int pid, int sig) {
        if (sig < 0 || sig > Signals.NSIG) return -Errno.EINVAL;
        List<Process> targets = ProcessTree.killTargets(t.process, pid);
        if (targets.isEmpty()) return -Errno.ESRCH;
        for (Process p : targets) SignalPosting.post(p, SigInfo.user(sig, t.process));
        return 0;
    }

    /** tgkill: a signal for thread tid of thread group tgid. */
    static long tgkill(Task t, int tgid, int tid, int sig) {
        if (tgid <= 0 || tid <= 0 || sig < 0 || sig > Signals.NSIG) return -Errno.EINVAL;
        Task target = t.kernel().task(tid);
        if (target == null || target.process.pid != tgid) return -Errno.ESRCH;
        if (sig != 0) SignalPosting.postToTask(target, SigInfo.tkill(sig, t.process));
        return 0;
    }

    static long tkill(Task t, int tid, int sig) {
        if (tid <= 0 || sig < 0 || sig > Signals.NSIG) return -Errno.EINVAL;
        Task target = t.kernel().task(tid);
        if (target == null) return -Errno.ESRCH;
        if (sig != 0) SignalPosting.postToTask(target, SigInfo.tkill(sig, t.process));
        return 0;
    }

    static long rtSigreturn(Task t) {
        t.signals().sigreturn();
        return 0;
    }

    static long sigaltstack(Task t, long ssAddr, long oldAddr) {
        SignalDelivery s = t.signals();
        var mm = t.process.mm;
        if (oldAddr != 0) {
            mm.writeLong(oldAddr, s.altStackSp);
            mm.writeLong(oldAddr + 8, s.altStackFlags == SignalDelivery.SS_DISABLE ? SignalDelivery.SS_DISABLE
                    : (s.onAltStackNow() ? SignalDelivery.SS_ONSTACK : 0));
            mm.writeLong(oldAddr + 16, s.altStackSize);
        }
        if (ssAddr != 0) {
            if (s.onAltStackNow()) return -Errno.EPERM;
            long sp = mm.readLong(ssAddr);
            int flags = mm.readInt(ssAddr + 8);
            long size = mm.readLong(ssAddr + 16);
            final int SS_AUTODISARM = 1 << 31;
            int mode = flags & ~SS_AUTODISARM;
            if (mode != 0 && mode != SignalDelivery.SS_DISABLE && mode != SignalDelivery.SS_ONSTACK) return -Errno.EINVAL;
            if (mode == SignalDelivery.SS_DISABLE) {
                s.resetAltStack();
            } else {
                if (size < 2048) return -Errno.ENOMEM; // MINSIGSTKSZ
                s.altStackSp = sp;
                s.altStackSize = size;
                s.altStackFlags = 0;
            }
        }
        return 0;
    }

    static long rtSigsuspend(Task t, long maskAddr, long sigsetsize) {
        if (sigsetsize != 8) return -Errno.EINVAL;
        long old = t.signalMask;
        t.signalMask = t.process.mm.readLong(maskAddr) & ~UNBLOCKABLE;
        t.signals().suspendWithMask(old);
        t.sleepUntilSignal(Long.MAX_VALUE);
        return -Errno.EINTR;
    }

    static long pause(Task t) {
        t.sleepUntilSignal(Long.MAX_VALUE);
        return -Errno.EINTR;
    }

    /** rt_sigtimedwait: takes a pending signal from set, waiting up to the timeout (NULL: forever). */
    static long rtSigtimedwait(Task t, long setAddr, long infoAddr, long tsAddr, long sigsetsize) {
        if (sigsetsize != 8) return -Errno.EINVAL;
        var mm = t.process.mm;
        long set = mm.readLong(setAddr) & ~UNBLOCKABLE;
        long deadline = SysPoll.deadline(t, tsAddr);
        if (deadline == Long.MIN_VALUE) return -Errno.EINVAL;
        while (true) {
            SigInfo info = t.signals().takeFromSet(set);
            if (info != null) {
                if (infoAddr != 0) mm.writeBytes(infoAddr, info.siginfoBytes());
                return info.signo();
            }
            if (t.hasPendingSignal()) return -Errno.EINTR;
            long left = deadline - System.nanoTime();
            if (left <= 0) return -Errno.EAGAIN;
            java.util.concurrent.locks.LockSupport.parkNanos(Math.min(left, 20_000_000L));
        }
    }

    /**
     * rt_sigqueueinfo: a signal with the caller's si_code, pid, uid and sigval. Only the kernel may
     * claim a non-negative si_code (or SI_TKILL) when signalling another process, as Linux checks.
     */
    static long rtSigqueueinfo(Task t, int pid, int sig, long infoAddr) {
        if (pid <= 0) return -Errno.ESRCH;
        if (sig < 0 || sig > Signals.NSIG) return -Errno.EINVAL;
        Process target = t.kernel().process(pid);
        if (target == null || target.exited()) return -Errno.ESRCH;
        SigInfo info = queuedInfo(t, sig, infoAddr);
        if ((info.code() >= 0 || info.code() == SigInfo.SI_TKILL) && pid != t.process.pid) return -Errno.EPERM;
        if (sig != 0) SignalPosting.post(target, info);
        return 0;
    }

    /** rt_tgsigqueueinfo: as rt_sigqueueinfo, for one thread. */
    static long rtTgsigqueueinfo(Task t, int tgid, int tid, int sig, long infoAddr) {
        if (tgid <= 0 || tid <= 0 || sig < 0 || sig > Signals.NSIG) return -Errno.EINVAL;
        Task target = t.kernel().task(tid);
        if (target == null || target.process.pid != tgid) return -Errno.ESRCH;
        SigInfo info = queuedInfo(t, sig, infoAddr);
        if ((info.code() >= 0 || info.code() == SigInfo.SI_TKILL) && tgid != t.process.pid) return -Errno.EPERM;
        if (sig != 0) SignalPosting.postToTask(target, info);
        return 0;
    }

    private static SigInfo queuedInfo(Task t, int sig, long infoAddr) {
        var mm = t.process.mm;
        int code = mm.readInt(infoAddr + 8);
        return new SigInfo(sig, code, mm.readInt(infoAddr + 16), mm.readInt(infoAddr + 20), mm.readLong(infoAddr + 24),
                0, 0, 0, 0, null, 0);
    }
}
