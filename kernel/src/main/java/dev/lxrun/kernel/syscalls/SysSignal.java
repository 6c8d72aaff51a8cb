package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.SignalAction;
import dev.lxrun.kernel.Signals;
import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;

/**
 * Signal dispositions and masks, and signals a process sends itself. A blocked signal stays
 * pending until the mask lets it through. Handler delivery (building an rt_sigframe) is not
 * implemented yet: a signal that would run a handler is refused with ENOSYS rather than
 * silently dropped.
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
        if (actAddr != 0) {
            var mm = t.process.mm;
            next = new SignalAction(mm.readLong(actAddr), mm.readLong(actAddr + 8), mm.readLong(actAddr + 16),
                    mm.readLong(actAddr + 24) & ~UNBLOCKABLE);
        }
        if (oldAddr != 0) {
            var mm = t.process.mm;
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
            long next = switch (how) {
                case SIG_BLOCK -> old | set;
                case SIG_UNBLOCK -> old & ~set;
                case SIG_SETMASK -> set;
                default -> Long.MIN_VALUE;
            };
            if (next == Long.MIN_VALUE && how != SIG_SETMASK) return -Errno.EINVAL;
            t.signalMask = next & ~UNBLOCKABLE;
        }
        if (oldAddr != 0) t.process.mm.writeLong(oldAddr, old);
        deliverPending(t);
        return 0;
    }

    static long kill(Task t, int pid, int sig) {
        int self = t.process.pid;
        if (pid != self && pid != 0 && pid != -1 && pid != -self) return -Errno.ESRCH;
        return sendToSelf(t, sig);
    }

    static long tgkill(Task t, int tgid, int tid, int sig) {
        if (tgid <= 0 || tid <= 0) return -Errno.EINVAL;
        if (tgid != t.process.pid || tid != t.tid) return -Errno.ESRCH;
        return sendToSelf(t, sig);
    }

    static long tkill(Task t, int tid, int sig) {
        if (tid <= 0) return -Errno.EINVAL;
        if (tid != t.tid) return -Errno.ESRCH;
        return sendToSelf(t, sig);
    }

    private static long sendToSelf(Task t, int sig) {
        if (sig < 0 || sig > Signals.NSIG) return -Errno.EINVAL;
        if (sig == 0) return 0;
        SignalAction a = t.process.action(sig);
        boolean blocked = (t.signalMask & (1L << (sig - 1))) != 0;
        if (a.handler() == Signals.SIG_IGN) return 0;
        if (a.handler() == Signals.SIG_DFL) {
            Signals.DefaultAction d = Signals.defaultAction(sig);
            if (d == Signals.DefaultAction.IGNORE || d == Signals.DefaultAction.CONTINUE) return 0;
            if (d == Signals.DefaultAction.STOP) return -Errno.ENOSYS;
            if (blocked) {
                t.pendingSignals |= 1L << (sig - 1);
                return 0;
            }
            t.killBySignal(sig);
            t.suppressReturn();
            return 0;
        }
        return -Errno.ENOSYS;
    }

    /** Acts on pending signals the mask no longer blocks (default actions only, see sendToSelf). */
    private static void deliverPending(Task t) {
        long deliverable = t.pendingSignals & ~t.signalMask;
        while (deliverable != 0 && !t.process.exited()) {
            int sig = Long.numberOfTrailingZeros(deliverable) + 1;
            deliverable &= deliverable - 1;
            SignalAction a = t.process.action(sig);
            if (a.handler() != Signals.SIG_DFL && a.handler() != Signals.SIG_IGN) continue; // handler: stays pending
            t.pendingSignals &= ~(1L << (sig - 1));
            if (a.handler() == Signals.SIG_DFL) sendToSelf(t, sig);
        }
    }
}
