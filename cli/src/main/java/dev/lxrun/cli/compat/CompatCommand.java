package dev.lxrun.cli.compat;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `lxrun compat SUITE…`: runs every program of the suites natively, translated and in the VM,
 * compares each mode with native, and writes the terminal summary, report.json, junit.xml and
 * report.html. Exits 0 when every available mode matched native on every test, 1 otherwise.
 */
@Command(name = "compat", mixinStandardHelpOptions = true,
        description = "Runs suites of programs natively, translated and in the VM and reports the differences.")
public final class CompatCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SUITE", arity = "1..*",
            description = "A list file (one command line per line, optionally 'NAME: ' first) or a directory of executables and *.suite files.")
    List<Path> suites = new ArrayList<>();

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Directory for the reports (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("compat-report");

    @Option(names = "--modes", split = ",", paramLabel = "MODE",
            description = "Modes compared with native: translate, vm (default: ${DEFAULT-VALUE}).")
    List<String> modes = new ArrayList<>(List.of("translate", "vm"));

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Time limit per run (default: ${DEFAULT-VALUE}).")
    int timeout = 120;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Tests run at the same time (default: ${DEFAULT-VALUE}).")
    int jobs = 1;

    @Option(names = "--var", paramLabel = "NAME=VALUE", description = "Set a variable for $NAME in suite lines (the environment is used too).")
    Map<String, String> vars = new HashMap<>();

    @Option(names = "--record", paramLabel = "FILE", description = "Where to keep a copy of report.json for 'lxrun syscalls --report' (default: ~/.cache/lxrun/compat/last-run.json).")
    Path record;

    /** The reports' directory (for tests of the parser). */
    public Path out() {
        return out;
    }

    public List<Path> suites() {
        return List.copyOf(suites);
    }

    @Override
    public Integer call() throws IOException {
        PrintStream err = System.err;
        // --out is checked before the runs: a report that cannot be written would lose them all.
        try {
            Files.createDirectories(out);
            if (!Files.isWritable(out)) throw new IOException("not writable");
        } catch (IOException | RuntimeException e) {
            err.println("lxrun compat: --out " + out + ": cannot write reports there (" + Subprocess.reason(e) + ")");
            return 2;
        }
        Map<String, String> suiteVars = new HashMap<>(System.getenv());
        suiteVars.putAll(vars);
        List<SuiteCase> cases = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Path p : suites) {
            try {
                Suite s = Suite.load(p, suiteVars);
                cases.addAll(s.cases());
                names.add(p.toString()); // as given, so the README can show the command that reproduces the run
            } catch (IOException e) {
                err.println("lxrun compat: " + e.getMessage());
                return 2;
            }
        }
        if (jobs < 1) {
            err.println("lxrun compat: --jobs must be at least 1");
            return 2;
        }
        if (cases.isEmpty()) {
            err.println("lxrun compat: the suites contain no tests");
            return 2;
        }
        List<ModeRunner> runners = new ArrayList<>();
        runners.add(new ModeRunner.Native());
        List<String> lxrun = LxrunLauncher.command();
        for (String m : modes) {
            switch (m) {
                case "translate" -> runners.add(new ModeRunner.Translate(lxrun));
                case "vm" -> runners.add(new ModeRunner.Vm(lxrun, Path.of(System.getProperty("java.io.tmpdir"),
                        "lxrun-compat-vm-" + ProcessHandle.current().pid())));
                case "native" -> { }
                default -> {
                    err.println("lxrun compat: unknown mode " + m + " (translate, vm)");
                    return 2;
                }
            }
        }
        Path work = Files.createTempDirectory("lxrun-compat");
        try {
            CompatRun run;
            try {
                run = run(cases, names, runners, work, new TerminalReport(err));
            } finally {
                for (ModeRunner r : runners) r.close(environment(work));
            }
            write(run, err);
            return run.comparedModes().stream().map(run::counts)
                    .anyMatch(c -> c.get(Outcome.FAIL) + c.get(Outcome.ERROR) > 0) ? 1 : 0;
        } finally {
            deleteTree(work);
        }
    }

    private CompatRun run(List<SuiteCase> cases, List<String> names, List<ModeRunner> runners, Path work, TerminalReport progress)
            throws IOException {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Map<String, Availability> availability = new LinkedHashMap<>();
        for (ModeRunner r : runners) availability.put(r.name(), r.probe(environment(work)));
        progress.modes(availability);
        Duration limit = Duration.ofSeconds(timeout);
        // Each case runs in its own directories, so cases may run side by side; results keep
        // the suite's order and progress lines come as cases finish.
        CaseResult[] results = new CaseResult[cases.size()];
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            int index = i;
            tasks.add(() -> {
                CaseResult cr = runCase(cases.get(index), work.resolve(Integer.toString(index)), runners, availability, limit);
                results[index] = cr;
                synchronized (progress) {
                    progress.progress(done.incrementAndGet(), cases.size(), cr);
                }
                return null;
            });
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(jobs);
        try {
            for (var f : pool.invokeAll(tasks)) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof IOException io) throw io;
                    throw new IllegalStateException(e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } finally {
            pool.shutdownNow();
        }
        return new CompatRun(List.copyOf(names), started, (System.nanoTime() - t0) / 1e9, availability, List.of(results));
    }

    private static CaseResult runCase(SuiteCase c, Path caseDir, List<ModeRunner> runners, Map<String, Availability> availability,
                                      Duration limit) throws IOException {
        Files.createDirectories(caseDir);
        Path nativeCwd = Files.createDirectories(caseDir.resolve("native"));
        Execution nat = Subprocess.run(c.command(), nativeCwd, environment(nativeCwd), limit);
        List<ModeResult> modeResults = new ArrayList<>();
        for (ModeRunner r : runners) {
            if (r instanceof ModeRunner.Native) continue;
            Availability a = availability.get(r.name());
            if (!a.available()) {
                modeResults.add(ModeResult.unavailable(r.name(), a.text()));
                continue;
            }
            Path cwd = Files.createDirectories(caseDir.resolve(r.name()));
            Path log = r instanceof ModeRunner.Translate ? caseDir.resolve("translate.syscalls") : null;
            Map<String, String> env = environment(cwd);
            env.putAll(r.lxrunEnv());
            Execution e = Subprocess.run(r.command(c.command(), log), cwd, env, limit);
            SyscallHits hits = log != null ? SyscallHits.read(log) : SyscallHits.NONE;
            modeResults.add(Comparison.compare(r.name(), nat, nativeCwd, e, cwd, hits, c.statusOnly()));
        }
        return new CaseResult(c, nat, List.copyOf(modeResults));
    }

    /** The fixed environment of every run, so host variables (locale, zone) cannot differ between modes. */
    static Map<String, String> environment(Path home) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", Suite.RUN_PATH);
        env.put("LC_ALL", "C");
        env.put("TZ", "UTC");
        env.put("HOME", home.toString());
        return env;
    }

    private void write(CompatRun run, PrintStream err) throws IOException {
        Files.createDirectories(out);
        String json = JsonReport.render(run);
        Files.writeString(out.resolve("report.json"), json, StandardCharsets.UTF_8);
        Files.writeString(out.resolve("junit.xml"), JUnitReport.render(run), StandardCharsets.UTF_8);
        Path html = out.resolve("report.html");
        Files.writeString(html, HtmlReport.render(run), StandardCharsets.UTF_8);
        Path rec = record != null ? record : LastRun.defaultFile();
        try {
            Files.createDirectories(rec.toAbsolutePath().getParent());
            Files.writeString(rec, json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("lxrun compat: cannot record the run in " + rec + ": " + e.getMessage());
        }
        new TerminalReport(err).summary(run, html.toAbsolutePath() + " (and report.json, junit.xml)");
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary directory is harmless
        }
    }
}
