package dev.lxrun.cli.compat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One way of running a suite program: natively (the reference), translated by lxrun, or in
 * lxrun's VM. Every mode runs the program as a subprocess, so a crash or hang of one never
 * takes the harness down and all modes are timed the same way (wall clock, process start to
 * exit).
 */
public sealed interface ModeRunner {
    String name();

    /** Probes whether the mode works here (once per compat run). */
    Availability probe(Map<String, String> env);

    /** The argv that runs the program in this mode; syscallLog is where translation counts calls. */
    List<String> command(List<String> argv, Path syscallLog);

    Duration PROBE_TIMEOUT = Duration.ofSeconds(180);

    /** Variables for lxrun itself in this mode (lxrun keeps LXRUN_* from the program). */
    default Map<String, String> lxrunEnv() {
        return Map.of();
    }

    /** Releases what the probe set up (the VM mode's persistent VM). */
    default void close(Map<String, String> env) {}

    /** The program itself, as the suite wrote it. */
    record Native() implements ModeRunner {
        public String name() { return "native"; }

        public Availability probe(Map<String, String> env) {
            return new Availability.Available("the host kernel");
        }

        public List<String> command(List<String> argv, Path syscallLog) {
            return argv;
        }
    }

    /**
     * lxrun's syscall translation. Until the run command has --mode (added with the VM mode),
     * plain `lxrun PROGRAM` translates; the probe picks whichever this build understands, so
     * this is the one place that knows the invocation.
     */
    final class Translate implements ModeRunner {
        private final List<String> lxrun;
        private List<String> modeArgs = List.of("--mode", "translate");

        public Translate(List<String> lxrun) {
            this.lxrun = List.copyOf(lxrun);
        }

        public String name() { return "translate"; }

        public Availability probe(Map<String, String> env) {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            String why = "";
            for (List<String> args : List.of(List.of("--mode", "translate"), List.<String>of())) {
                Execution e = Subprocess.run(concat(lxrun, args, List.of("/bin/true")), tmp, env, PROBE_TIMEOUT);
                if (e.ran() && e.exitStatus() == 0) {
                    modeArgs = args;
                    return new Availability.Available(String.join(" ", concat(List.of("lxrun"), args, List.of("PROGRAM"))));
                }
                why = ModeRunner.failure(e);
            }
            return new Availability.Unavailable("lxrun /bin/true failed: " + why);
        }

        public List<String> command(List<String> argv, Path syscallLog) {
            List<String> opts = new ArrayList<>(modeArgs);
            if (syscallLog != null) opts.addAll(List.of("--syscall-log", syscallLog.toString()));
            return concat(lxrun, opts, argv);
        }
    }

    /**
     * lxrun's VM mode (QEMU + Linux). The probe starts a persistent VM of the compat run's own
     * (LXRUN_VM_STATE), so the cases cost a connection each rather than a boot.
     */
    final class Vm implements ModeRunner {
        private final List<String> lxrun;
        private final Map<String, String> state;

        public Vm(List<String> lxrun, Path stateDir) {
            this.lxrun = List.copyOf(lxrun);
            this.state = Map.of("LXRUN_VM_STATE", stateDir.toString());
        }

        public String name() { return "vm"; }

        public Map<String, String> lxrunEnv() {
            return state;
        }

        public Availability probe(Map<String, String> env) {
            if (!onPath(env, "qemu-system-x86_64")) return new Availability.Unavailable("qemu-system-x86_64 is not installed");
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            Map<String, String> withState = new java.util.LinkedHashMap<>(env);
            withState.putAll(state);
            Execution start = Subprocess.run(concat(lxrun, List.of("vm", "start")), tmp, withState, PROBE_TIMEOUT);
            if (!start.ran() || start.exitStatus() != 0) {
                return new Availability.Unavailable("lxrun vm start failed: " + ModeRunner.failure(start));
            }
            Execution e = Subprocess.run(command(List.of("/bin/true"), null), tmp, withState, PROBE_TIMEOUT);
            if (e.ran() && e.exitStatus() == 0) {
                return new Availability.Available(String.format("lxrun --mode vm, persistent VM (boot %.1f s, /bin/true %.2f s)",
                        start.seconds(), e.seconds()));
            }
            return new Availability.Unavailable("lxrun --mode vm /bin/true failed: " + ModeRunner.failure(e));
        }

        public void close(Map<String, String> env) {
            Map<String, String> withState = new java.util.LinkedHashMap<>(env);
            withState.putAll(state);
            Subprocess.run(concat(lxrun, List.of("vm", "stop")), Path.of(System.getProperty("java.io.tmpdir")), withState, PROBE_TIMEOUT);
        }

        public List<String> command(List<String> argv, Path syscallLog) {
            return concat(lxrun, List.of("--mode", "vm"), argv);
        }
    }

    private static String failure(Execution e) {
        if (e.startError() != null) return e.startError();
        if (e.timedOut()) return "timed out";
        String first = e.err().strip().lines().findFirst().orElse("");
        return "exit status " + e.exitStatus() + (first.isEmpty() ? "" : ": " + first);
    }

    static boolean onPath(Map<String, String> env, String program) {
        String path = env.getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return true;
        }
        return false;
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> p : parts) all.addAll(p);
        return all;
    }
}
