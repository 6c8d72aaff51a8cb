package dev.lxrun.cli.compat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** report.json: the whole run as data (also what `lxrun syscalls --report` reads back). */
public final class JsonReport {
    private JsonReport() {}

    public static String render(CompatRun run) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("tool", "lxrun compat");
        root.put("started", run.started().toString());
        root.put("seconds", run.seconds());
        root.put("suites", run.suites());
        Map<String, Object> modes = new LinkedHashMap<>();
        run.modes().forEach((name, a) -> modes.put(name, Map.of("available", a.available(), a.available() ? "detail" : "reason", a.text())));
        root.put("modes", modes);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("tests", run.results().size());
        for (String m : run.comparedModes()) {
            Map<String, Object> c = new LinkedHashMap<>();
            run.counts(m).forEach((o, n) -> c.put(o.label(), n));
            summary.put(m, c);
        }
        root.put("summary", summary);
        List<Object> tests = new ArrayList<>();
        for (CaseResult r : run.results()) tests.add(test(r));
        root.put("tests", tests);
        List<Object> missing = new ArrayList<>();
        for (CompatRun.MissingSyscall m : run.missingSyscalls()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", m.name());
            o.put("support", m.support());
            o.put("calls", m.calls());
            o.put("tests", m.tests());
            o.put("failingTests", m.failingTests());
            o.put("passingTests", m.passingTests());
            o.put("harmless", m.harmless());
            missing.add(o);
        }
        root.put("missingSyscalls", missing);
        return Json.write(root);
    }

    private static Map<String, Object> test(CaseResult r) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", r.test().name());
        t.put("command", r.test().command());
        if (!r.test().family().isEmpty()) t.put("family", r.test().family());
        if (r.test().statusOnly()) t.put("compare", "status");
        Map<String, Object> nat = new LinkedHashMap<>();
        nat.put("exitStatus", r.nativeRun().exitStatus());
        nat.put("seconds", r.nativeRun().seconds());
        if (!r.nativeRun().ran()) nat.put("error", r.nativeRun().timedOut() ? "timed out" : r.nativeRun().startError());
        t.put("native", nat);
        for (ModeResult m : r.modes()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("outcome", m.outcome().label());
            if (m.run() != null) {
                o.put("exitStatus", m.run().exitStatus());
                o.put("seconds", m.run().seconds());
                o.put("ratio", m.ratio());
            }
            if (!m.note().isEmpty()) o.put("note", m.note());
            if (!m.differences().isEmpty()) o.put("differences", m.differences());
            if (!m.diff().isEmpty()) o.put("diff", m.diff());
            if (m.mode().equals("translate") && m.run() != null) {
                o.put("syscallCalls", m.hits().totalCalls());
                o.put("unimplementedSyscalls", m.hits().unimplemented());
                o.put("partialSyscalls", m.hits().partial());
            }
            t.put(m.mode(), o);
        }
        return t;
    }
}
