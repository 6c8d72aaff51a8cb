package dev.lxrun.kernel;

import dev.lxrun.syscalls.Errno;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The host terminal lxrun was started on, as the guest sees it: the controlling terminal of the
 * initial process's session, with a foreground process group of guest pids. The host only ever
 * sees lxrun in its foreground, so job control among guest processes is kept here: which group
 * Ctrl-C reaches, tcgetpgrp/tcsetpgrp, and the stop a background group gets when it reads the
 * terminal (SIGTTIN) or changes its settings (SIGTTOU), as Linux's tty job control does it.
 * A process that left the session (setsid) has no controlling terminal any more.
 */
public final class ControllingTerminal {
    /** The terminal's device number (st_rdev), or -1 when lxrun has no controlling terminal. */
    private final long device;
    /**
     * Whether the process that started lxrun is a job-control shell's kind of parent: in the same
     * host session, another group. Then the initial process's group is not orphaned (see
     * ProcessTree#orphanedGroup), and stops by Ctrl-Z are not discarded.
     */
    final boolean shellOutside;
    /** The kernel's tree lock, which guards the rest. */
    private final Object tree;
    /** Whether this is the slave of a guest pseudo-terminal (see PseudoTerminals) rather than the host's terminal. */
    private final boolean pty;
    private int session, foreground;

    private ControllingTerminal(long device, boolean shellOutside, Object tree, boolean pty) {
        this.device = device;
        this.shellOutside = shellOutside;
        this.tree = tree;
        this.pty = pty;
    }

    /** A pseudo-terminal slave with this device number: no session until one takes it (TIOCSCTTY, open). */
    static ControllingTerminal ofPty(long device, Object tree) {
        return new ControllingTerminal(device, false, tree, true);
    }

    /**
     * The JVM's controlling terminal, from tty_nr in /proc/self/stat (the device number as stat
     * reports it; opening /dev/tty would give the generic device 5,0 instead), or one that never
     * matches when there is none.
     */
    static ControllingTerminal ofHost(Object tree) {
        long[] self = hostStat("self");
        long device = self == null || self[TTY_NR] == 0 ? -1 : self[TTY_NR];
        long[] parent = self == null ? null : hostStat(Long.toString(self[PPID]));
        boolean shell = parent != null && parent[SESSION] == self[SESSION] && parent[PGRP] != self[PGRP];
        return new ControllingTerminal(device, shell, tree, false);
    }

    private static final int PPID = 0, PGRP = 1, SESSION = 2, TTY_NR = 3;

    /** ppid, pgrp, session and tty_nr of a host process, or null. */
    private static long[] hostStat(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The initial process's session gets the terminal, its group in the foreground. Caller holds the tree lock. */
    void attach(Process leader) {
        if (device < 0) return;
        session = leader.sid;
        foreground = leader.pgid;
    }

    /** /dev/tty (5,0): opened by the JVM, it is the JVM's controlling terminal. */
    private static final long DEV_TTY = (5 << 8) | 0;

    /** Whether a host file with this device number (see HostFile#characterDevice) is the terminal. */
    public boolean is(long deviceNumber) {
        return device >= 0 && (deviceNumber == device || (!pty && deviceNumber == DEV_TTY));
    }

    /** The group Ctrl-C and Ctrl-\ at the host terminal reach, or 0 when there is no terminal. */
    int foregroundGroup() {
        synchronized (tree) {
            return session == 0 ? 0 : foreground;
        }
    }

    /**
     * TIOCGPGRP on the terminal; through a pty's master (anyMaster) whoever holds the master may
     * ask, and a terminal without a foreground group answers 0, as Linux does.
     */
    public long foregroundOf(Process caller, boolean anyMaster) {
        synchronized (tree) {
            if (anyMaster) return session != 0 && sessionAlive(caller.kernel) ? foreground : 0;
            return controls(caller) ? foreground : -Errno.ENOTTY;
        }
    }

    public long foregroundOf(Process caller) {
        return foregroundOf(caller, false);
    }

    /** TIOCGSID on the terminal (anyMaster: asked through a pty's master). */
    public long sessionOf(Process caller, boolean anyMaster) {
        synchronized (tree) {
            if (anyMaster) return session != 0 && sessionAlive(caller.kernel) ? session : -Errno.ENOTTY;
            return controls(caller) ? session : -Errno.ENOTTY;
        }
    }

    public long sessionOf(Process caller) {
        return sessionOf(caller, false);
    }

    /** Whether this terminal is the controlling terminal of caller's session. */
    public boolean controlsProcess(Process caller) {
        synchronized (tree) {
            return controls(caller);
        }
    }

    /** The foreground group signals typed at the terminal go to (ISIG, SIGWINCH), or 0 for none. */
    public int signalGroup(Kernel k) {
        synchronized (tree) {
            return session != 0 && sessionAlive(k) ? foreground : 0;
        }
    }

    /**
     * A session leader opening the terminal without O_NOCTTY: it becomes the controlling terminal
     * when neither has one yet (Linux's tty_open). Caller knows the process has no other terminal.
     */
    public void acquireOnOpen(Process caller) {
        synchronized (tree) {
            if (caller.sid != caller.pid || device < 0) return;
            if (session != 0 && sessionAlive(caller.kernel)) return;
            session = caller.sid;
            foreground = caller.pgid;
        }
    }

    /**
     * The terminal goes away from its session: a pty's master closed (hangup: SIGHUP and SIGCONT
     * to the session leader, as tty_signal_session_leader), or its session leader exited
     * (SIGHUP to the foreground group, as disassociate_ctty does for a pty).
     */
    public void hangup(Kernel k, boolean leaderExited) {
        java.util.List<Process> targets = new java.util.ArrayList<>();
        synchronized (tree) {
            if (session == 0) return;
            for (Process q : k.allProcesses()) {
                if (q.zombie) continue;
                // the leader itself is on its way out when its exit hangs the terminal up
                if (leaderExited ? q.pgid == foreground && q.pid != session : (q.sid == session && q.pid == session)) targets.add(q);
            }
            session = 0;
            foreground = 0;
        }
        for (Process q : targets) {
            SignalPosting.post(q, Signals.SIGHUP);
            if (!leaderExited) SignalPosting.post(q, Signals.SIGCONT);
        }
    }

    /** The device number of the terminal (st_rdev), or -1 when there is none. */
    public long device() {
        return device;
    }

    /**
     * TIOCNOTTY by the session leader: the session gives the terminal up, its foreground group
     * gets SIGHUP and SIGCONT (disassociate_ctty). Another member just returns: lxrun keeps the
     * terminal per session, not per process.
     */
    public long disassociate(Process caller) {
        java.util.List<Process> targets = new java.util.ArrayList<>();
        synchronized (tree) {
            if (!controls(caller)) return -Errno.ENOTTY;
            if (caller.pid != caller.sid) return 0;
            for (Process q : caller.kernel.allProcesses()) if (!q.zombie && q.pgid == foreground) targets.add(q);
            session = 0;
            foreground = 0;
        }
        for (Process q : targets) {
            SignalPosting.post(q, Signals.SIGHUP);
            SignalPosting.post(q, Signals.SIGCONT);
        }
        return 0;
    }

    /** The session whose terminal this is (0: none). */
    public int session() {
        synchronized (tree) {
            return session;
        }
    }

    /**
     * TIOCSPGRP: group becomes the foreground, if it is a group of the caller's session. A caller
     * in the background is stopped first (see changeFromBackground).
     */
    public long setForeground(Task caller, int group) {
        long check = changeFromBackground(caller);
        if (check == -Errno.EIO) return -Errno.ENOTTY;
        if (check != 0) return check;
        Process p = caller.process;
        synchronized (tree) {
            if (!controls(p)) return -Errno.ENOTTY;
            if (group < 0) return -Errno.EINVAL;
            int groupSession = ProcessTree.sessionOfGroup(p.kernel, group);
            if (groupSession < 0) return -Errno.ESRCH;
            if (groupSession != session) return -Errno.EPERM;
            foreground = group;
            return 0;
        }
    }

    /**
     * TIOCSCTTY: the session leader whose terminal it already is keeps it; one without a terminal
     * may take it from another session only with force (arg 1) as root, as on Linux.
     */
    public long makeControlling(Process caller, boolean force) {
        synchronized (tree) {
            if (device < 0) return -Errno.EPERM;
            if (caller.sid != caller.pid) return -Errno.EPERM;
            if (controls(caller)) return 0;
            if (caller.kernel.ptys.controlling(caller) != null) return -Errno.EPERM; // it has another terminal
            if (session != 0 && sessionAlive(caller.kernel) && !(force && caller.creds.euid() == 0)) return -Errno.EPERM;
            session = caller.sid;
            foreground = caller.pgid;
            return 0;
        }
    }

    /**
     * Whether caller may read the terminal now: 0 yes; -EIO when it is in a background group that
     * cannot be stopped (SIGTTIN ignored or blocked, or the group orphaned); otherwise its group
     * gets SIGTTIN and the read restarts once it is continued in the foreground.
     */
    public long readFromBackground(Task caller) {
        return jobControl(caller, Signals.SIGTTIN);
    }

    /**
     * Before a change of the terminal's settings or its foreground group: 0 to go ahead (the
     * caller is in the foreground, or ignores or blocks SIGTTOU); otherwise SIGTTOU stops its group
     * (-ERESTARTSYS), or -EIO for an orphaned group.
     */
    public long changeFromBackground(Task caller) {
        return jobControl(caller, Signals.SIGTTOU);
    }

    private long jobControl(Task caller, int sig) {
        Process p = caller.process;
        int group;
        synchronized (tree) {
            if (!controls(p) || p.pgid == foreground) return 0;
            boolean ignored = (caller.signalMask & (1L << (sig - 1))) != 0 || p.action(sig).handler() == Signals.SIG_IGN;
            if (ignored) return sig == Signals.SIGTTIN ? -Errno.EIO : 0;
            if (ProcessTree.orphanedGroup(p)) return -Errno.EIO;
            group = p.pgid;
        }
        for (Process q : ProcessTree.killTargets(p, -group)) SignalPosting.post(q, sig);
        return -SignalDelivery.ERESTARTSYS;
    }

    /** Whether this is caller's controlling terminal. Caller holds the tree lock. */
    private boolean controls(Process caller) {
        return device >= 0 && session != 0 && caller.sid == session;
    }

    private boolean sessionAlive(Kernel k) {
        for (Process q : k.allProcesses()) if (q.sid == session && !q.zombie) return true;
        return false;
    }
}
