package dev.lxrun.kernel;

import dev.lxrun.kernel.exec.ExecException;
import dev.lxrun.kernel.exec.ExecImage;
import dev.lxrun.kernel.exec.ProgramLoader;
import dev.lxrun.kernel.syscalls.Linux64;
import dev.lxrun.syscalls.SyscallTable;
import dev.lxrun.vfs.FdTable;
import dev.lxrun.vfs.HostFile;
import dev.lxrun.vfs.host.HostPosix;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The kernel: the syscall table, the process table, and starting the first guest process. */
public final class Kernel {
    public final SyscallTable<Syscall> syscalls = Linux64.table();
    public final KernelConfig config;
    public final long bootNanos = System.nanoTime();
    public volatile SyscallTracer tracer;
    public final dev.lxrun.kernel.futex.FutexTable futexes = new dev.lxrun.kernel.futex.FutexTable();
    private final AtomicInteger lastPid;
    private final ProgramLoader loader;
    private static final java.nio.charset.Charset HOST_CHARSET =
            java.nio.charset.Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"), java.nio.charset.StandardCharsets.UTF_8);

    public Kernel(KernelConfig config) {
        this.config = config;
        this.lastPid = new AtomicInteger((int) ProcessHandle.current().pid() - 1);
        this.loader = new ProgramLoader(this::hostPath);
        // The guest's umask is applied by the kernel; the host must not apply the JVM's on top.
        HostPosix.umask(0);
    }

    /** Host location of a guest path (the guest root is the host's /). */
    public Path hostPath(String guestPath) {
        // Guest strings carry bytes one per char; the host's Path API wants them decoded.
        String decoded = new String(guestPath.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), HOST_CHARSET);
        return Path.of(config.cwd()).resolve(decoded);
    }

    public int allocatePid() {
        return lastPid.incrementAndGet();
    }

    /** Loads path and runs it as the first guest process, with the host's stdio as fds 0–2. */
    public ExitStatus runInitial(String path, List<String> argv, List<String> envp, int umask) throws ExecException {
        FdTable fds = new FdTable(1024);
        for (int fd = 0; fd < 3; fd++) {
            int host = HostPosix.dup(fd);
            if (host >= 0) fds.installAt(fd, new HostFile(host), false);
        }
        int pid = allocatePid();
        int ppid = (int) ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(1L).longValue();
        Credentials creds = Credentials.ofHost();
        Process p = new Process(this, pid, ppid, fds, FsContext.open(config.cwd(), umask), new Rlimits(), creds);
        ExecImage image;
        try {
            image = loader.load(path, argv, envp, creds);
        } catch (ExecException e) {
            fds.closeAll();
            throw e;
        }
        Task t = new Task(p, pid);
        t.install(image);
        return t.run();
    }
}
