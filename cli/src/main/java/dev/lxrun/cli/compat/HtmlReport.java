package dev.lxrun.cli.compat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * report.html: one self-contained page (inline CSS and SVG, no scripts) with the outcome
 * summary, a time-ratio chart, the per-test table and, for every failure, the diff and the
 * unimplemented/partial syscalls the translated program made.
 */
public final class HtmlReport {
    static final List<SvgChart.Series> OUTCOME_COLOURS = List.of(
            new SvgChart.Series("pass", "#2e7d32"), new SvgChart.Series("fail", "#c62828"),
            new SvgChart.Series("error", "#ef6c00"), new SvgChart.Series("unavailable", "#9e9e9e"));
    private static final List<String> MODE_COLOURS = List.of("#1565c0", "#6a1b9a", "#00838f", "#827717");

    private HtmlReport() {}

    public static String render(CompatRun run) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>lxrun compat report</title>\n<style>\n")
          .append("body{font-family:sans-serif;margin:24px;color:#222;background:#fff}")
          .append("table{border-collapse:collapse;margin:12px 0}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top;font-size:13px}")
          .append("th{background:#eceff1}.pass{background:#c8e6c9}.fail{background:#ffcdd2}.error{background:#ffe0b2}.unavailable{background:#eeeeee;color:#666}")
          .append("code,pre{font-family:monospace;font-size:12px}pre{background:#fafafa;border:1px solid #ddd;padding:6px;overflow:auto;max-height:400px}")
          .append(".add{color:#1b5e20;background:#e8f5e9;display:block}.del{color:#b71c1c;background:#ffebee;display:block}")
          .append(".sys{color:#b71c1c;font-weight:bold}.muted{color:#666}\n</style></head><body>\n");
        sb.append("<h1>lxrun compat report</h1>\n<p class=\"muted\">Suites: ").append(esc(String.join(", ", run.suites())))
          .append(" · started ").append(esc(run.started().toString()))
          .append(String.format(Locale.ROOT, " · %.1f s · %d tests", run.seconds(), run.results().size())).append("</p>\n");
        modes(sb, run);
        summary(sb, run);
        ratioChart(sb, run);
        table(sb, run);
        failures(sb, run);
        missing(sb, run);
        return sb.append("</body></html>\n").toString();
    }

    private static void modes(StringBuilder sb, CompatRun run) {
        sb.append("<h2>Modes</h2>\n<table id=\"modes\"><tr><th>mode</th><th>status</th></tr>\n");
        run.modes().forEach((name, a) -> sb.append("<tr><td>").append(esc(name)).append("</td><td class=\"")
                .append(a.available() ? "pass\">available: " : "unavailable\">unavailable: ").append(esc(a.text())).append("</td></tr>\n"));
        sb.append("</table>\n");
    }

    private static void summary(StringBuilder sb, CompatRun run) {
        sb.append("<h2>Summary</h2>\n<div id=\"summary\">\n");
        for (String mode : run.comparedModes()) {
            Map<Outcome, Integer> c = run.counts(mode);
            int[] counts = {c.get(Outcome.PASS), c.get(Outcome.FAIL), c.get(Outcome.ERROR), c.get(Outcome.UNAVAILABLE)};
            sb.append(SvgChart.stackedBar(mode, OUTCOME_COLOURS, counts));
        }
        sb.append("</div>\n");
    }

    private static void ratioChart(StringBuilder sb, CompatRun run) {
        List<String> modes = run.comparedModes();
        List<SvgChart.Series> series = new ArrayList<>();
        for (int i = 0; i < modes.size(); i++) series.add(new SvgChart.Series(modes.get(i), MODE_COLOURS.get(i % MODE_COLOURS.size())));
        List<SvgChart.Group> groups = new ArrayList<>();
        for (CaseResult r : run.results()) {
            double[] v = new double[modes.size()];
            for (int i = 0; i < modes.size(); i++) {
                ModeResult m = r.mode(modes.get(i));
                v[i] = m == null || m.run() == null ? Double.NaN : m.ratio();
            }
            groups.add(new SvgChart.Group(r.test().name(), v));
        }
        sb.append("<h2>Time relative to native</h2>\n<div id=\"chart\">\n")
          .append(SvgChart.groupedBars("Wall-clock time / native time (log scale; dashed line = native)", series, groups, true, 1, "×"))
          .append("</div>\n");
    }

    private static void table(StringBuilder sb, CompatRun run) {
        sb.append("<h2>Tests</h2>\n<table id=\"results\"><tr><th>test</th><th>command</th><th>native</th>");
        for (String m : run.comparedModes()) sb.append("<th>").append(esc(m)).append("</th>");
        sb.append("<th>unimplemented / partial syscalls hit in translation</th></tr>\n");
        for (CaseResult r : run.results()) {
            sb.append("<tr><td>").append(esc(r.test().name())).append("</td><td><code>").append(esc(r.test().commandLine()))
              .append("</code></td><td>").append(String.format(Locale.ROOT, "exit %d<br>%.3f s", r.nativeRun().exitStatus(), r.nativeRun().seconds()))
              .append("</td>");
            for (ModeResult m : r.modes()) {
                sb.append("<td class=\"").append(m.outcome().label()).append("\"><b>").append(m.outcome().label().toUpperCase(Locale.ROOT)).append("</b>");
                if (m.run() != null) sb.append(String.format(Locale.ROOT, "<br>exit %d · %.3f s · %.1f×", m.run().exitStatus(), m.run().seconds(), m.ratio()));
                if (!m.note().isEmpty()) sb.append("<br><span class=\"muted\">").append(esc(m.note())).append("</span>");
                sb.append("</td>");
            }
            ModeResult t = r.mode("translate");
            sb.append("<td>").append(t == null ? "" : syscalls(t.hits())).append("</td></tr>\n");
        }
        sb.append("</table>\n");
    }

    private static String syscalls(SyscallHits h) {
        return syscalls(h, "<br>");
    }

    /** Unimplemented calls first and in red: they are the likely cause of a failure. */
    private static String syscalls(SyscallHits h, String separator) {
        List<String> items = new ArrayList<>();
        h.unimplemented().forEach((n, c) -> items.add("<span class=\"sys\">" + esc(n) + "</span> ×" + c + " (unimplemented)"));
        h.partial().forEach((n, c) -> items.add(esc(n) + " ×" + c + " <span class=\"muted\">(partial)</span>"));
        return String.join(separator, items);
    }

    private static void failures(StringBuilder sb, CompatRun run) {
        sb.append("<h2>Failures</h2>\n");
        boolean any = false;
        for (CaseResult r : run.results()) {
            for (ModeResult m : r.modes()) {
                if (m.outcome() != Outcome.FAIL && m.outcome() != Outcome.ERROR) continue;
                any = true;
                sb.append("<details open class=\"failure\"><summary><b>").append(esc(r.test().name())).append("</b> in ")
                  .append(esc(m.mode())).append(": ").append(esc(m.note())).append("</summary>\n");
                if (m.mode().equals("translate") && !m.hits().isEmpty()) {
                    sb.append("<p>Syscalls lxrun lacks that this run made: ").append(syscalls(m.hits(), ", ")).append("</p>\n");
                }
                sb.append("<pre>").append(diffHtml(m.diff())).append("</pre></details>\n");
            }
        }
        if (!any) sb.append("<p>None.</p>\n");
    }

    private static String diffHtml(String diff) {
        StringBuilder sb = new StringBuilder();
        for (String line : diff.lines().toList()) {
            String cls = line.startsWith("+") && !line.startsWith("+++") ? "add" : line.startsWith("-") && !line.startsWith("---") ? "del" : null;
            if (cls != null) sb.append("<span class=\"").append(cls).append("\">").append(esc(line)).append("</span>");
            else sb.append(esc(line)).append('\n');
        }
        return sb.toString();
    }

    private static void missing(StringBuilder sb, CompatRun run) {
        List<CompatRun.MissingSyscall> all = run.missingSyscalls();
        sb.append("<h2>Missing syscalls met in translation</h2>\n<p>Likely causes of failures: made only by tests that failed.</p>\n");
        missingTable(sb, "missing", all.stream().filter(m -> !m.harmless()).toList(), "failing tests");
        sb.append("<h3>Harmless here</h3>\n<p>Also made by tests that passed: those programs live with the ENOSYS (glibc and <code>rseq</code>, for one).</p>\n");
        missingTable(sb, "harmless", all.stream().filter(CompatRun.MissingSyscall::harmless).toList(), "passing tests");
    }

    private static void missingTable(StringBuilder sb, String id, List<CompatRun.MissingSyscall> rows, String last) {
        sb.append("<table id=\"").append(id).append("\"><tr><th>syscall</th><th>support</th><th>calls</th><th>tests</th><th>").append(last).append("</th></tr>\n");
        for (CompatRun.MissingSyscall m : rows) {
            sb.append("<tr><td>").append(esc(m.name())).append("</td><td>").append(esc(m.support())).append("</td><td>").append(m.calls())
              .append("</td><td>").append(m.tests()).append("</td><td>")
              .append(m.harmless() ? Integer.toString(m.passingTests()) : esc(String.join(", ", m.failingTests()))).append("</td></tr>\n");
        }
        sb.append("</table>\n");
    }

    static String esc(String s) {
        return JUnitReport.esc(s);
    }
}
