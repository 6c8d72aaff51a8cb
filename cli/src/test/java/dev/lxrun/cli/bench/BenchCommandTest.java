package dev.lxrun.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lxrun.cli.compat.Availability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's option checks (made before anything is built or booted) and its report's header. */
class BenchCommandTest {
    @TempDir
    Path dir;

    private static BenchCommand bench() {
        BenchCommand b = new BenchCommand();
        b.out = Path.of("unused");
        return b;
    }

    @Test
    void badInputIsRefusedUpFront() {
        BenchCommand b = bench();
        b.workloads = List.of("cpu", "nosuch");
        assertTrue(b.invalidOptions().startsWith("--workloads: unknown workload nosuch"), b.invalidOptions());
        b = bench();
        b.modes = List.of("bogus");
        assertTrue(b.invalidOptions().startsWith("--modes: unknown mode bogus"), b.invalidOptions());
        b = bench();
        b.runs = 0;
        assertEquals("--runs 0: must be at least 1", b.invalidOptions());
        b = bench();
        b.timeout = 0;
        assertTrue(b.invalidOptions().startsWith("--timeout 0"), b.invalidOptions());
        b = bench();
        b.modes = List.of("translate", "vm-cold");
        b.workloads = List.copyOf(Workload.NAMES);
        assertNull(b.invalidOptions());
    }

    @Test
    void theOutputDirectoryIsCheckedBeforeTheRuns() {
        BenchCommand b = bench();
        b.out = Path.of("/proc/no-such-dir/out");
        assertTrue(b.unusableOut().startsWith("--out /proc/no-such-dir/out: cannot create the directory"), b.unusableOut());
        b.out = dir.resolve("new/out");
        assertNull(b.unusableOut());
        assertTrue(Files.isDirectory(b.out));
    }

    @Test
    void everyWorkloadNameIsAWorkload() {
        assertEquals(Workload.NAMES, Workload.all(Path.of("/x/lxbench"), Path.of("/x/t.tar"), true, 60).stream().map(Workload::name).toList());
        List<String> tcp = Workload.all(Path.of("/x/lxbench"), Path.of("/x/t.tar"), true, 60).getLast().argv();
        assertEquals(List.of("/x/lxbench", "tcp", "16", "60"), tcp, "pipe and tcp carry their time limit");
    }

    private static BenchCommand.BenchRun run() {
        List<BenchMode> modes = List.of(new BenchMode.Native(),
                new BenchMode.Lxrun("translate", "lxrun --mode translate: a fresh lxrun", List.of("lxrun"), List.of(), new Availability.Available("lxrun --mode translate")),
                new BenchMode.Lxrun("vm-cold", BenchCommand.LXRUN_MODES.get(1).description(), List.of("lxrun"), List.of("--mode", "vm"), new Availability.Available("lxrun --mode vm")),
                new BenchMode.Lxrun("vm-persistent", BenchCommand.LXRUN_MODES.get(2).description(), List.of("lxrun"), List.of("--mode", "vm"), new Availability.Available("lxrun --mode vm")));
        List<Workload> w = Workload.all(Path.of("/x/lxbench"), Path.of("/x/t.tar"), true, 60).subList(0, 2);
        Map<String, Map<String, Stats>> results = new LinkedHashMap<>();
        results.put("startup", Map.of("native", new Stats(List.of(0.001), 0, ""), "translate", new Stats(List.of(0.4), 0, ""),
                "vm-cold", new Stats(List.of(9.0), 0, ""), "vm-persistent", new Stats(List.of(1.5), 0, "")));
        results.put("cpu", Map.of("native", new Stats(List.of(0.05), 0, ""), "translate", new Stats(List.of(0.6), 0, ""),
                "vm-cold", new Stats(List.of(), 1, "timed out after 60 s"), "vm-persistent", new Stats(List.of(2.0), 0, "")));
        return new BenchCommand.BenchRun(Instant.EPOCH, true, 1, modes, w, results, false);
    }

    @Test
    void theHtmlHeaderIsReadableAndTheModesAreTold() {
        String html = BenchReport.html(run());
        assertFalse(html.contains("{os="), "no raw Java map in the header");
        assertTrue(html.contains(" CPUs · Java "), html);
        assertTrue(html.contains("every run boots a VM"), "vm-cold described as what it is");
        assertTrue(html.contains("started before the runs"), "vm-persistent described as what it is");
        assertTrue(html.contains("id=\"startup-note\"") && html.contains("translate 0.400 s") && html.contains("JVM"), html);
        assertTrue(html.contains("0.200 s beyond startup"), "cpu under translate less its fixed cost");
        assertTrue(html.contains("failed: timed out after 60 s"), html);
    }

    @Test
    void aPartialRunSaysSo() {
        BenchCommand.BenchRun r = run();
        BenchCommand.BenchRun partial = new BenchCommand.BenchRun(r.started(), r.quick(), r.runs(), r.modes(), r.workloads(), r.results(), true);
        assertTrue(BenchReport.json(partial).contains("\"interrupted\": true"));
        assertTrue(BenchReport.html(partial).contains("Interrupted"));
        assertFalse(BenchReport.json(r).contains("interrupted"));
    }
}
