package dev.lxrun.conformance;

import static dev.lxrun.conformance.CompatHarness.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * `lxrun compat` on a tiny suite with a known failure (a program calling io_uring_setup, which
 * lxrun leaves unimplemented and the host kernel supports): the reports must show that test
 * failing in translation with the syscall named, passing in the VM when the VM mode works, and
 * the other tests passing; `lxrun syscalls --report` must count the hit.
 */
class CompatHarnessTest {
    @TempDir
    static Path out;

    static int status;
    static Map<String, Object> report;

    @BeforeAll
    static void runSuite() throws IOException {
        // The known failure only means something where the host really has io_uring.
        var probe = Runner.runNative(CPrograms.command("glibc", "uring_probe"), out, Runner.baseEnvironment(), new byte[0]);
        assumeTrue(probe.exitStatus() == 0, "the host kernel refuses io_uring_setup: " + probe.out());
        status = CompatHarness.compat(out, "tiny.suite");
        report = CompatHarness.json(out.resolve("report.json"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> test(String name) {
        for (Object t : (List<Object>) report.get("tests")) {
            Map<String, Object> m = (Map<String, Object>) t;
            if (m.get("name").equals(name)) return m;
        }
        throw new AssertionError("no test " + name + " in report.json");
    }

    @Test
    void exitStatusSaysSomethingFailed() {
        assertEquals(1, status);
    }

    @Test
    void programsLxrunRunsPassInTranslation() {
        for (String name : List.of("hello", "echo", "status")) {
            assertEquals("pass", obj(test(name), "translate").get("outcome"), name + ": " + obj(test(name), "translate"));
        }
        assertEquals(3L, obj(test("status"), "native").get("exitStatus"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void unimplementedSyscallFailsInTranslationAndIsNamed() {
        Map<String, Object> t = obj(test("uring"), "translate");
        assertEquals("fail", t.get("outcome"));
        assertEquals(List.of("stdout", "exit status"), t.get("differences"));
        assertTrue(((String) t.get("diff")).contains("+io_uring_setup: Function not implemented"), (String) t.get("diff"));
        assertEquals(1L, obj(t, "unimplementedSyscalls").get("io_uring_setup"));
        Map<String, Object> summary = obj(report, "summary", "translate");
        assertEquals(3L, summary.get("pass"));
        assertEquals(1L, summary.get("fail"));
        Map<String, Object> first = (Map<String, Object>) ((List<Object>) report.get("missingSyscalls")).stream()
                .filter(m -> ((Map<String, Object>) m).get("name").equals("io_uring_setup")).findFirst().orElseThrow();
        assertEquals("unimplemented", first.get("support"));
        assertEquals(List.of("uring"), first.get("failingTests"));
    }

    @Test
    void knownFailurePassesInTheVm() {
        Map<String, Object> vm = obj(report, "modes", "vm");
        assumeTrue(Boolean.TRUE.equals(vm.get("available")), "VM mode unavailable: " + vm.get("reason"));
        for (String name : List.of("hello", "echo", "status", "uring")) {
            assertEquals("pass", obj(test(name), "vm").get("outcome"), name + " in the VM: " + obj(test(name), "vm"));
        }
    }

    @Test
    void unavailableVmIsReportedNotFailed() {
        Map<String, Object> vm = obj(report, "modes", "vm");
        if (Boolean.TRUE.equals(vm.get("available"))) return; // covered by knownFailurePassesInTheVm
        assertNotNull(vm.get("reason"));
        assertEquals("unavailable", obj(test("uring"), "vm").get("outcome"));
        assertEquals(4L, obj(report, "summary", "vm").get("unavailable"));
    }

    @Test
    void junitXmlHasTheFailureWithTheSyscall() throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(out.resolve("junit.xml").toFile());
        NodeList suites = doc.getElementsByTagName("testsuite");
        Element translate = null;
        for (int i = 0; i < suites.getLength(); i++) {
            Element e = (Element) suites.item(i);
            if (e.getAttribute("name").equals("compat.translate")) translate = e;
        }
        assertNotNull(translate, "no compat.translate testsuite");
        assertEquals("4", translate.getAttribute("tests"));
        assertEquals("1", translate.getAttribute("failures"));
        NodeList failures = translate.getElementsByTagName("failure");
        assertEquals(1, failures.getLength());
        Element failure = (Element) failures.item(0);
        assertEquals("uring", ((Element) failure.getParentNode()).getAttribute("name"));
        assertTrue(failure.getAttribute("message").contains("io_uring_setup"), failure.getAttribute("message"));
    }

    @Test
    void htmlReportIsSelfContainedWithTableChartAndSyscall() throws IOException {
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<table id=\"results\">"));
        assertTrue(html.contains("<svg"));
        assertTrue(html.contains("<span class=\"sys\">io_uring_setup</span>"));
        assertTrue(html.contains("+io_uring_setup: Function not implemented"));
        assertTrue(!html.contains("<script") && !html.contains("src=\"http") && !html.contains("href=\"http"), "report loads nothing from elsewhere");
    }

    @Test
    void syscallsReportCountsTheHit() {
        var r = CompatHarness.lxrun("syscalls", "--report", "--from", out.resolve("last-run.json").toString());
        assertEquals(0, r.status());
        String line = r.out().lines().filter(l -> l.startsWith("io_uring_setup ")).findFirst().orElseThrow(() -> new AssertionError(r.out()));
        assertTrue(line.matches("io_uring_setup\\s+unimplemented\\s+1\\s+1\\s+uring"), line);
        assertTrue(r.out().contains("io_uring_setup[hit 1]"), "the unimplemented list marks the hit");
        assertTrue(r.out().startsWith("Coverage: "), r.out());
    }

    @Test
    void readmeSectionIsRewrittenBetweenMarkers() throws IOException {
        Path readme = out.resolve("README.md");
        String before = "# Title\n\nintro\n\n" + dev.lxrun.cli.compat.CoverageReport.BEGIN + "\nold text\n"
                + dev.lxrun.cli.compat.CoverageReport.END + "\n\n## After\n";
        Files.writeString(readme, before);
        var r = CompatHarness.lxrun("syscalls", "--report", "--from", out.resolve("last-run.json").toString(), "--readme", readme.toString());
        assertEquals(0, r.status());
        String after = Files.readString(readme);
        assertTrue(after.startsWith("# Title\n\nintro\n\n<!-- BEGIN lxrun status"), after);
        assertTrue(after.endsWith(dev.lxrun.cli.compat.CoverageReport.END + "\n\n## After\n"), after);
        assertTrue(!after.contains("old text"));
        assertTrue(after.contains("| translate | 3 | 1 | 0 |"), after);
        assertTrue(after.contains("`io_uring_setup` (1 calls in 1 tests)"), after);
    }

    @Test
    void suiteLinesAreSplitLikeAShell(@TempDir Path dir) throws IOException {
        Path suite = dir.resolve("s.suite");
        Files.writeString(dir.resolve("prog"), "#!/bin/sh\n"); // a suite line's program must exist
        dir.resolve("prog").toFile().setExecutable(true);
        Files.writeString(suite, "# comment\n\nnamed: ./prog \"a b\" 'c $X' $X${X}\n/bin/echo x\\ y\n");
        var s = dev.lxrun.cli.compat.Suite.load(suite, Map.of("X", "1"));
        assertEquals(2, s.cases().size());
        assertEquals("named", s.cases().get(0).name());
        assertEquals(List.of(dir.resolve("prog").toString(), "a b", "c $X", "11"), s.cases().get(0).command());
        assertEquals(List.of("/bin/echo", "x y"), s.cases().get(1).command());
        assertEquals("/bin/echo x\\ y", s.cases().get(1).name());
    }
}
