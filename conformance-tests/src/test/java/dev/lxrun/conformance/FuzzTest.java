package dev.lxrun.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fuzzers of issue 19 (syscall_fuzz.c): seeded random system calls with hostile arguments,
 * run under --root with a writable --tmpfs and --mount, and an ELF mutator feeding execve. A run
 * fails on any lxrun internal error, hang (a seed that does not finish in time) or JVM crash;
 * for every fifth seed the same seed runs natively too and differences in results are reported.
 * About 30 s in CI; `tools/fuzz/run.sh --minutes N` (-Dlxrun.fuzzSeconds, -Dlxrun.fuzzFirstSeed)
 * runs it for longer.
 */
class FuzzTest {
    private static final long SECONDS = Long.getLong("lxrun.fuzzSeconds", 30);
    private static final long FIRST_SEED = Long.getLong("lxrun.fuzzFirstSeed", 1);
    private static final int CALLS = 200;
    private static final int TIMEOUT_S = 40;

    @TempDir
    Path dir;

    record Outcome(String out, String err, int status, boolean hung) {}

    @Test
    void fuzzersFindNoInternalErrorHangOrCrash() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("scratch"));
        Files.createDirectories(root.resolve("mnt"));
        Path mounted = Files.createDirectories(dir.resolve("mounted"));
        Path fuzz = CPrograms.binary("glibc", "syscall_fuzz");
        Files.copy(fuzz, root.resolve("fuzz"));
        Files.copy(CPrograms.binary("glibc", "hello"), root.resolve("hello"));
        root.resolve("fuzz").toFile().setExecutable(true);

        List<String> internal = new ArrayList<>(), hangs = new ArrayList<>(), crashes = new ArrayList<>(), mismatches = new ArrayList<>();
        int seeds = 0, compared = 0, elfCompared = 0, elfMismatches = 0;
        long end = System.nanoTime() + SECONDS * 1_000_000_000L;
        for (long seed = FIRST_SEED; System.nanoTime() < end; seed++) {
            seeds++;
            String where = seed % 2 == 0 ? "/scratch" : "/mnt";
            clean(root.resolve("scratch"));
            clean(mounted);
            Outcome calls = lxrun(root, mounted, "/fuzz", "calls", Long.toString(seed), Integer.toString(CALLS), where);
            check("calls " + seed, calls, internal, hangs, crashes);
            Outcome elf = lxrun(root, mounted, "/fuzz", "elf", Long.toString(seed), "/hello", where);
            check("elf " + seed, elf, internal, hangs, crashes);
            if (seed % 5 == 0) {
                Path nat = Files.createTempDirectory(dir, "native");
                Outcome n = run(List.of(fuzz.toString(), "calls", Long.toString(seed), Integer.toString(CALLS), nat.toString()), dir);
                compared++;
                String diff = firstDifference(n.out(), calls.out());
                if (diff != null && !calls.hung()) mismatches.add("calls " + seed + ": " + diff);
                clean(nat);
                Outcome ne = run(List.of(fuzz.toString(), "elf", Long.toString(seed), CPrograms.binary("glibc", "hello").toString(), nat.toString()), dir);
                elfCompared++;
                if (!ne.out().equals(elf.out())) {
                    elfMismatches++;
                    mismatches.add("elf " + seed + ": native " + ne.out().strip() + ", lxrun " + elf.out().strip());
                }
            }
        }
        StringBuilder report = new StringBuilder();
        report.append("fuzz: ").append(seeds).append(" seeds (").append(CALLS).append(" calls and one ELF mutant each) in ")
                .append(SECONDS).append(" s; internal errors ").append(internal.size()).append(", hangs ").append(hangs.size())
                .append(", JVM crashes ").append(crashes.size()).append("; compared with native: ").append(compared)
                .append(" call seeds, ").append(mismatches.size() - elfMismatches).append(" differ; ").append(elfCompared)
                .append(" ELF seeds, ").append(elfMismatches).append(" differ\n");
        for (String s : internal) report.append("internal error: ").append(s).append('\n');
        for (String s : hangs) report.append("hang: ").append(s).append('\n');
        for (String s : crashes) report.append("JVM crash: ").append(s).append('\n');
        for (String s : mismatches) report.append("differs: ").append(s).append('\n');
        System.out.print(report);
        Files.writeString(Path.of("target", "fuzz-report.txt"), report);
        assertTrue(internal.isEmpty() && hangs.isEmpty() && crashes.isEmpty(), report.toString());
    }

    private static void check(String what, Outcome o, List<String> internal, List<String> hangs, List<String> crashes) {
        if (o.hung()) hangs.add(what + " (no end after " + TIMEOUT_S + " s)");
        if (o.err().contains("internal error")) internal.add(what + ": " + o.err().lines().filter(l -> l.contains("internal error")).findFirst().orElse(""));
        if (o.err().contains("A fatal error has been detected") || o.err().contains("hs_err_pid")) crashes.add(what);
    }

    /** The first line where the two runs differ (the calls after it act on a different state), or null. */
    private static String firstDifference(String expected, String actual) {
        String[] a = expected.split("\n", -1), b = actual.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "(end)", y = i < b.length ? b[i] : "(end)";
            if (!x.equals(y)) return "native \"" + x + "\", lxrun \"" + y + "\"";
        }
        return null;
    }

    private Outcome lxrun(Path root, Path mounted, String... guest) {
        List<String> g = new ArrayList<>(List.of("--root", root.toString(), "--tmpfs", "/scratch", "--mount", mounted + ":/mnt"));
        g.addAll(List.of(guest));
        return run(Runner.lxrunCommand(g), dir);
    }

    private static Outcome run(List<String> command, Path cwd) {
        try {
            Path out = Files.createTempFile(cwd, "out", ".txt"), err = Files.createTempFile(cwd, "err", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().clear();
            pb.environment().putAll(Runner.baseEnvironment());
            Process p = pb.start();
            boolean done = p.waitFor(TIMEOUT_S, TimeUnit.SECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
            }
            Outcome o = new Outcome(Files.readString(out, StandardCharsets.ISO_8859_1), Files.readString(err, StandardCharsets.ISO_8859_1),
                    done ? p.exitValue() : -1, !done);
            Files.delete(out);
            Files.delete(err);
            return o;
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void clean(Path d) throws IOException {
        if (!Files.exists(d)) return;
        try (var walk = Files.walk(d)) {
            walk.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(d)).forEach(p -> {
                p.toFile().setWritable(true);
                p.toFile().delete();
            });
        }
    }
}
