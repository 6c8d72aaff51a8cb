package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.ControllingTerminal;
import dev.lxrun.kernel.Process;
import dev.lxrun.kernel.ProcessTree;
import dev.lxrun.kernel.PseudoTerminals;
import dev.lxrun.kernel.SignalPosting;
import dev.lxrun.kernel.Signals;
import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.FileDescription;
import dev.lxrun.vfs.HostFile;
import dev.lxrun.vfs.host.HostPosix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Guest pseudo-terminals over host ones (see PseudoTerminals): the master's own ioctls
 * (TIOCGPTN, TIOCSPTLCK, TIOCGPTPEER, TIOCSIG, packet mode), and what the host's line
 * discipline would do for a host process but cannot do for guest ones: ISIG characters written
 * to the master become SIGINT, SIGQUIT or SIGTSTP for the slave's foreground group, a changed
 * window size SIGWINCH, a session leader opening the slave takes it as controlling terminal,
 * and the master's last close hangs the session up.
 */
final class SysPty {
    private static final int TIOCGPTN = 0x80045430, TIOCSPTLCK = 0x40045431, TIOCGPTLCK = 0x80045439,
            TIOCPKT = 0x5420, TIOCGPKT = 0x80045438, TIOCSIG = 0x40045436, TIOCGPTPEER = 0x5441,
            TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, TCGETS = 0x5401;
    private static final int TIOCSCTTY = 0x540E, TIOCGPGRP = 0x540F, TIOCSPGRP = 0x5410, TIOCGSID = 0x5429, TIOCNOTTY = 0x5422;
    private static final int O_NOCTTY = 0400, O_CLOEXEC = 02000000;
    /** termios: c_lflag at 12, c_cc at 17; ISIG and IEXTEN in c_lflag; the c_cc slots of the signal characters. */
    private static final int ISIG = 0x1, IEXTEN = 0x8000, VINTR = 0, VQUIT = 1, VSUSP = 10, VLNEXT = 15;

    private SysPty() {}

    /** The pty index behind a master, or -1. */
    private static int masterIndex(HostFile h) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = a.allocate(4);
            return HostPosix.ioctl(h.hostFd(), TIOCGPTN, n) < 0 ? -1 : n.get(ValueLayout.JAVA_INT, 0);
        }
    }

    static boolean isMaster(FileDescription f) {
        return f instanceof HostFile h && PseudoTerminals.isMaster(h.characterDevice());
    }

    /**
     * The pty index of a slave device, or -1; the terminal lxrun itself runs on may be a host pty
     * slave too, and that one is not the guest's (see ControllingTerminal).
     */
    private static int guestSlave(Task t, long dev) {
        int index = PseudoTerminals.slaveIndex(dev);
        return index >= 0 && !t.process.kernel.terminal.is(dev) ? index : -1;
    }

    /** The job-control side of the pty f is either end of, or null when f is no guest pty. */
    static ControllingTerminal terminalOf(Task t, FileDescription f) {
        if (!(f instanceof HostFile h)) return null;
        long dev = h.characterDevice();
        if (!PseudoTerminals.isMaster(dev) && guestSlave(t, dev) < 0) return null;
        int index = PseudoTerminals.isMaster(dev) ? masterIndex(h) : PseudoTerminals.slaveIndex(dev);
        return index < 0 ? null : t.process.kernel.ptys.slave(index);
    }

    /**
     * After a guest opened a host file at path (or got a slave by TIOCGPTPEER): a master gets its
     * hangup on last close; a slave opened without O_NOCTTY by a session leader that has no
     * terminal becomes its controlling terminal, as Linux's tty_open does.
     */
    static void opened(Task t, HostFile h, int flags) {
        long dev = h.characterDevice();
        if (PseudoTerminals.isMaster(dev)) {
            int index = masterIndex(h);
            if (index < 0) return;
            var ptys = t.process.kernel.ptys;
            ptys.slave(index); // a fresh pair: no session yet
            h.whenLastReleased(() -> ptys.masterClosed(index));
            return;
        }
        int index = guestSlave(t, dev);
        if (index < 0 || (flags & O_NOCTTY) != 0) return;
        Process p = t.process;
        synchronized (p.kernel.tree) {
            if (p.kernel.ptys.controlling(p) == null) p.kernel.ptys.slave(index).acquireOnOpen(p);
        }
    }

    /** Whether a path may name a pty (so that opens of other files skip the extra fstat). */
    static boolean mayBePty(byte[] path) {
        for (int i = 0; i + 1 < path.length; i++) if (path[i] == 'p' && path[i + 1] == 't') return true;
        return false;
    }

    /**
     * /dev/tty for a process whose controlling terminal is a guest pty: that pty's slave (the host
     * would give the JVM's own terminal). Null when the host's answer is right.
     */
    static String devTty(Task t, byte[] path) {
        if (!new String(path, java.nio.charset.StandardCharsets.ISO_8859_1).equals("/dev/tty")) return null;
        ControllingTerminal tty = t.process.kernel.ptys.controlling(t.process);
        if (tty == null || tty == t.process.kernel.terminal) return null;
        return "/dev/pts/" + PseudoTerminals.slaveIndex(tty.device());
    }

    /** The pty ioctls; null when f is no pty or the request is a plain terminal one (SysFile does those). */
    static Long ioctl(Task t, FileDescription f, long request, long arg) {
        if (!(f instanceof HostFile h)) return null;
        long dev = h.characterDevice();
        boolean master = PseudoTerminals.isMaster(dev);
        if (!master && guestSlave(t, dev) < 0) return null;
        var mm = t.process.mm;
        switch ((int) request) {
            case TIOCGPTN, TIOCGPTLCK, TIOCGPKT -> {
                try (Arena a = Arena.ofConfined()) {
                    MemorySegment v = a.allocate(4);
                    int r = HostPosix.ioctl(h.hostFd(), request, v);
                    if (r < 0) return (long) r;
                    mm.writeInt(arg, v.get(ValueLayout.JAVA_INT, 0));
                    return 0L;
                }
            }
            case TIOCSPTLCK, TIOCPKT -> {
                try (Arena a = Arena.ofConfined()) {
                    MemorySegment v = a.allocate(4);
                    v.set(ValueLayout.JAVA_INT, 0, mm.readInt(arg));
                    return (long) HostPosix.ioctl(h.hostFd(), request, v);
                }
            }
            case TIOCGPTPEER -> {
                if (!master) return (long) -Errno.ENOTTY;
                // The JVM must never take the slave as its own terminal: O_NOCTTY on the host side always.
                int host = HostPosix.ioctl(h.hostFd(), request, MemorySegment.ofAddress((arg | O_NOCTTY | O_CLOEXEC) & 0xffffffffL));
                if (host < 0) return (long) host;
                HostFile peer = new HostFile(host);
                int fd = t.process.fds.install(peer, (arg & O_CLOEXEC) != 0, 0);
                if (fd < 0) {
                    HostPosix.close(host);
                    return (long) fd;
                }
                opened(t, peer, (int) arg);
                return (long) fd;
            }
            case TIOCSIG -> {
                if (!master) return (long) -Errno.ENOTTY;
                int sig = (int) arg;
                if (sig != Signals.SIGINT && sig != Signals.SIGQUIT && sig != Signals.SIGTSTP) return (long) -Errno.EINVAL;
                signalForeground(t, terminalOf(t, f), sig);
                return 0L;
            }
            case TIOCSWINSZ -> {
                try (Arena a = Arena.ofConfined()) {
                    MemorySegment old = a.allocate(8), next = a.allocate(8);
                    mm.copyOut(arg, next, false);
                    int r = HostPosix.ioctl(h.hostFd(), TIOCGWINSZ, old);
                    if (r < 0) return (long) r;
                    r = HostPosix.ioctl(h.hostFd(), TIOCSWINSZ, next);
                    if (r < 0) return (long) r;
                    if (old.mismatch(next) >= 0) signalForeground(t, terminalOf(t, f), Signals.SIGWINCH);
                    return 0L;
                }
            }
            case TIOCSCTTY, TIOCGPGRP, TIOCSPGRP, TIOCGSID, TIOCNOTTY -> {
                ControllingTerminal tty = terminalOf(t, f);
                if (tty == null) return (long) -Errno.ENOTTY;
                if (master && (request == TIOCGPGRP || request == TIOCGSID)) {
                    long r = request == TIOCGPGRP ? tty.foregroundOf(t.process, true) : tty.sessionOf(t.process, true);
                    if (r < 0) return r;
                    mm.writeInt(arg, (int) r);
                    return 0L;
                }
                return SysTerminal.jobControl(t, tty, request, arg);
            }
            default -> {
                return null;
            }
        }
    }

    /**
     * After bytes were written to a master: what the slave's line discipline makes of its ISIG
     * characters (the host's discards and echoes them, but has no guest group to signal).
     */
    static void input(Task t, FileDescription f, long buf, long written) {
        if (written <= 0 || !isMaster(f)) return;
        HostFile h = (HostFile) f;
        byte[] termios = new byte[36];
        try (Arena a = Arena.ofConfined()) {
            MemorySegment tio = a.allocate(60);
            if (HostPosix.ioctl(h.hostFd(), TCGETS, tio) < 0) return;
            MemorySegment.copy(tio, ValueLayout.JAVA_BYTE, 0, termios, 0, 36);
        }
        int lflag = (termios[12] & 0xff) | (termios[13] & 0xff) << 8 | (termios[14] & 0xff) << 16 | (termios[15] & 0xff) << 24;
        if ((lflag & ISIG) == 0) return;
        byte intr = termios[17 + VINTR], quit = termios[17 + VQUIT], susp = termios[17 + VSUSP], lnext = termios[17 + VLNEXT];
        byte[] data = t.process.mm.read(buf, (int) Math.min(written, 1 << 20));
        ControllingTerminal tty = null;
        for (int i = 0; i < data.length; i++) {
            byte c = data[i];
            if ((lflag & IEXTEN) != 0 && c == lnext && lnext != 0) {
                i++; // the next character is taken literally
                continue;
            }
            int sig = c == 0 ? 0 : c == intr ? Signals.SIGINT : c == quit ? Signals.SIGQUIT : c == susp ? Signals.SIGTSTP : 0;
            if (sig == 0) continue;
            if (tty == null) tty = terminalOf(t, f);
            signalForeground(t, tty, sig);
        }
    }

    private static void signalForeground(Task t, ControllingTerminal tty, int sig) {
        if (tty == null) return;
        int group = tty.signalGroup(t.process.kernel);
        if (group <= 0) return;
        for (Process q : ProcessTree.killTargets(t.process, -group)) SignalPosting.post(q, sig);
    }
}
