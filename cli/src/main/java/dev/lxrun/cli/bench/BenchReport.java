package dev.lxrun.cli.bench;

import dev.lxrun.cli.compat.Json;
import dev.lxrun.cli.compat.SvgChart;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** bench.json, bench.html (table + inline SVG charts) and the terminal table of a bench run. */
final class BenchReport {
    /** One colour per mode on every chart, so translate is the same blue whichever modes ran. */
    private static final Map<String, String> COLOURS = Map.of("native", "#455a64", "qemu-user", "#ef6c00", "translate", "#1565c0",
            "translate-warm", "#2e7d32", "vm-cold", "#6a1b9a", "vm-persistent", "#00838f");

    private static String colour(String mode) {
        return COLOURS.getOrDefault(mode, "#827717");
    }

    private BenchReport() {}

    static String json(BenchCommand.BenchRun run) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("tool", "lxrun bench");
        root.put("started", run.started().toString());
        root.put("quick", run.quick());
        root.put("runs", run.runs());
        if (run.interrupted()) root.put("interrupted", true);
        root.put("host", host());
        Map<String, Object> modes = new LinkedHashMap<>();
        for (BenchMode m : run.modes()) {
            Map<String, Object> mode = new LinkedHashMap<>();
            mode.put("description", m.description());
            mode.put("available", m.availability().available());
            mode.put(m.availability().available() ? "detail" : "reason", m.availability().text());
            modes.put(m.name(), mode);
        }
        root.put("modes", modes);
        List<Object> workloads = new ArrayList<>();
        for (Workload w : run.workloads()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", w.name());
            o.put("description", w.description());
            o.put("command", w.argv());
            Map<String, Object> res = new LinkedHashMap<>();
            run.results().getOrDefault(w.name(), Map.of()).forEach((mode, s) -> {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("seconds", s.seconds());
                r.put("median", s.median());
                r.put("min", s.min());
                r.put("max", s.max());
                r.put("spread", s.spread());
                r.put("ratioToNative", run.ratio(w.name(), mode));
                if (s.failures() > 0) {
                    r.put("failures", s.failures());
                    r.put("error", s.lastError());
                }
                res.put(mode, r);
            });
            o.put("results", res);
            workloads.add(o);
        }
        root.put("workloads", workloads);
        return Json.write(root);
    }

    private static Map<String, Object> host() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        h.put("cpus", Runtime.getRuntime().availableProcessors());
        h.put("java", System.getProperty("java.version"));
        return h;
    }

    static String text(BenchCommand.BenchRun run) {
        List<String> modes = run.availableModes();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%nlxrun bench (%s, %d runs each): median seconds (ratio to native)%n", run.quick() ? "quick" : "full", run.runs()));
        sb.append(String.format("%-10s", "workload"));
        for (String m : modes) sb.append(String.format("%22s", m));
        sb.append('\n');
        for (Workload w : run.workloads()) {
            sb.append(String.format("%-10s", w.name()));
            for (String m : modes) {
                Stats s = run.results().getOrDefault(w.name(), Map.of()).get(m);
                String cell = s == null || s.seconds().isEmpty() ? "failed"
                        : m.equals("native") ? String.format(Locale.ROOT, "%.3f", s.median())
                        : String.format(Locale.ROOT, "%.3f (%.1fx)", s.median(), run.ratio(w.name(), m));
                sb.append(String.format("%22s", cell));
            }
            sb.append('\n');
        }
        String start = startupNote(run);
        if (!start.isEmpty()) sb.append(start).append('\n');
        if (run.interrupted()) sb.append("(interrupted: the cells not shown were not measured)\n");
        return sb.toString();
    }

    /** The host in one readable line: "Linux 6.1.0 · 2 CPUs · Java 25". */
    static String hostLine() {
        Map<String, Object> h = host();
        return h.get("os") + " · " + h.get("cpus") + " CPUs · Java " + h.get("java");
    }

    /**
     * Every run of an lxrun mode pays a fixed cost before the program's first instruction (a JVM
     * start for translate; a boot for vm-cold): the startup row measures it. On small workloads it
     * dominates the column, so the report says so with the figure.
     */
    static String startupNote(BenchCommand.BenchRun run) {
        Map<String, Stats> startup = run.results().get("startup");
        if (startup == null) return "";
        List<String> parts = new ArrayList<>();
        for (String m : run.availableModes()) {
            Stats s = startup.get(m);
            if (s != null && !s.seconds().isEmpty()) parts.add(String.format(Locale.ROOT, "%s %.3f s", m, s.median()));
        }
        if (parts.isEmpty()) return "";
        return "Fixed cost per run (the startup row, /bin/true): " + String.join(", ", parts) + ". translate's is mostly the JVM"
                + " starting lxrun; on small workloads it dominates the column (\"beyond startup\" in bench.html subtracts it)."
                + " translate-warm (a resident instance, LXRUN_INSTANCE=1) skips it.";
    }

    /** A mode's median on a workload less its startup median: the work itself, without the fixed cost. */
    private static double beyondStartup(BenchCommand.BenchRun run, String workload, String mode) {
        Stats start = run.results().getOrDefault("startup", Map.of()).get(mode);
        Stats s = run.results().getOrDefault(workload, Map.of()).get(mode);
        if (workload.equals("startup") || start == null || s == null || start.seconds().isEmpty() || s.seconds().isEmpty()) return Double.NaN;
        return s.median() - start.median();
    }

    static String html(BenchCommand.BenchRun run) {
        List<String> modes = run.availableModes();
        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>lxrun bench</title><style>")
                .append("body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:4px 8px;font-size:13px;text-align:right}")
                .append("th{background:#eceff1}td:first-child,th:first-child{text-align:left}.muted{color:#666}.fail{background:#ffcdd2}</style></head><body>\n")
                .append("<h1>lxrun bench</h1>\n<p class=\"muted\">").append(esc(run.started().toString())).append(" · ")
                .append(run.quick() ? "quick sizes" : "full sizes").append(" · ").append(run.runs()).append(" runs per cell · ")
                .append(esc(hostLine())).append("</p>\n");
        if (run.interrupted()) sb.append("<p class=\"fail\">Interrupted: only the cells measured before the signal are shown.</p>\n");
        sb.append("<h2>Modes</h2><ul>\n");
        for (BenchMode m : run.modes()) {
            sb.append("<li><b>").append(esc(m.name())).append("</b>: ").append(esc(m.description())).append(" <span class=\"muted\">(")
              .append(m.availability().available() ? "" : "unavailable — ").append(esc(m.availability().text())).append(")</span></li>\n");
        }
        sb.append("</ul>\n");
        String note = startupNote(run);
        if (!note.isEmpty()) sb.append("<p id=\"startup-note\">").append(esc(note)).append("</p>\n");
        List<SvgChart.Series> series = new ArrayList<>();
        List<String> compared = modes.stream().filter(m -> !m.equals("native")).toList();
        for (String m : compared) series.add(new SvgChart.Series(m, colour(m)));
        List<SvgChart.Group> ratios = new ArrayList<>(), times = new ArrayList<>();
        List<SvgChart.Series> allSeries = new ArrayList<>();
        for (String m : modes) allSeries.add(new SvgChart.Series(m, colour(m)));
        for (Workload w : run.workloads()) {
            double[] r = new double[compared.size()];
            for (int i = 0; i < compared.size(); i++) r[i] = run.ratio(w.name(), compared.get(i));
            ratios.add(new SvgChart.Group(w.name(), r));
            double[] t = new double[modes.size()];
            for (int i = 0; i < modes.size(); i++) {
                Stats s = run.results().getOrDefault(w.name(), Map.of()).get(modes.get(i));
                t[i] = s == null ? Double.NaN : s.median();
            }
            times.add(new SvgChart.Group(w.name(), t));
        }
        sb.append("<h2>Slowdown relative to native</h2>\n<div id=\"chart\">")
          .append(SvgChart.groupedBars("Median time / native median (log scale; dashed = native)", series, ratios, true, 1, "×"))
          .append("</div>\n<h2>Median wall-clock time</h2>\n<div>")
          .append(SvgChart.groupedBars("Median seconds (log scale)", allSeries, times, true, 0, " s"))
          .append("</div>\n<h2>Figures</h2>\n<table id=\"figures\"><tr><th>workload</th><th>what</th>");
        for (String m : modes) sb.append("<th>").append(esc(m)).append("<br><span class=\"muted\">median s (min–max) ratio</span></th>");
        sb.append("</tr>\n");
        for (Workload w : run.workloads()) {
            sb.append("<tr><td>").append(esc(w.name())).append("</td><td class=\"muted\" style=\"text-align:left\">").append(esc(w.description())).append("</td>");
            for (String m : modes) {
                Stats s = run.results().getOrDefault(w.name(), Map.of()).get(m);
                if (s == null || s.seconds().isEmpty()) {
                    sb.append("<td class=\"fail\">failed").append(s == null ? "" : ": " + esc(s.lastError())).append("</td>");
                    continue;
                }
                double beyond = beyondStartup(run, w.name(), m);
                sb.append(String.format(Locale.ROOT, "<td>%.3f (%.3f–%.3f)<br><b>%.1f×</b>%s%s</td>", s.median(), s.min(), s.max(), run.ratio(w.name(), m),
                        Double.isNaN(beyond) || m.equals("native") ? "" : String.format(Locale.ROOT, "<br><span class=\"muted\">%.3f s beyond startup</span>", beyond),
                        s.failures() > 0 ? "<br>" + s.failures() + " failed: " + esc(s.lastError()) : ""));
            }
            sb.append("</tr>\n");
        }
        return sb.append("</table>\n</body></html>\n").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
