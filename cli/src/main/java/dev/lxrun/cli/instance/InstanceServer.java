package dev.lxrun.cli.instance;

import dev.lxrun.kernel.Kernel;
import dev.lxrun.kernel.KernelConfig;
import dev.lxrun.kernel.Process;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A resident instance: one kernel for one root that keeps running between commands, so that the
 * JVM start, the kernel's set-up and the warm translations are paid once; every client's program
 * is a new session of it (shared pids, /proc, pipes, sockets, locks, IPC). It ends after
 * `idleSeconds` with neither clients nor guest processes, or on SIGTERM (lxrun instance stop).
 */
public final class InstanceServer {
    /** Native stack for a client's first task, as Kernel gives every guest thread. */
    private static final long CLIENT_STACK = 16L << 20;

    private final String root;
    private final long idleMillis;
    private final AtomicInteger clients = new AtomicInteger();
    private Kernel kernel;

    public InstanceServer(String root, long idleSeconds) {
        this.root = root;
        this.idleMillis = idleSeconds * 1000;
    }

    /** Serves until idle or killed; the exit status for `lxrun instance serve`. */
    public int serve() throws IOException {
        Path dir = InstancePaths.privateDirectory();
        Path sock = InstancePaths.socket(root);
        // The lock says an instance owns this root; it goes with the process however it ends.
        FileChannel lockFile = FileChannel.open(InstancePaths.sibling(root, ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = lockFile.tryLock();
        if (lock == null) {
            System.err.println("lxrun: instance: one already runs for " + root);
            return 3;
        }
        // Holding the lock, any socket left is a crashed instance's (stale).
        HostSockets.unlink(sock.toString());
        kernel = new Kernel(new KernelConfig("/", dev.lxrun.cli.Hostname.get(), root));
        dev.lxrun.net.NetShim.install(kernel);
        kernel.mount(new dev.lxrun.procfs.ProcFs(kernel));
        kernel.mount(new dev.lxrun.procfs.SysFs(kernel));
        int listener = HostSockets.listen(sock.toString(), 128);
        if (listener < 0) {
            System.err.println("lxrun: instance: cannot listen at " + sock + " (errno " + -listener + ")");
            return 1;
        }
        Path info = InstancePaths.sibling(root, ".root");
        Files.writeString(info, root + "\n" + ProcessHandle.current().pid() + "\n");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> cleanUp(sock, info)));
        Thread idle = new Thread(() -> watchIdle(sock, info), "instance-idle");
        idle.setDaemon(true);
        idle.start();
        System.err.println("lxrun: instance for " + root + " listening at " + sock);
        for (int n = 0; ; n++) {
            int s = HostSockets.accept(listener);
            if (s < 0) {
                System.err.println("lxrun: instance: accept failed (errno " + -s + ")");
                continue;
            }
            clients.incrementAndGet();
            ClientSession session = new ClientSession(kernel, root, s);
            Thread t = new Thread(null, () -> {
                try {
                    session.run();
                } finally {
                    clients.decrementAndGet();
                }
            }, "client-" + n, CLIENT_STACK);
            t.setDaemon(true);
            t.start();
        }
    }

    /** Ends the instance once it has been idle (no client, no live guest process) for idleMillis. */
    private void watchIdle(Path sock, Path info) {
        long idleSince = System.currentTimeMillis();
        while (true) {
            try {
                Thread.sleep(Math.min(1000, Math.max(50, idleMillis / 4)));
            } catch (InterruptedException e) {
                return;
            }
            long now = System.currentTimeMillis();
            if (clients.get() > 0 || liveGuests()) {
                idleSince = now;
            } else if (now - idleSince >= idleMillis) {
                System.err.println("lxrun: instance for " + root + " idle, ending");
                System.exit(0); // the shutdown hook removes the socket
            }
        }
    }

    private boolean liveGuests() {
        List<Process> all = kernel.allProcesses();
        for (Process p : all) if (!p.exited()) return true;
        return false;
    }

    private static void cleanUp(Path sock, Path info) {
        HostSockets.unlink(sock.toString());
        try {
            Files.deleteIfExists(info);
        } catch (IOException e) {
            // Best effort: a left-over .root file is ignored by list (its socket is dead).
        }
    }
}
