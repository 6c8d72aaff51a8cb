package dev.lxrun.kernel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The guest's Unix98 pseudo-terminals. Each pair is a host pty (/dev/ptmx and /dev/pts/N): the
 * host's line discipline does the byte work (canonical editing, echo, ICRNL/ONLCR, VMIN/VTIME,
 * the window size), and poll and epoll see it as any descriptor. What the host cannot do, because
 * guest processes are not host processes, is kept here per slave as a ControllingTerminal:
 * the session it controls, its foreground group, the signals its line discipline would raise
 * (ISIG characters, SIGWINCH) and hangup.
 */
public final class PseudoTerminals {
    /** /dev/ptmx is character device 5,2; Unix98 slaves have majors 136 to 143. */
    private static final long PTMX = (5 << 8) | 2;
    private static final int SLAVE_MAJOR = 136, SLAVE_MAJORS = 8;

    private final Kernel kernel;
    private final Map<Integer, ControllingTerminal> slaves = new ConcurrentHashMap<>();

    PseudoTerminals(Kernel kernel) {
        this.kernel = kernel;
    }

    /** Whether a host character device number (st_rdev, glibc's encoding) is the pty multiplexer, /dev/ptmx. */
    public static boolean isMaster(long rdev) {
        return rdev == PTMX;
    }

    /** The pty number of a slave's device number, or -1 when it is none. */
    public static int slaveIndex(long rdev) {
        if (rdev < 0) return -1;
        long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
        long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
        if (major < SLAVE_MAJOR || major >= SLAVE_MAJOR + SLAVE_MAJORS) return -1;
        return (int) ((major - SLAVE_MAJOR) * 256 + minor);
    }

    /** The slave device number of pty index (glibc's makedev). */
    private static long slaveDevice(int index) {
        long major = SLAVE_MAJOR + index / 256, minor = index % 256;
        return (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xffL) << 12) | ((major & ~0xfffL) << 32);
    }

    /** The job-control side of pty index. */
    public ControllingTerminal slave(int index) {
        return slaves.computeIfAbsent(index, i -> ControllingTerminal.ofPty(slaveDevice(i), kernel.tree));
    }

    /** The terminal controlling p's session: the host's, a pty, or null. */
    public ControllingTerminal controlling(Process p) {
        if (kernel.terminal.controlsProcess(p)) return kernel.terminal;
        for (ControllingTerminal t : slaves.values()) if (t.controlsProcess(p)) return t;
        return null;
    }

    /** The master of pty index was closed for good: its session is hung up. */
    public void masterClosed(int index) {
        ControllingTerminal t = slaves.remove(index);
        if (t != null) t.hangup(kernel, false);
    }

    /** A session leader exited: the pty it controlled leaves the session, its foreground group gets SIGHUP. */
    void processExited(Process p) {
        if (p.pid != p.sid) return;
        for (ControllingTerminal t : slaves.values()) if (t.session() == p.sid) t.hangup(kernel, true);
    }
}
