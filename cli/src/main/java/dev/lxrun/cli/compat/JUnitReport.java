package dev.lxrun.cli.compat;

import java.util.Locale;
import java.util.Map;

/**
 * junit.xml: one <testsuite> per compared mode, one <testcase> per test, so CI systems show
 * compat regressions like test failures. An unavailable mode's cases are <skipped>.
 */
public final class JUnitReport {
    private JUnitReport() {}

    public static String render(CompatRun run) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"lxrun compat\">\n");
        for (String mode : run.comparedModes()) {
            Map<Outcome, Integer> c = run.counts(mode);
            double time = run.results().stream().map(r -> r.mode(mode)).filter(m -> m != null && m.run() != null)
                    .mapToDouble(m -> m.run().seconds()).sum();
            sb.append(String.format(Locale.ROOT, "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.3f\">%n",
                    esc("compat." + mode), run.results().size(), c.get(Outcome.FAIL), c.get(Outcome.ERROR), c.get(Outcome.UNAVAILABLE), time));
            for (CaseResult r : run.results()) {
                ModeResult m = r.mode(mode);
                double t = m.run() != null ? m.run().seconds() : 0;
                sb.append(String.format(Locale.ROOT, "    <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\"",
                        esc("compat." + mode), esc(r.test().name()), t));
                switch (m.outcome()) {
                    case PASS -> sb.append("/>\n");
                    case FAIL -> sb.append(">\n      <failure message=\"").append(esc(message(m))).append("\">")
                            .append(esc(m.diff())).append("</failure>\n    </testcase>\n");
                    case ERROR -> sb.append(">\n      <error message=\"").append(esc(m.note())).append("\">")
                            .append(esc(m.diff())).append("</error>\n    </testcase>\n");
                    case UNAVAILABLE -> sb.append(">\n      <skipped message=\"").append(esc(m.note())).append("\"/>\n    </testcase>\n");
                }
            }
            sb.append("  </testsuite>\n");
        }
        return sb.append("</testsuites>\n").toString();
    }

    private static String message(ModeResult m) {
        String s = m.note();
        if (!m.hits().unimplemented().isEmpty()) s += "; unimplemented syscalls: " + String.join(", ", m.hits().unimplemented().keySet());
        return s;
    }

    static String esc(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    // XML 1.0 cannot carry most control characters even escaped.
                    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') sb.append('?');
                    else sb.append(c);
                }
            }
        }
        return sb.toString();
    }
}
