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
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
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
    /** An lxrun mode of the bench: its name, what it is, and the options that select it in order of preference. */
    record LxrunMode(String name, String description, List<List<String>> candidates) {}

    /**
     * How each lxrun mode is selected; the first candidate that runs /bin/true is used. Both VM
     * modes run `--mode vm`: vm-persistent with a VM started for the benchmark (its own
     * LXRUN_VM_STATE), vm-cold with a state directory where none runs, so every run boots.
     */
    static final List<LxrunMode> LXRUN_MODES = List.of(
            new LxrunMode("translate", "lxrun --mode translate: a fresh lxrun, JVM start included, for every run",
                    List.of(List.of("--mode", "translate"), List.of())),
            new LxrunMode("translate-warm", "lxrun through a resident instance started before the runs (LXRUN_INSTANCE=1, lxrun "
                    + "instance start): every run is the ./lxrun launcher and its small client joining the warm kernel, no JVM start",
                    List.of(List.of())),
            new LxrunMode("vm-cold", "lxrun --mode vm with no VM running: every run boots a VM of its own (QEMU + Linux) for the program",
                    List.of(List.of("--mode", "vm"))),
            new LxrunMode("vm-persistent", "lxrun --mode vm with a VM started before the runs (lxrun vm start): every run is a connection to it, no boot",
                    List.of(List.of("--mode", "vm"))));

    /** Every mode --modes accepts. */
    static final List<String> MODE_NAMES = List.of("native", "qemu-user", "translate", "translate-warm", "vm-cold", "vm-persistent");

    @Option(names = "--quick", description = "Small sizes and two runs each: a smoke test for CI.")
    boolean quick;

    @Option(names = "--runs", paramLabel = "N", description = "Runs per workload and mode (default 5, or 2 with --quick).")
    Integer runs;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Directory for bench.json and bench.html (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("bench-report");

    @Option(names = "--modes", split = ",", paramLabel = "MODE",
            description = "Modes to run: native, qemu-user, translate, translate-warm, vm-cold, vm-persistent (default: all).")
    List<String> modes;

    @Option(names = "--workloads", split = ",", paramLabel = "NAME",
            description = "Workloads to run: startup, cpu, syscall, files, bigfile, untar, forkexec, pipe, tcp (default: all).")
    List<String> workloads;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Time limit per run (default: ${DEFAULT-VALUE}).")
    int timeout = 600;

    /** Guards the report files: a SIGTERM's partial report and the finished one are never both written. */
    private final Object reportLock = new Object();
    private boolean reported;
    private volatile boolean interrupted;
    private final AtomicBoolean cleanedUp = new AtomicBoolean();

    /** What is wrong with the options, in one line, or null: checked before anything is built or booted. */
    String invalidOptions() {
        if (runs != null && runs < 1) return "--runs " + runs + ": must be at least 1";
        if (timeout < 1) return "--timeout " + timeout + ": must be at least 1 second";
        if (modes != null) {
            for (String m : modes) if (!MODE_NAMES.contains(m)) return "--modes: unknown mode " + m + " (" + String.join(", ", MODE_NAMES) + ")";
        }
        if (workloads != null) {
            for (String w : workloads) {
                if (!Workload.NAMES.contains(w)) return "--workloads: unknown workload " + w + " (" + String.join(", ", Workload.NAMES) + ")";
            }
        }
        return null;
    }

    /** Creates --out now, so a bad directory is said before the runs rather than after them. */
    String unusableOut() {
        try {
            Files.createDirectories(out);
        } catch (IOException | RuntimeException e) {
            return "--out " + out + ": cannot create the directory (" + Subprocess.reason(e) + ")";
        }
        return Files.isWritable(out) ? null : "--out " + out + ": the directory is not writable";
    }

    @Override
    public Integer call() throws IOException {
        PrintStream err = System.err;
        String invalid = invalidOptions();
        if (invalid == null) invalid = unusableOut();
        if (invalid != null) {
            err.println("lxrun bench: " + invalid);
            return 2;
        }
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
        List<Workload> chosen = Workload.all(lxbench, tar, quick, Math.min(timeout, quick ? 120 : 600)).stream()
                .filter(w -> workloads == null || workloads.contains(w.name())).toList();
        Path work = Files.createTempDirectory("lxrun-bench");
        Instant started = Instant.now();
        Map<String, Map<String, Stats>> results = Collections.synchronizedMap(new LinkedHashMap<>());
        List<BenchMode> benchModes = new CopyOnWriteArrayList<>();
        // SIGTERM or ^C: end the runs and what they started, stop the bench's VM, keep what was measured.
        Thread onSignal = new Thread(() -> {
            interrupted = true;
            Subprocess.stopAll();
            cleanUp(work);
            BenchRun partial = new BenchRun(started, quick, n, List.copyOf(benchModes), chosen, copy(results), true);
            if (writeReports(partial, err)) err.println("lxrun bench: interrupted; partial results in " + out.resolve("bench.json"));
        }, "bench-interrupted");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            if (modes == null || modes.contains("vm-persistent")) startPersistentVm(work, err);
            if (modes == null || modes.contains("translate-warm")) startInstance(work, err);
            benchModes.addAll(probe(work));
            benchModes.forEach(m -> err.printf("lxrun bench: %-13s %s%n", m.name(),
                    (m.availability().available() ? "" : "unavailable: ") + m.availability().text()));
            for (Workload w : chosen) {
                Map<String, Stats> byMode = new LinkedHashMap<>();
                results.put(w.name(), byMode);
                for (BenchMode m : benchModes) {
                    if (!m.availability().available() || interrupted) continue;
                    Stats s = measure(w, m, n, work);
                    if (interrupted) break;
                    synchronized (results) {
                        byMode.put(m.name(), s);
                    }
                    err.printf(Locale.ROOT, "  %-9s %-13s median %8.3f s  (min %.3f, max %.3f)%s%n", w.name(), m.name(), s.median(), s.min(), s.max(),
                            s.failures() > 0 ? "  " + s.failures() + " failed: " + s.lastError() : "");
                }
            }
            if (interrupted) return 143; // the signal's handler (which set the flag before ending the runs) writes the partial report
            BenchRun run = new BenchRun(started, quick, n, List.copyOf(benchModes), chosen, copy(results), false);
            if (!writeReports(run, err)) return 143; // the signal's handler wrote the partial report
            System.out.print(BenchReport.text(run));
            err.println("lxrun bench: wrote " + out.resolve("bench.json") + " and " + out.resolve("bench.html"));
            return run.results().values().stream().flatMap(m -> m.values().stream()).anyMatch(s -> s.failures() > 0) ? 1 : 0;
        } finally {
            cleanUp(work);
            if (!interrupted) {
                try {
                    Runtime.getRuntime().removeShutdownHook(onSignal);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it does the rest
                }
            }
        }
    }

    private static Map<String, Map<String, Stats>> copy(Map<String, Map<String, Stats>> results) {
        synchronized (results) {
            Map<String, Map<String, Stats>> c = new LinkedHashMap<>();
            results.forEach((w, m) -> c.put(w, new LinkedHashMap<>(m)));
            return c;
        }
    }

    /** Writes bench.json and bench.html once; false if they were already written (by the other path). */
    private boolean writeReports(BenchRun run, PrintStream err) {
        synchronized (reportLock) {
            if (reported) return false;
            reported = true;
            try {
                Files.createDirectories(out);
                Files.writeString(out.resolve("bench.json"), BenchReport.json(run), StandardCharsets.UTF_8);
                Files.writeString(out.resolve("bench.html"), BenchReport.html(run), StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("lxrun bench: cannot write the report in " + out + ": " + e.getMessage());
            }
            return true;
        }
    }

    /** Stops the bench's persistent VM and removes the scratch directory; once, whichever path comes first. */
    private void cleanUp(Path work) {
        if (!cleanedUp.compareAndSet(false, true)) return;
        if (Files.exists(work.resolve("vm-persistent"))) {
            Subprocess.runWhileStopping(concat(LxrunLauncher.command(), List.of("vm", "stop")), work, vmEnv("vm-persistent", work),
                    Duration.ofSeconds(60));
        }
        if (Files.exists(work.resolve("instance"))) {
            Subprocess.runWhileStopping(concat(LxrunLauncher.command(), List.of("instance", "stop")), work, vmEnv("translate-warm", work),
                    Duration.ofSeconds(60));
        }
        // Runs ended by a signal may still be writing (a dying child, the main thread making a
        // run's directory) while the tree is walked: walk again until nothing is left.
        for (int attempt = 0; attempt < 50 && Files.exists(work); attempt++) {
            deleteTree(work);
            if (Files.exists(work)) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Each VM mode sees its own LXRUN_VM_STATE; the other modes need no extra environment. */
    private static Map<String, String> vmEnv(String mode, Path work) {
        Map<String, String> env = environment(work);
        if (mode.equals("vm-persistent")) env.put("LXRUN_VM_STATE", work.resolve("vm-persistent").toString());
        if (mode.equals("vm-cold")) env.put("LXRUN_VM_STATE", work.resolve("vm-none").toString());
        if (mode.equals("translate-warm")) {
            env.put("LXRUN_INSTANCE", "1");
            env.put("LXRUN_INSTANCE_DIR", work.resolve("instance").toString());
            // The other modes' runs take minutes: the instance must not idle out meanwhile (cleanUp stops it).
            env.put("LXRUN_INSTANCE_IDLE", "86400");
            String lib = System.getProperty("lxrun.unicorn"); // the launcher need not look for Unicorn when it falls back
            if (lib != null) env.put("LXRUN_UNICORN", lib);
        }
        return env;
    }

    /** The resident instance translate-warm's runs join (in the bench's own directory, ended by cleanUp). */
    private static void startInstance(Path work, PrintStream err) {
        err.println("lxrun bench: starting a resident instance");
        // Not through Subprocess, which ends a run's descendants: the instance must outlive `instance start`.
        ProcessBuilder pb = new ProcessBuilder(concat(LxrunLauncher.command(), List.of("instance", "start"))).directory(work.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().clear();
        pb.environment().putAll(vmEnv("translate-warm", work));
        try {
            Process p = pb.start();
            if (!p.waitFor(300, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) err.println("lxrun bench: instance start failed");
        } catch (IOException e) {
            err.println("lxrun bench: instance start failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The ./lxrun launcher, for translate-warm: its client is what the instance's users run. The
     * launcher starts this JVM with only the caller's environment (LXRUN_HOME is not in it), so
     * the checkout is found from where lxrun's classes were loaded: cli/target/lxrun.jar or
     * cli/target/classes. Without a launcher there, the runs would be JVM starts, not the instance's.
     */
    static List<String> launcherScript() {
        String home = System.getenv("LXRUN_HOME");
        if (home != null && Files.isExecutable(Path.of(home, "lxrun"))) return List.of(home + "/lxrun");
        try {
            Path code = Path.of(dev.lxrun.cli.Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = code.getParent(); dir != null; dir = dir.getParent()) {
                if (Files.isExecutable(dir.resolve("lxrun")) && Files.isDirectory(dir.resolve("cli"))) {
                    return List.of(dir.resolve("lxrun").toString());
                }
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // no file location (an unusual class loader): fall through
        }
        return LxrunLauncher.command();
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

    private List<BenchMode> probe(Path work) {
        List<BenchMode> all = new ArrayList<>();
        all.add(new BenchMode.Native());
        all.add(BenchMode.QemuUser.probe());
        List<String> lxrun = LxrunLauncher.command();
        for (LxrunMode m : LXRUN_MODES) {
            List<String> command = m.name().equals("translate-warm") ? launcherScript() : lxrun;
            if (modes == null || modes.contains(m.name())) all.add(BenchMode.Lxrun.probe(m.name(), m.description(), command, m.candidates(), vmEnv(m.name(), work)));
        }
        return all.stream().filter(m -> modes == null || modes.contains(m.name()) || m.name().equals("native")).toList();
    }

    /** n runs of one cell; a run that times out ends the cell (the next would only wait as long again). */
    private Stats measure(Workload w, BenchMode m, int n, Path work) throws IOException {
        List<Double> secs = new ArrayList<>();
        int failures = 0;
        String lastError = "";
        for (int i = 0; i < n && !interrupted; i++) {
            // A fresh directory per run: files, bigfile and untar write into the current directory.
            Path cwd = Files.createTempDirectory(work, w.name());
            Execution e = Subprocess.run(m.command(w.argv()), cwd, vmEnv(m.name(), work), Duration.ofSeconds(timeout));
            deleteTree(cwd);
            if (interrupted) break; // ended by the signal: neither a time nor a failure
            if (e.ran() && e.exitStatus() == 0) {
                secs.add(e.seconds());
                continue;
            }
            failures++;
            if (e.timedOut()) {
                lastError = "timed out after " + timeout + " s" + (i + 1 < n ? " (remaining runs skipped)" : "");
                break;
            }
            lastError = e.startError() != null ? e.startError()
                    : "exit status " + e.exitStatus() + " " + e.err().strip().lines().reduce((a, b) -> b.startsWith("lxbench:") ? b : a).orElse("");
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
                    Map<String, Map<String, Stats>> results, boolean interrupted) {
        double ratio(String workload, String mode) {
            Map<String, Stats> m = results.getOrDefault(workload, Map.of());
            Stats s = m.get(mode), base = m.get("native");
            if (s == null || base == null) return Double.NaN;
            return s.median() / base.median();
        }

        List<String> availableModes() {
            return modes.stream().filter(m -> m.availability().available()).map(BenchMode::name).toList();
        }
    }
}
