package dev.lxrun.cli.instance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `lxrun instance start|stop|list`: the resident instances that `lxrun` commands connect to. */
@Command(name = "instance", description = "Manage resident instances (one kernel per root that later lxrun commands join).",
        subcommands = {InstanceCommand.Start.class, InstanceCommand.Stop.class, InstanceCommand.ListAll.class,
                InstanceCommand.Serve.class})
public final class InstanceCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("lxrun instance: expected start, stop or list");
        return 2;
    }

    /** The real path of a --root argument, or null after saying why not. */
    static String realRoot(String root) {
        Path r = Path.of(root);
        if (!Files.isDirectory(r)) {
            System.err.println("lxrun: " + root + ": root directory " + (Files.exists(r) ? "is not a directory" : "does not exist"));
            return null;
        }
        try {
            return r.toRealPath().toString();
        } catch (IOException e) {
            System.err.println("lxrun: " + root + ": " + e.getMessage());
            return null;
        }
    }

    /** Whether an instance answers at root's socket. */
    public static boolean running(String root) {
        int s = HostSockets.connect(InstancePaths.socket(root).toString());
        if (s < 0) return false;
        HostSockets.close(s);
        return true;
    }

    static long idleSeconds() {
        String v = System.getenv("LXRUN_INSTANCE_IDLE");
        try {
            return v == null || v.isEmpty() ? 60 : Math.max(1, Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            return 60;
        }
    }

    /**
     * Starts `lxrun instance serve` for root in its own session (no terminal signal reaches it),
     * its output going to NAME.log; returns without waiting for it to listen.
     */
    public static void startInBackground(String root) throws IOException {
        Path dir = InstancePaths.privateDirectory();
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) cmd.add("/usr/bin/setsid");
        cmd.addAll(ownCommand());
        cmd.addAll(List.of("instance", "serve", "--root", root));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Path log = dir.resolve(InstancePaths.name(root) + ".log");
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).redirectErrorStream(true);
        pb.directory(new java.io.File("/"));
        pb.start();
    }

    /** How to start lxrun again: this JVM's own command line up to its jar, else the launcher. */
    private static List<String> ownCommand() {
        ProcessHandle.Info info = ProcessHandle.current().info();
        Optional<String> java = info.command();
        String[] args = info.arguments().orElse(new String[0]);
        for (int i = 0; i < args.length && java.isPresent(); i++) {
            // `java … -jar lxrun.jar` (the launcher) or `java … -cp PATH dev.lxrun.cli.Main` (bench, tests)
            int last = args[i].equals("-jar") && i + 1 < args.length ? i + 1
                    : args[i].equals(dev.lxrun.cli.Main.class.getName()) ? i : -1;
            if (last < 0) continue;
            List<String> cmd = new ArrayList<>();
            cmd.add(java.get());
            for (int j = 0; j <= last; j++) cmd.add(args[j]);
            return cmd;
        }
        String home = System.getenv("LXRUN_HOME");
        if (home == null) throw new IllegalStateException("cannot tell how lxrun was started (LXRUN_HOME unset)");
        return List.of(home + "/lxrun");
    }

    @Command(name = "start", description = "Start the instance for a root (default /) and wait until it listens.")
    static final class Start implements Callable<Integer> {
        @Option(names = "--root", paramLabel = "DIR", description = "The root directory the instance serves (default /).")
        String root = "/";

        @Override
        public Integer call() throws IOException {
            String r = realRoot(root);
            if (r == null) return 2;
            Path sock = InstancePaths.socket(r);
            if (running(r)) {
                System.out.println("already running for " + r + " at " + sock);
                return 0;
            }
            startInBackground(r);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline) {
                if (running(r)) {
                    System.out.println("started for " + r + " at " + sock);
                    return 0;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return 1;
                }
            }
            System.err.println("lxrun: instance for " + r + " did not start; see " + InstancePaths.sibling(r, ".log"));
            return 1;
        }
    }

    @Command(name = "stop", description = "Stop the instance for a root (default /), ending its programs.")
    static final class Stop implements Callable<Integer> {
        @Option(names = "--root", paramLabel = "DIR", description = "The root directory of the instance (default /).")
        String root = "/";

        @Override
        public Integer call() {
            String r = realRoot(root);
            if (r == null) return 2;
            Optional<ProcessHandle> server = serverOf(InstancePaths.sibling(r, ".root"));
            if (server.isEmpty()) {
                System.out.println("not running");
                return 0;
            }
            server.get().destroy(); // SIGTERM: the JVM's shutdown removes the socket
            try {
                server.get().onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                server.get().destroyForcibly();
            }
            HostSockets.unlink(InstancePaths.socket(r).toString());
            System.out.println("stopped");
            return 0;
        }
    }

    /** The live instance process an info file names (its command line says so), if any. */
    static Optional<ProcessHandle> serverOf(Path info) {
        try {
            List<String> lines = Files.readAllLines(info);
            long pid = Long.parseLong(lines.get(1).trim());
            return ProcessHandle.of(pid).filter(p -> {
                try {
                    return Files.readString(Path.of("/proc/" + pid + "/cmdline")).contains("instance\0serve");
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Command(name = "list", description = "List the running instances and the persistent VM.")
    static final class ListAll implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            int shown = 0;
            Path dir = InstancePaths.directory();
            if (Files.isDirectory(dir)) {
                try (var files = Files.list(dir)) {
                    for (Path info : files.filter(f -> f.toString().endsWith(".root")).sorted().toList()) {
                        List<String> lines;
                        try {
                            lines = Files.readAllLines(info);
                        } catch (IOException e) {
                            continue;
                        }
                        if (lines.size() < 2) continue;
                        String r = lines.get(0);
                        if (serverOf(info).isEmpty() || !running(r)) {
                            // Stale: the instance died without cleaning up; its socket is refused.
                            HostSockets.unlink(InstancePaths.socket(r).toString());
                            Files.deleteIfExists(info);
                            continue;
                        }
                        System.out.println("translate  " + r + "  pid " + lines.get(1).trim() + "  " + InstancePaths.socket(r));
                        shown++;
                    }
                }
            }
            var vm = dev.lxrun.vm.PersistentVm.status();
            if (vm.isPresent()) {
                System.out.println("vm         " + vm.get().describe());
                shown++;
            }
            if (shown == 0) System.out.println("no instance running");
            return 0;
        }
    }

    @Command(name = "serve", hidden = true, description = "Run an instance in the foreground (what start runs).")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--root", paramLabel = "DIR")
        String root = "/";

        @Option(names = "--idle", paramLabel = "SECONDS", description = "End after this long without clients or programs (default 60, or LXRUN_INSTANCE_IDLE).")
        Long idle;

        @Override
        public Integer call() throws IOException {
            String r = realRoot(root);
            if (r == null) return 2;
            return new InstanceServer(r, idle != null ? idle : idleSeconds()).serve();
        }
    }
}
