package dev.lxrun.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fixed small sample of LTP's syscall tests (tools/compat/ltp-ci.suite) as a `lxrun compat`
 * suite: LTP is built in lxrun's cache by tools/compat/ltp-suite (only the sample's directories,
 * once), and every test must end with the same exit status as natively, none timing out. The
 * whole suite runs on demand: tools/compat/ltp-suite --build -o ltp.suite && lxrun compat ltp.suite.
 */
class LtpSampleTest {
    @TempDir
    Path out;

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @SuppressWarnings("unchecked")
    @Test
    void sampleMatchesNative() throws IOException, InterruptedException {
        Path suite = ROOT.resolve("tools/compat/ltp-ci.suite");
        boolean haveSource;
        try (var s = Files.list(ROOT.resolve("../shared/ltp"))) {
            haveSource = s.anyMatch(p -> p.getFileName().toString().endsWith(".tar.xz"));
        } catch (IOException e) {
            haveSource = false;
        }
        Path ltp = dev.lxrun.cli.compat.LastRun.cacheDir().resolve("ltp/src");
        assumeTrue(haveSource || Files.isDirectory(ltp), "no LTP source in ../shared/ltp and no build in the cache");
        Set<String> dirs = new LinkedHashSet<>();
        for (String line : Files.readAllLines(suite)) {
            int slash = line.indexOf('/');
            if (!line.startsWith("#") && !line.startsWith("%") && slash > 0) dirs.add(line.substring(0, slash));
        }
        List<String> build = new ArrayList<>(List.of(ROOT.resolve("tools/compat/ltp-suite").toString(), "--build", "--dirs",
                String.join(" ", dirs), "-o", out.resolve("unused.suite").toString()));
        Process p = new ProcessBuilder(build).redirectErrorStream(true).redirectOutput(out.resolve("build.log").toFile()).start();
        assertTrue(p.waitFor(40, TimeUnit.MINUTES), "LTP build took too long");
        assertEquals(0, p.exitValue(), () -> "tools/compat/ltp-suite --build failed: " + read(out.resolve("build.log")));

        int status = CompatHarness.lxrun("compat", "--out", out.toString(), "--record", out.resolve("last-run.json").toString(),
                "--modes", "translate", "--jobs", "2", "--timeout", "300", "--var", "LTP=" + ltp, suite.toString()).status();
        Map<String, Object> report = CompatHarness.json(out.resolve("report.json"));
        List<String> bad = new ArrayList<>();
        for (Object o : (List<Object>) report.get("tests")) {
            Map<String, Object> t = (Map<String, Object>) o;
            Map<String, Object> tr = (Map<String, Object>) t.get("translate");
            if (!"pass".equals(tr.get("outcome"))) bad.add(t.get("name") + " " + tr.get("outcome") + ": " + tr.getOrDefault("diff", tr.get("note")));
            assertEquals("status", t.get("compare"));
        }
        assertTrue(bad.isEmpty(), () -> "LTP tests differing from native:\n" + String.join("\n", bad));
        assertEquals(0, status);
    }

    private static String read(Path p) {
        try {
            String s = Files.readString(p);
            return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
