package dev.lxrun.cli.bench;

import dev.lxrun.cli.compat.Availability;
import dev.lxrun.cli.compat.Execution;
import dev.lxrun.cli.compat.Subprocess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A way of running a workload, with whether it works on this machine. */
sealed interface BenchMode {
    String name();

    Availability availability();

    /** What the mode is, for the report's list of modes (two modes may run the same command). */
    String description();

    List<String> command(List<String> argv);

    /** The program run directly: the baseline every ratio is relative to. */
    record Native() implements BenchMode {
        public String name() { return "native"; }
        public Availability availability() { return new Availability.Available("host"); }
        public String description() { return "the program run directly on the host: the baseline of every ratio"; }
        public List<String> command(List<String> argv) { return argv; }
    }

    /** QEMU's user-mode emulator, the nearest existing tool to lxrun's translation. */
    record QemuUser(Availability availability) implements BenchMode {
        static QemuUser probe() {
            for (String dir : List.of("/usr/bin", "/usr/local/bin", "/bin")) {
                if (Files.isExecutable(Path.of(dir, "qemu-x86_64"))) return new QemuUser(new Availability.Available(dir + "/qemu-x86_64"));
            }
            return new QemuUser(new Availability.Unavailable("qemu-x86_64 is not installed (apt-get install qemu-user)"));
        }

        public String name() { return "qemu-user"; }

        public String description() { return "QEMU's user-mode emulator (qemu-x86_64), the nearest existing tool to lxrun's translation"; }

        public List<String> command(List<String> argv) {
            return concat(List.of(availability.text()), argv);
        }
    }

    /**
     * lxrun in one of its modes, started as ./lxrun would start it; modeArgs are the options
     * that select the mode. A probe run of /bin/true decides availability, so a build without
     * the VM mode (or without a persistent VM) shows the column as unavailable with the reason.
     */
    record Lxrun(String name, String description, List<String> lxrun, List<String> modeArgs, Availability availability) implements BenchMode {
        static Lxrun probe(String name, String description, List<String> lxrun, List<List<String>> candidates, Map<String, String> env) {
            String why = "";
            for (List<String> args : candidates) {
                Execution e = Subprocess.run(concat(lxrun, args, List.of("/bin/true")), Path.of(System.getProperty("java.io.tmpdir")),
                        env, Duration.ofSeconds(180));
                if (e.ran() && e.exitStatus() == 0) {
                    return new Lxrun(name, description, lxrun, args, new Availability.Available(String.join(" ", concat(List.of("lxrun"), args))));
                }
                String first = e.err().strip().lines().findFirst().orElse("");
                why = "lxrun " + String.join(" ", args) + " /bin/true: " + (e.timedOut() ? "timed out" : "exit status " + e.exitStatus() + (first.isEmpty() ? "" : ": " + first));
            }
            return new Lxrun(name, description, lxrun, candidates.getFirst(), new Availability.Unavailable(why));
        }

        public List<String> command(List<String> argv) {
            return concat(lxrun, modeArgs, argv);
        }
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> p : parts) all.addAll(p);
        return all;
    }
}
