package dev.lxrun.cli.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which missing syscall the reports blame for failures: not the one every program makes. */
class MissingSyscallRankingTest {
    private static CaseResult test(String name, Outcome outcome, Map<String, Long> unimplemented) {
        SyscallHits hits = new SyscallHits(unimplemented, Map.of(), 100);
        Execution e = new Execution(new byte[0], new byte[0], 0, 1000, false, null);
        ModeResult t = new ModeResult("translate", outcome, e, List.of(), "", 1, hits, "");
        return new CaseResult(new SuiteCase(name, List.of("/bin/true")), e, List.of(t));
    }

    private static CompatRun run() {
        Map<String, Availability> modes = new LinkedHashMap<>();
        modes.put("native", new Availability.Available("host"));
        modes.put("translate", new Availability.Available("lxrun"));
        return new CompatRun(List.of("s"), Instant.EPOCH, 1, modes, List.of(
                test("a", Outcome.PASS, Map.of("rseq", 1L)),
                test("b", Outcome.PASS, Map.of("rseq", 1L)),
                test("c", Outcome.FAIL, Map.of("rseq", 1L, "io_uring_setup", 1L)),
                test("d", Outcome.FAIL, Map.of("rseq", 1L))));
    }

    @Test
    void callsMadeOnlyByFailingTestsComeFirstAndHarmlessOnesApart() {
        List<CompatRun.MissingSyscall> m = run().missingSyscalls();
        assertEquals(List.of("io_uring_setup", "rseq"), m.stream().map(CompatRun.MissingSyscall::name).toList());
        assertFalse(m.get(0).harmless());
        assertEquals(List.of("c"), m.get(0).failingTests());
        assertTrue(m.get(1).harmless(), "rseq: two passing tests made it too");
        assertEquals(2, m.get(1).passingTests());
    }

    @Test
    void reportsShowHarmlessCallsApart() {
        String html = HtmlReport.render(run());
        int likely = html.indexOf("<table id=\"missing\">"), harmless = html.indexOf("<table id=\"harmless\">");
        assertTrue(likely >= 0 && harmless > likely, html);
        String likelyTable = html.substring(likely, harmless);
        assertTrue(likelyTable.contains("<td>io_uring_setup</td>") && !likelyTable.contains("<td>rseq</td>"), likelyTable);
        assertTrue(html.substring(harmless).contains("<td>rseq</td>"));
        @SuppressWarnings("unchecked")
        Map<String, Object> report = (Map<String, Object>) Json.parse(JsonReport.render(run()));
        CoverageReport coverage = new CoverageReport(dev.lxrun.cli.SyscallTables.full(), report);
        String text = coverage.text();
        int harmlessAt = text.indexOf("Harmless here");
        assertTrue(harmlessAt > text.indexOf("io_uring_setup") && text.indexOf("rseq ") > harmlessAt, text);
    }
}
