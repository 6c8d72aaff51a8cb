package dev.lxrun.cli;

import dev.lxrun.cpu.UnicornException;
import dev.lxrun.kernel.ExitStatus;
import dev.lxrun.kernel.Kernel;
import dev.lxrun.kernel.KernelConfig;
import dev.lxrun.kernel.MountRequest;
import dev.lxrun.kernel.Signals;
import dev.lxrun.kernel.auto.VmFallbackWatch;
import dev.lxrun.kernel.exec.ExecException;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.host.HostPosix;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "lxrun", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
        description = "Runs a Linux x86-64 program by translating its system calls.",
        footer = {"", "Subcommands:",
                "  syscalls            the syscall support table (--json for JSON)",
                "  vm start|stop|status  a persistent VM for --mode vm (as WSL2 keeps its VM up)",
                "  compat-db list|forget|clear  programs --mode auto sends straight to the VM",
                "  import NAME ROOTFS.tar [DIR] | export NAME FILE.tar | list | unregister NAME | config NAME  distros, as WSL's"})
public final class RunCommand implements Callable<Integer> {
    @Option(names = "-E", paramLabel = "VAR=VALUE", description = "Set an environment variable for the program.")
    List<String> setEnv = new ArrayList<>();

    @Option(names = "-U", paramLabel = "VAR", description = "Remove a variable from the program's environment.")
    List<String> unsetEnv = new ArrayList<>();

    @Option(names = "-0", paramLabel = "ARGV0", description = "Pass ARGV0 as argv[0] instead of PROGRAM.")
    String argv0;

    @Option(names = "--strace", description = "Print each system call to stderr, strace-style.")
    boolean strace;

    @Option(names = "--gdb", paramLabel = "PORT",
            description = "Stop the program before its first instruction and wait for gdb on 127.0.0.1:PORT (target remote :PORT), as qemu-user's -g.")
    Integer gdbPort;

    @Option(names = "--syscall-log", paramLabel = "FILE", description = "Write each syscall made and how often to FILE (for lxrun compat).")
    String syscallLog;

    @Option(names = "--root", paramLabel = "DIR",
            description = "Use DIR as the program's root directory: no path it uses can leave DIR.")
    String root;

    @Option(names = {"-d", "--distribution"}, paramLabel = "NAME",
            description = "Run in the imported distro NAME (lxrun import): its root with --metadata, as its default user, "
                    + "in the host cwd when inside the distro, else the user's home. Without PROGRAM, the user's shell.")
    String distroName;

    @Option(names = "--mount", paramLabel = "HOSTDIR:GUESTDIR[:OPTIONS]",
            description = "Show the host directory HOSTDIR at GUESTDIR (an existing directory in the guest's tree), "
                    + "like WSL's /mnt/c. OPTIONS, comma-separated: ro (read-only), metadata (keep Linux owners and "
                    + "device nodes the host files cannot hold in extended attributes). Repeatable.")
    List<String> bindMounts = new ArrayList<>();

    @Option(names = "--tmpfs", paramLabel = "GUESTDIR[:ro]",
            description = "Mount an empty in-memory filesystem at GUESTDIR; its files vanish when lxrun ends. Repeatable.")
    List<String> tmpfsMounts = new ArrayList<>();

    @Option(names = "--metadata", description = "Keep Linux owners and device nodes the root's host files cannot hold "
            + "in extended attributes (user.lxrun.meta), as WSL does for its distributions.")
    boolean rootMetadata;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "translate",
            description = "translate (default): system calls translated by lxrun; vm: run in a Linux VM (QEMU); "
                    + "auto: translate, and move to the VM when the program needs a system call lxrun lacks.")
    Mode mode;

    @Option(names = {"-v", "--verbose"}, description = "Say how the program is run (e.g. the VM's accelerator and boot time).")
    boolean verbose;

    enum Mode { translate, vm, auto }

    @Parameters(index = "0", paramLabel = "PROGRAM", arity = "0..1", description = "The program to run (searched in PATH if it has no '/').")
    String program;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments for the program.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        PrintStream err = System.err;
        dev.lxrun.cli.distro.DistroLaunch distro = null;
        if (distroName != null) {
            if (root != null) {
                err.println("lxrun: -d and --root both name the root; give one");
                return 2;
            }
            try {
                distro = dev.lxrun.cli.distro.DistroLaunch.resolve(distroName, System.getProperty("user.dir"));
            } catch (Exception e) {
                err.println("lxrun: " + e.getMessage());
                return 2;
            }
            root = distro.root().toString();
            rootMetadata = true;
            if (program == null) program = distro.shell();
            setEnv.addAll(0, distro.environment());
        }
        if (program == null) {
            err.println("lxrun: no program given (try lxrun --help)");
            return 2;
        }
        String rootDir = "/";
        if (root != null) {
            java.nio.file.Path r = java.nio.file.Path.of(root);
            if (!java.nio.file.Files.isDirectory(r)) {
                err.println("lxrun: " + root + ": root directory " + (java.nio.file.Files.exists(r) ? "is not a directory" : "does not exist"));
                return 2;
            }
            try {
                rootDir = r.toRealPath().toString();
            } catch (java.io.IOException e) {
                err.println("lxrun: " + root + ": cannot use as root directory: " + e.getMessage());
                return 2;
            }
        }
        List<MountRequest> mounts = new ArrayList<>();
        try {
            for (String spec : bindMounts) {
                MountRequest m = MountRequest.parse(spec, false);
                java.nio.file.Path h = java.nio.file.Path.of(m.hostDir());
                if (!java.nio.file.Files.isDirectory(h)) {
                    err.println("lxrun: --mount " + spec + ": " + m.hostDir() + " is not a directory");
                    return 2;
                }
                mounts.add(new MountRequest(h.toRealPath().toString(), m.guestPath(), false, m.readOnly(), m.metadata()));
            }
            for (String spec : tmpfsMounts) mounts.add(MountRequest.parse(spec, true));
        } catch (IllegalArgumentException | java.io.IOException e) {
            err.println("lxrun: " + (e instanceof IllegalArgumentException ? "" : "--mount: ") + e.getMessage());
            return 2;
        }
        if ((!mounts.isEmpty() || rootMetadata) && mode != Mode.translate) {
            err.println("lxrun: --mount, --tmpfs and --metadata work in translate mode only (not yet in --mode " + mode + ")");
            return 2;
        }
        List<String> envp = GuestEnvironment.build(setEnv, unsetEnv);
        String path = ProgramSearch.resolve(program, GuestEnvironment.value(envp, "PATH"), rootDir);
        if (path == null) {
            err.println("lxrun: " + program + ": command not found");
            return 127;
        }
        List<String> argv = new ArrayList<>();
        argv.add(argv0 != null ? argv0 : program);
        argv.addAll(args);
        String cwd = distro != null ? distro.cwd() : System.getProperty("user.dir");
        if (gdbPort != null && mode != Mode.translate) {
            err.println("lxrun: --gdb works in translate mode only (not in --mode " + mode + ")");
            return 2;
        }
        if (mode == Mode.vm) return VmRun.run(rootDir, path, argv, envp, cwd, verbose, err);
        AutoMode auto = mode == Mode.auto ? new AutoMode(program, args, rootDir, path, cwd, err) : null;
        if (auto != null && auto.knownToNeedVm()) return VmRun.run(rootDir, path, argv, envp, cwd, verbose, err);
        // The instance client found no instance for this command (LXRUN_INSTANCE=1): one is started
        // in the background for the next commands, and this one runs here as before.
        if ("start".equals(System.getenv("LXRUN_CLIENT")) && mounts.isEmpty() && !rootMetadata && mode == Mode.translate) {
            try {
                dev.lxrun.cli.instance.InstanceCommand.startInBackground(rootDir);
            } catch (java.io.IOException | RuntimeException e) {
                err.println("lxrun: could not start an instance: " + e.getMessage());
            }
        }
        int umask = HostPosix.umask(0);
        HostPosix.umask(umask);
        Kernel kernel;
        try {
            kernel = new Kernel(new KernelConfig(cwd, Hostname.get(), rootDir, mounts, rootMetadata));
        } catch (IllegalArgumentException e) {
            err.println("lxrun: " + e.getMessage());
            return 2;
        } catch (UnicornException e) {
            err.println("lxrun: " + e.getMessage());
            return 1;
        }
        dev.lxrun.net.NetShim.install(kernel); // sockets: the kernel itself has none
        if (distro != null) kernel.initialCredentials = distro.credentials();
        dev.lxrun.kernel.gdbstub.GdbStub gdb = null;
        if (gdbPort != null) {
            if (gdbPort < 0 || gdbPort > 65535) {
                err.println("lxrun: --gdb " + gdbPort + ": not a TCP port");
                return 2;
            }
            try {
                gdb = dev.lxrun.kernel.gdbstub.GdbStub.listen(gdbPort);
            } catch (java.io.IOException e) {
                err.println("lxrun: --gdb " + gdbPort + ": cannot listen on 127.0.0.1:" + gdbPort + ": " + e.getMessage());
                return 1;
            }
            kernel.gdb = gdb;
            gdb.start();
        }
        if (strace) kernel.tracer = new StraceTracer(err);
        SyscallCounter counter = syscallLog == null ? null : new SyscallCounter(kernel.tracer);
        if (counter != null) kernel.tracer = counter;
        VmFallbackWatch watch = auto == null ? null : new VmFallbackWatch(kernel, kernel.tracer);
        if (watch != null) kernel.tracer = watch;
        HostSignals.forwardTo(kernel);
        kernel.mount(new dev.lxrun.procfs.ProcFs(kernel));
        kernel.mount(new dev.lxrun.procfs.SysFs(kernel));
        ExitStatus status;
        try {
            status = kernel.runInitial(path, argv, envp, umask);
        } catch (ExecException e) {
            if (e.fatal()) { // past Linux's point of no return: the program dies as it would there
                if (System.getenv("LXRUN_DEBUG") != null) err.println("lxrun: " + program + ": " + e.getMessage());
                err.println(Signals.shellMessage(Signals.SIGSEGV));
                return 128 + Signals.SIGSEGV;
            }
            err.println("lxrun: " + program + ": " + e.getMessage());
            return e.errno() == Errno.ENOENT ? 127 : 126;
        } catch (UnicornException e) {
            err.println("lxrun: " + e.getMessage());
            return 1;
        } finally {
            if (counter != null) {
                try {
                    counter.write(java.nio.file.Path.of(syscallLog));
                } catch (java.io.IOException e) {
                    err.println("lxrun: --syscall-log " + syscallLog + ": " + e.getMessage());
                }
            }
        }
        if (gdb != null) gdb.exited(status); // gdb hears how the program ended (W or X)
        if (auto != null && auto.restartInVm(watch.trigger())) return VmRun.run(rootDir, path, argv, envp, cwd, verbose, err);
        if (status instanceof ExitStatus.Killed k) {
            String msg = Signals.shellMessage(k.signal());
            if (msg != null) err.println(msg);
        }
        err.flush();
        return status.shellStatus();
    }
}
