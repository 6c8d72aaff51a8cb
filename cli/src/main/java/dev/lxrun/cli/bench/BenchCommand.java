package dev.lxrun.cli.bench;

import dev.lxrun.cli.compat.Availability;
import dev.lxrun.cli.compat.Execution;
import dev.lxrun.cli.compat.LastRun;
import dev.lxrun.cli.compat.LxrunLauncher;
import dev.lxrun.cli.compat.Subprocess;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `lxrun bench`: the comparative benchmark. Every workload runs several times in every mode
 * (native, qemu-user, translation, VM cold and persistent), each run a fresh process timed from
 * start to exit; the report gives median, spread and the ratio to native as bench.json and a
 * bench.html chart page.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks lxrun against native, qemu-user and the VM mode on a fixed set of workloads.")
public final class BenchCommand implements Callable<Integer> {
    /**
     * How each lxrun mode is selected, in order of preference; the first that runs /bin/true is
     * used. Both VM modes run `--mode vm`: vm-persistent with a VM started for the benchmark (its
     * own LXRUN_VM_STATE), vm-cold with a state directory where none runs, so every run boots.
     */
    static final Map<String, List<List<String>>> LXRUN_MODES = new LinkedHashMap<>();

    static {
        LXRUN_MODES.put("translate", List.of(List.of("--mode", "translate"), List.of()));
        LXRUN_MODES.put("vm-cold", List.of(List.of("--mode", "vm")));
        LXRUN_MODES.put("vm-persistent", List.of(List.of("--mode", "vm")));
    }

    @Option(names = "--quick", description = "Small sizes and two runs each: a smoke test for CI.")
    boolean quick;

    @Option(names = "--runs", paramLabel = "N", description = "Runs per workload and mode (default 5, or 2 with --quick).")
    Integer runs;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Directory for bench.json and bench.html (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("bench-report");

    @Option(names = "--modes", split = ",", paramLabel = "MODE",
            description = "Modes to run: native, qemu-user, translate, vm-cold, vm-persistent (default: all).")
    List<String> modes;

    @Option(names = "--workloads", split = ",", paramLabel = "NAME", description = "Workloads to run (default: all).")
    List<String> workloads;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Time limit per run (default: ${DEFAULT-VALUE}).")
    int timeout = 600;

    @Override
    public Integer call() throws IOException {
        PrintStream err = System.err;
        int n = runs != null ? runs : quick ? 2 : 5;
        Path cache = LastRun.cacheDir();
        Path lxbench;
        Path tar;
        try {
            lxbench = BenchPrograms.lxbench(cache);
            tar = BenchPrograms.archive(cache, quick ? 100 : 1000);
        } catch (IOException e) {
            err.println("lxrun bench: cannot build the workloads: " + e.getMessage());
            return 1;
        }
        List<Workload> chosen = Workload.all(lxbench, tar, quick).stream()
                .filter(w -> workloads == null || workloads.contains(w.name())).toList();
        Path work = Files.createTempDirectory("lxrun-bench");
        try {
            Map<String, String> env = environment(work);
            if (modes == null || modes.contains("vm-persistent")) startPersistentVm(work, err);
            List<BenchMode> benchModes = probe(env, work);
            benchModes.forEach(m -> err.printf("lxrun bench: %-13s %s%n", m.name(),
                    (m.availability().available() ? "" : "unavailable: ") + m.availability().text()));
            Instant started = Instant.now();
            Map<String, Map<String, Stats>> results = new LinkedHashMap<>();
            for (Workload w : chosen) {
                Map<String, Stats> byMode = new LinkedHashMap<>();
                for (BenchMode m : benchModes) {
                    if (!m.availability().available()) continue;
                    byMode.put(m.name(), measure(w, m, n, work, env));
                    Stats s = byMode.get(m.name());
                    err.printf(Locale.ROOT, "  %-9s %-13s median %8.3f s  (min %.3f, max %.3f)%s%n", w.name(), m.name(), s.median(), s.min(), s.max(),
                            s.failures() > 0 ? "  " + s.failures() + " failed: " + s.lastError() : "");
                }
                results.put(w.name(), byMode);
            }
            BenchRun run = new BenchRun(started, quick, n, benchModes, chosen, results);
            Files.createDirectories(out);
            Files.writeString(out.resolve("bench.json"), BenchReport.json(run), StandardCharsets.UTF_8);
            Files.writeString(out.resolve("bench.html"), BenchReport.html(run), StandardCharsets.UTF_8);
            System.out.print(BenchReport.text(run));
            err.println("lxrun bench: wrote " + out.resolve("bench.json") + " and " + out.resolve("bench.html"));
            return results.values().stream().flatMap(m -> m.values().stream()).anyMatch(s -> s.failures() > 0) ? 1 : 0;
        } finally {
            Subprocess.run(concat(LxrunLauncher.command(), List.of("vm", "stop")), work, vmEnv("vm-persistent", work),
                    Duration.ofSeconds(60));
            deleteTree(work);
        }
    }

    /** Each VM mode sees its own LXRUN_VM_STATE; the other modes need no extra environment. */
    private static Map<String, String> vmEnv(String mode, Path work) {
        Map<String, String> env = environment(work);
        if (mode.equals("vm-persistent")) env.put("LXRUN_VM_STATE", work.resolve("vm-persistent").toString());
        if (mode.equals("vm-cold")) env.put("LXRUN_VM_STATE", work.resolve("vm-none").toString());
        return env;
    }

    private static void startPersistentVm(Path work, PrintStream err) {
        err.println("lxrun bench: starting a persistent VM");
        Execution e = Subprocess.run(concat(LxrunLauncher.command(), List.of("vm", "start")), work, vmEnv("vm-persistent", work),
                Duration.ofSeconds(300));
        if (!e.ran() || e.exitStatus() != 0) err.println("lxrun bench: vm start failed: " + e.err().strip());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private List<BenchMode> probe(Map<String, String> env, Path work) {
        List<BenchMode> all = new ArrayList<>();
        all.add(new BenchMode.Native());
        all.add(BenchMode.QemuUser.probe());
        List<String> lxrun = LxrunLauncher.command();
        LXRUN_MODES.forEach((name, candidates) -> {
            if (modes == null || modes.contains(name)) all.add(BenchMode.Lxrun.probe(name, lxrun, candidates, vmEnv(name, work)));
        });
        return all.stream().filter(m -> modes == null || modes.contains(m.name()) || m.name().equals("native")).toList();
    }

    private Stats measure(Workload w, BenchMode m, int n, Path work, Map<String, String> env) throws IOException {
        List<Double> secs = new ArrayList<>();
        int failures = 0;
        String lastError = "";
        for (int i = 0; i < n; i++) {
            // A fresh directory per run: files, bigfile and untar write into the current directory.
            Path cwd = Files.createTempDirectory(work, w.name());
            Execution e = Subprocess.run(m.command(w.argv()), cwd, vmEnv(m.name(), work), Duration.ofSeconds(timeout));
            deleteTree(cwd);
            if (e.ran() && e.exitStatus() == 0) {
                secs.add(e.seconds());
            } else {
                failures++;
                lastError = e.timedOut() ? "timed out" : e.startError() != null ? e.startError()
                        : "exit status " + e.exitStatus() + " " + e.err().strip().lines().findFirst().orElse("");
            }
        }
        return new Stats(List.copyOf(secs), failures, lastError);
    }

    private static Map<String, String> environment(Path home) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LC_ALL", "C");
        env.put("HOME", home.toString());
        return env;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // leftovers in the temporary directory are harmless
        }
    }

    /** Everything a bench report is written from. results: workload → mode → stats. */
    record BenchRun(Instant started, boolean quick, int runs, List<BenchMode> modes, List<Workload> workloads,
                    Map<String, Map<String, Stats>> results) {
        double ratio(String workload, String mode) {
            Map<String, Stats> m = results.get(workload);
            Stats s = m.get(mode), base = m.get("native");
            if (s == null || base == null) return Double.NaN;
            return s.median() / base.median();
        }

        List<String> availableModes() {
            return modes.stream().filter(m -> m.availability().available()).map(BenchMode::name).toList();
        }
    }
}
