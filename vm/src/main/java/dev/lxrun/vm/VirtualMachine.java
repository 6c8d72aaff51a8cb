package dev.lxrun.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A booted QEMU guest running lxrun's init, reachable over its agent socket. A cold VM lives for
 * one program and is killed on close; a persistent one (see {@link PersistentVm}) is daemonized
 * and outlives the lxrun that started it.
 */
public final class VirtualMachine implements AutoCloseable {
    private final VmConfig config;
    private final Path workDir;
    private final Process qemu; // null for a daemonized VM
    private final long bootMillis;
    /** A one-shot guest powers off when its host connection closes: the connection that saw it boot runs the program. */
    private AgentConnection open;

    private VirtualMachine(VmConfig config, Path workDir, Process qemu, long bootMillis) {
        this.config = config;
        this.workDir = workDir;
        this.qemu = qemu;
        this.bootMillis = bootMillis;
    }

    public VmConfig config() {
        return config;
    }

    public long bootMillis() {
        return bootMillis;
    }

    public Path socket() {
        return workDir.resolve("ctl.sock");
    }

    static Path consoleLog(Path workDir) {
        return workDir.resolve("console.log");
    }

    /** Boots a VM for one program, in a fresh temporary work directory. */
    public static VirtualMachine bootCold(VmConfig config, Progress progress) throws VmException {
        return bootFallingBack(config, () -> Files.createTempDirectory("lxrun-vm-"), true, progress);
    }

    /** Where a boot attempt keeps its socket, logs and pid file; each attempt asks for a fresh one. */
    @FunctionalInterface
    interface WorkDirs {
        Path fresh() throws IOException;
    }

    /**
     * Boots with the configured accelerator. A hardware one that fails to boot the kernel is marked
     * unusable and the boot retried under TCG, once (unless LXRUN_VM_ACCEL forced the choice).
     */
    static VirtualMachine bootFallingBack(VmConfig config, WorkDirs dirs, boolean oneshot, Progress progress) throws VmException {
        QemuInstaller.ensure(progress);
        try {
            return bootIn(config, dirs, oneshot);
        } catch (BootFailure f) {
            if (!config.accel().isHardware() || System.getenv("LXRUN_VM_ACCEL") != null) throw f.asVmException();
            config.accel().markUnusable(config.cacheDir(), f.getMessage());
            progress.say(config.accel().label() + " could not boot the kernel (" + f.getMessage() + "); using TCG from now on");
            try {
                return bootIn(config.withAccel(Accelerator.TCG), dirs, oneshot);
            } catch (BootFailure again) {
                throw again.asVmException();
            }
        }
    }

    /** One attempt; a one-shot attempt that fails leaves no work directory behind. */
    private static VirtualMachine bootIn(VmConfig config, WorkDirs dirs, boolean oneshot) throws BootFailure, VmException {
        Path dir;
        try {
            dir = dirs.fresh();
        } catch (IOException e) {
            throw new VmException("cannot create a VM work directory: " + e.getMessage());
        }
        try {
            return boot(config, dir, oneshot);
        } catch (BootFailure | VmException | RuntimeException e) {
            if (oneshot) KernelLocator.deleteTree(dir);
            throw e;
        }
    }

    /** Thrown when QEMU exits or the agent stays silent past the boot bound; carries the console's last words. */
    static final class BootFailure extends Exception {
        BootFailure(String message) {
            super(message);
        }

        VmException asVmException() {
            return new VmException("the VM did not start: " + getMessage());
        }
    }

    private static VirtualMachine boot(VmConfig config, Path workDir, boolean oneshot) throws BootFailure, VmException {
        Path log = workDir.resolve("qemu.log");
        List<String> cmd = QemuCommandLine.of(config, workDir.resolve("ctl.sock"), consoleLog(workDir), oneshot,
                oneshot ? null : workDir.resolve("qemu.pid"));
        long start = System.nanoTime();
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new VmException("cannot start " + cmd.getFirst() + ": " + e.getMessage());
        }
        if (oneshot) {
            Process qemu = p;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stopProcess(qemu)));
        } else {
            try {
                // -daemonize: the foreground QEMU exits once the VM is set up (status != 0 if it failed).
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    stopProcess(p);
                    throw new BootFailure("QEMU failed: " + tail(log, 3));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VmException("interrupted while starting the VM");
            }
        }
        long deadline = start + TimeUnit.SECONDS.toNanos(config.bootTimeoutSeconds());
        AgentConnection ready;
        try {
            ready = awaitAgent(config, workDir, deadline, oneshot ? p : null);
        } catch (BootFailure f) {
            if (oneshot) stopProcess(p);
            else PersistentVm.killDaemon(workDir);
            throw f;
        }
        VirtualMachine vm = new VirtualMachine(config, workDir, oneshot ? p : null, (System.nanoTime() - start) / 1_000_000);
        if (oneshot) vm.open = ready;
        else ready.close();
        return vm;
    }

    /** Connects and pings until the guest's init answers (a finished boot); returns that connection. */
    private static AgentConnection awaitAgent(VmConfig config, Path workDir, long deadline, Process watched) throws BootFailure {
        Path socket = workDir.resolve("ctl.sock");
        while (true) {
            if (watched != null && !watched.isAlive()) {
                throw new BootFailure("QEMU exited with status " + watched.exitValue() + ": " + tail(workDir.resolve("qemu.log"), 2) + " " + tail(consoleLog(workDir), 3));
            }
            if (System.nanoTime() > deadline) {
                throw new BootFailure("no answer from the guest within " + config.bootTimeoutSeconds() + " s" + consoleTail(workDir));
            }
            if (Files.exists(socket)) {
                AgentConnection c = null;
                try {
                    c = AgentConnection.connect(socket);
                    AgentConnection conn = c;
                    Thread timer = Thread.ofVirtual().start(() -> {
                        try {
                            Thread.sleep(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                            conn.close();
                        } catch (InterruptedException ignored) {
                            // answered in time
                        }
                    });
                    c.send('P');
                    AgentConnection.Frame f = c.receive();
                    timer.interrupt();
                    if (f.type() == 'P') return c;
                    c.close();
                } catch (IOException e) {
                    if (c != null) c.close(); // not listening yet, or the wait ran out: the loop decides
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BootFailure("interrupted");
            }
        }
    }

    private static String consoleTail(Path workDir) {
        String t = tail(consoleLog(workDir), 3);
        return t.isEmpty() ? " (the kernel printed nothing)" : "; console: " + t;
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
            return String.join(" | ", last.stream().map(s -> s.replaceAll("[\\p{Cntrl}]", "").strip()).filter(s -> !s.isEmpty()).toList());
        } catch (IOException e) {
            return "";
        }
    }

    AgentConnection connect() throws VmException {
        if (open != null) {
            AgentConnection c = open;
            open = null;
            return c;
        }
        try {
            return AgentConnection.connect(socket());
        } catch (IOException e) {
            throw new VmException("cannot reach the VM agent: " + e.getMessage());
        }
    }

    /** Runs one program and returns how it ended. */
    public GuestExit run(GuestRequest request, VmSession.Streams streams, java.util.function.Consumer<VmSession> onStart) throws VmException {
        try (AgentConnection c = connect()) {
            return new VmSession(c).run(request, streams, onStart);
        }
    }

    private static void stopProcess(Process p) {
        if (!p.isAlive()) return;
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A cold VM is killed (the program's files are already on the host: the agent syncs before reporting). */
    @Override
    public void close() {
        if (qemu == null) return;
        stopProcess(qemu);
        KernelLocator.deleteTree(workDir);
    }
}
