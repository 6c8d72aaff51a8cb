package dev.lxrun.cli.compat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A finished compat run: what every report is written from. */
public record CompatRun(List<String> suites, Instant started, double seconds, Map<String, Availability> modes,
                        List<CaseResult> results) {
    /** The compared modes (every mode but native), in column order. */
    public List<String> comparedModes() {
        return modes.keySet().stream().filter(m -> !m.equals("native")).toList();
    }

    public Map<Outcome, Integer> counts(String mode) {
        Map<Outcome, Integer> c = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) c.put(o, 0);
        for (CaseResult r : results) {
            ModeResult m = r.mode(mode);
            if (m != null) c.merge(m.outcome(), 1, Integer::sum);
        }
        return c;
    }

    /**
     * A syscall lxrun lacks (or implements in part) and how the translated runs met it. harmless:
     * a test that made it still passed (the program lives with the ENOSYS, as glibc does with
     * rseq), so it explains no failure; failingTests are then listed but not blamed on it.
     */
    public record MissingSyscall(String name, String support, long calls, int tests, List<String> failingTests, int passingTests) {
        public boolean harmless() {
            return passingTests > 0 || failingTests.isEmpty();
        }
    }

    /**
     * Every unimplemented or partial syscall a translated run made, what plausibly caused a
     * failure first: calls made only by failing tests (unimplemented before partial, then by how
     * many tests failed with them), then the harmless ones (also made by passing tests).
     */
    public List<MissingSyscall> missingSyscalls() {
        record Acc(String support, long[] calls, int[] tests, List<String> failing, int[] passing) {}
        Map<String, Acc> acc = new HashMap<>();
        for (CaseResult r : results) {
            ModeResult t = r.mode("translate");
            if (t == null) continue;
            boolean failed = t.outcome() == Outcome.FAIL || t.outcome() == Outcome.ERROR;
            for (var level : List.of(Map.entry("unimplemented", t.hits().unimplemented()), Map.entry("partial", t.hits().partial()))) {
                for (var e : level.getValue().entrySet()) {
                    Acc a = acc.computeIfAbsent(e.getKey(), k -> new Acc(level.getKey(), new long[1], new int[1], new ArrayList<>(), new int[1]));
                    a.calls[0] += e.getValue();
                    a.tests[0]++;
                    if (failed) a.failing.add(r.test().name());
                    if (t.outcome() == Outcome.PASS) a.passing[0]++;
                }
            }
        }
        Map<String, MissingSyscall> out = new LinkedHashMap<>();
        acc.forEach((name, a) -> out.put(name, new MissingSyscall(name, a.support, a.calls[0], a.tests[0], List.copyOf(a.failing), a.passing[0])));
        return out.values().stream()
                .sorted(Comparator.comparing(MissingSyscall::harmless)
                        .thenComparing((MissingSyscall m) -> !m.support().equals("unimplemented"))
                        .thenComparing(m -> -m.failingTests().size())
                        .thenComparing(m -> -m.calls())
                        .thenComparing(MissingSyscall::name))
                .toList();
    }
}
