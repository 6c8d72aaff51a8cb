package dev.lxrun.kernel;

import dev.lxrun.kernel.mm.AddressSpace;
import dev.lxrun.vfs.FdTable;
import java.util.List;

/** A guest process (thread group): its address space, files, filesystem context, signals, limits. */
public final class Process {
    public final Kernel kernel;
    public final int pid;
    public final int ppid;
    public volatile AddressSpace mm;
    public final FdTable fds;
    public final FsContext fs;
    public final Rlimits rlimits;
    public volatile Credentials creds;
    private final SignalAction[] actions = new SignalAction[Signals.NSIG + 1];
    public volatile List<String> argv = List.of();
    public volatile String exePath = "";
    private volatile ExitStatus exitStatus;

    public Process(Kernel kernel, int pid, int ppid, FdTable fds, FsContext fs, Rlimits rlimits, Credentials creds) {
        this.kernel = kernel;
        this.pid = pid;
        this.ppid = ppid;
        this.fds = fds;
        this.fs = fs;
        this.rlimits = rlimits;
        this.creds = creds;
        java.util.Arrays.fill(actions, SignalAction.DEFAULT);
    }

    public SignalAction action(int sig) { return actions[sig]; }

    public void setAction(int sig, SignalAction a) { actions[sig] = a; }

    /** Records how the process ended; the first report wins (exit_group racing a fatal signal). */
    public synchronized void exit(ExitStatus status) {
        if (exitStatus == null) exitStatus = status;
    }

    public ExitStatus exitStatus() { return exitStatus; }

    public boolean exited() { return exitStatus != null; }
}
