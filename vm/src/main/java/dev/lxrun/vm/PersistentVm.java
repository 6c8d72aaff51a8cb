package dev.lxrun.vm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The VM kept running between commands (`lxrun vm start|stop|status`), as WSL2 keeps its VM up:
 * QEMU daemonized with its agent socket and state in a per-user directory, so each later
 * `--mode vm` costs a connection instead of a boot. One program runs at a time; QEMU's socket
 * accepts the next client when the current one is done.
 */
public final class PersistentVm {
    private PersistentVm() {}

    /** What `vm status` shows and what `--mode vm` needs to decide whether it can use the running VM. */
    public record Status(long pid, Path root, String accel, String kernel, String machine, Instant started, long bootMillis, Path socket) {
        public String describe() {
            Duration up = Duration.between(started, Instant.now());
            return "running: pid " + pid + ", root " + root + ", " + accel + ", kernel " + kernel + ", machine " + machine
                    + ", booted in " + bootMillis + " ms, up " + up.toSeconds() + " s";
        }
    }

    /** LXRUN_VM_STATE, else $XDG_RUNTIME_DIR/lxrun-vm, else /tmp/lxrun-vm-USER (short: it holds a Unix socket). */
    public static Path stateDir() {
        String explicit = System.getenv("LXRUN_VM_STATE");
        if (explicit != null && !explicit.isEmpty()) return Path.of(explicit);
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isEmpty() && Files.isDirectory(Path.of(runtime))) return Path.of(runtime, "lxrun-vm");
        return Path.of(System.getProperty("java.io.tmpdir"), "lxrun-vm-" + System.getProperty("user.name"));
    }

    public static Optional<Status> status() {
        Path dir = stateDir();
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve("vm.properties"))) {
            p.load(in);
            long pid = Long.parseLong(p.getProperty("pid"));
            if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) return Optional.empty();
            return Optional.of(new Status(pid, Path.of(p.getProperty("root")), p.getProperty("accel"), p.getProperty("kernel"),
                    p.getProperty("machine"), Instant.ofEpochMilli(Long.parseLong(p.getProperty("started"))),
                    Long.parseLong(p.getProperty("bootMillis")), dir.resolve("ctl.sock")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public static Status start(VmConfig config, Progress progress) throws VmException {
        Optional<Status> running = status();
        if (running.isPresent()) throw new VmException("a VM is already running (" + running.get().describe() + "); lxrun vm stop first");
        Path dir = stateDir();
        VirtualMachine vm = VirtualMachine.bootFallingBack(config, () -> {
            KernelLocator.deleteTree(dir);
            return Files.createDirectories(dir);
        }, false, progress);
        VmConfig used = vm.config();
        Properties p = new Properties();
        try {
            p.setProperty("pid", Files.readString(dir.resolve("qemu.pid")).strip());
            p.setProperty("root", used.root().toString());
            p.setProperty("accel", used.accel().label());
            p.setProperty("kernel", used.kernel().release() == null ? used.kernel().image().toString() : used.kernel().release());
            p.setProperty("machine", used.machine());
            p.setProperty("started", Long.toString(System.currentTimeMillis()));
            p.setProperty("bootMillis", Long.toString(vm.bootMillis()));
            try (OutputStream out = Files.newOutputStream(dir.resolve("vm.properties"))) {
                p.store(out, "lxrun persistent VM");
            }
        } catch (IOException e) {
            killDaemon(dir);
            throw new VmException("cannot record the VM's state in " + dir + ": " + e.getMessage());
        }
        return status().orElseThrow(() -> new VmException("the VM exited right after it booted; see " + dir.resolve("console.log")));
    }

    /** Asks the guest to power off; kills QEMU if it has not gone within a few seconds. */
    public static boolean stop() {
        Optional<Status> s = status();
        if (s.isEmpty()) {
            KernelLocator.deleteTree(stateDir());
            return false;
        }
        try (AgentConnection c = AgentConnection.connect(s.get().socket())) {
            c.send('Q');
        } catch (IOException ignored) {
            // unreachable agent: the kill below ends it
        }
        ProcessHandle.of(s.get().pid()).ifPresent(h -> {
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        });
        KernelLocator.deleteTree(stateDir());
        return true;
    }

    static void killDaemon(Path dir) {
        try {
            long pid = Long.parseLong(Files.readString(dir.resolve("qemu.pid")).strip());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        } catch (IOException | RuntimeException ignored) {
            // no pid file: QEMU never daemonized
        }
    }

    /** Runs a program in the running VM. */
    public static GuestExit run(Status s, GuestRequest request, VmSession.Streams streams,
                                java.util.function.Consumer<VmSession> onStart) throws VmException {
        try (AgentConnection c = AgentConnection.connect(s.socket())) {
            return new VmSession(c).run(request, streams, onStart);
        } catch (IOException e) {
            throw new VmException("cannot reach the running VM: " + e.getMessage());
        }
    }
}
