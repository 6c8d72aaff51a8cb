package dev.lxrun.cli.compat;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** The progress lines while a suite runs and the summary at its end, for a terminal or a CI log. */
final class TerminalReport {
    private final PrintStream out;

    TerminalReport(PrintStream out) {
        this.out = out;
    }

    void modes(Map<String, Availability> modes) {
        modes.forEach((name, a) -> out.printf("lxrun compat: %-9s %s%n", name, (a.available() ? "" : "unavailable: ") + a.text()));
        out.flush();
    }

    void progress(int index, int total, CaseResult r) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "[%d/%d] %s: native %.3fs", index, total, r.test().name(), r.nativeRun().seconds()));
        for (ModeResult m : r.modes()) {
            sb.append(" | ").append(m.mode()).append(' ').append(m.outcome().label().toUpperCase(Locale.ROOT));
            if (m.run() != null) sb.append(String.format(Locale.ROOT, " %.2fs %.1fx", m.run().seconds(), m.ratio()));
            if (!m.hits().unimplemented().isEmpty() && m.outcome() != Outcome.PASS) {
                sb.append(" [unimplemented: ").append(String.join(", ", m.hits().unimplemented().keySet())).append(']');
            }
        }
        out.println(sb);
        out.flush();
    }

    void summary(CompatRun run, String reports) {
        out.printf(Locale.ROOT, "%nlxrun compat: %d tests in %.1f s%n", run.results().size(), run.seconds());
        for (String mode : run.comparedModes()) {
            Availability a = run.modes().get(mode);
            if (!a.available()) {
                out.printf("  %-9s unavailable (%s)%n", mode, a.text());
                continue;
            }
            Map<Outcome, Integer> c = run.counts(mode);
            out.printf("  %-9s %d pass, %d fail, %d error%n", mode, c.get(Outcome.PASS), c.get(Outcome.FAIL), c.get(Outcome.ERROR));
        }
        boolean header = false;
        for (CaseResult r : run.results()) {
            for (ModeResult m : r.modes()) {
                if (m.outcome() != Outcome.FAIL && m.outcome() != Outcome.ERROR) continue;
                if (!header) { out.println("Failures:"); header = true; }
                out.printf("  %s (%s): %s%s%n", r.test().name(), m.mode(), m.note(),
                        m.hits().unimplemented().isEmpty() ? "" : "; unimplemented syscalls: " + m.hits().unimplemented());
            }
        }
        var missing = run.missingSyscalls();
        if (!missing.isEmpty()) {
            out.println("Syscalls met in translation that lxrun lacks or implements in part, likely causes of failures first:");
            for (var m : missing) {
                out.printf("  %-22s %-13s %6d calls in %d tests (%d failing)%s%n", m.name(), m.support(), m.calls(), m.tests(), m.failingTests().size(),
                        m.harmless() ? "  harmless: made by " + m.passingTests() + " passing tests too" : "");
            }
        }
        out.println("Reports: " + reports);
        out.flush();
    }
}
