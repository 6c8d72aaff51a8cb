package dev.lxrun.kernel;

import java.nio.ByteBuffer;

/**
 * What a pending signal carries besides its number: who or what sent it (si_code), the sender's
 * pid and uid, the sigval of sigqueue and POSIX timers, a child's status, a fault address. It
 * travels with the signal from posting to delivery, so a handler, sigwaitinfo and signalfd all
 * see the same facts. The union member Linux fills is chosen by si_code, as siginfo_layout does.
 */
public record SigInfo(int signo, int code, int pid, int uid, long value, int timerId, int overrun, int status,
                      long addr, PosixTimer timer, long timerArming) {
    public static final int SI_USER = 0, SI_KERNEL = 0x80, SI_QUEUE = -1, SI_TIMER = -2, SI_TKILL = -6;
    public static final int CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3, CLD_STOPPED = 5, CLD_CONTINUED = 6;
    /** Size of struct siginfo and of struct signalfd_siginfo. */
    public static final int SIZE = 128;

    /** kill(2) and friends: SI_USER with the sender's identity. */
    public static SigInfo user(int sig, Process sender) {
        return new SigInfo(sig, SI_USER, sender.pid, sender.creds.uid(), 0, 0, 0, 0, 0, null, 0);
    }

    /** tkill/tgkill. */
    public static SigInfo tkill(int sig, Process sender) {
        return new SigInfo(sig, SI_TKILL, sender.pid, sender.creds.uid(), 0, 0, 0, 0, 0, null, 0);
    }

    /** A signal the kernel raises on its own (SIGALRM of alarm, SIGPIPE, host signals forwarded). */
    public static SigInfo kernel(int sig) {
        return new SigInfo(sig, SI_KERNEL, 0, 0, 0, 0, 0, 0, 0, null, 0);
    }

    /** A synchronous fault with its si_code and address. */
    public static SigInfo fault(int sig, int code, long addr) {
        return new SigInfo(sig, code, 0, 0, 0, 0, 0, 0, addr, null, 0);
    }

    /** SIGCHLD (or a clone exit signal) for a child's exit, stop or continue. */
    public static SigInfo child(int sig, int code, Process child, int status) {
        return new SigInfo(sig, code, child.pid, child.creds.uid(), 0, 0, 0, status, 0, null, 0);
    }

    /** A POSIX timer's expiry; si_overrun is filled in when the signal is taken. */
    public static SigInfo timer(int sig, PosixTimer timer, long value, long arming) {
        return new SigInfo(sig, SI_TIMER, 0, 0, value, timer.id, 0, 0, 0, timer, arming);
    }

    public SigInfo withOverrun(int n) {
        return new SigInfo(signo, code, pid, uid, value, timerId, n, status, addr, timer, timerArming);
    }

    private boolean isChildLayout() {
        return signo == Signals.SIGCHLD && code > SI_USER && code < SI_KERNEL;
    }

    private boolean isFaultLayout() {
        return code > SI_USER && code < SI_KERNEL && switch (signo) {
            case Signals.SIGSEGV, Signals.SIGBUS, Signals.SIGILL, Signals.SIGFPE, Signals.SIGTRAP -> true;
            default -> false;
        };
    }

    /** Writes struct siginfo (128 bytes, x86-64) at off. */
    public void writeSiginfo(ByteBuffer b, int off) {
        for (int i = 0; i < SIZE; i += 8) b.putLong(off + i, 0);
        b.putInt(off, signo);
        b.putInt(off + 8, code);
        if (isFaultLayout()) {
            b.putLong(off + 16, addr);
        } else if (isChildLayout()) {
            b.putInt(off + 16, pid);
            b.putInt(off + 20, uid);
            b.putInt(off + 24, status);
        } else if (code == SI_TIMER) {
            b.putInt(off + 16, timerId);
            b.putInt(off + 20, overrun);
            b.putLong(off + 24, value);
        } else {
            b.putInt(off + 16, pid);
            b.putInt(off + 20, uid);
            if (code < 0) b.putLong(off + 24, value); // the rt layout carries the sigval
        }
    }

    /** Writes struct signalfd_siginfo (128 bytes) at off, the fields Linux copies for this layout. */
    public void writeSignalfdSiginfo(ByteBuffer b, int off) {
        for (int i = 0; i < SIZE; i += 8) b.putLong(off + i, 0);
        b.putInt(off, signo);
        b.putInt(off + 8, code);
        if (isFaultLayout()) {
            b.putLong(off + 72, addr);
        } else if (isChildLayout()) {
            b.putInt(off + 12, pid);
            b.putInt(off + 16, uid);
            b.putInt(off + 40, status);
        } else if (code == SI_TIMER) {
            b.putInt(off + 24, timerId);              // ssi_tid
            b.putInt(off + 32, overrun);              // ssi_overrun
            b.putInt(off + 44, (int) value);          // ssi_int
            b.putLong(off + 48, value);               // ssi_ptr
        } else {
            b.putInt(off + 12, pid);
            b.putInt(off + 16, uid);
            if (code < 0) {
                b.putInt(off + 44, (int) value);
                b.putLong(off + 48, value);
            }
        }
    }

    public byte[] siginfoBytes() {
        byte[] out = new byte[SIZE];
        writeSiginfo(ByteBuffer.wrap(out).order(java.nio.ByteOrder.LITTLE_ENDIAN), 0);
        return out;
    }
}
