package dev.lxrun.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to `lxrun bench` mid-run: its children (and theirs) end, its scratch directory goes and
 * what was measured so far is written, marked interrupted. Before, the child lxrun ran on and
 * the scratch directory and no report were left.
 */
class BenchInterruptTest {
    @TempDir
    Path tmp;

    @TempDir
    Path out;

    @Test
    void sigtermEndsTheRunsAndKeepsPartialResults() throws Exception {
        List<String> cmd = new ArrayList<>(Runner.Jvm.options());
        cmd.add("-Djava.io.tmpdir=" + tmp); // the bench's scratch directory lands here, where the test can see it
        cmd.addAll(Runner.Jvm.program());
        cmd.addAll(List.of("bench", "--modes", "translate", "--workloads", "cpu,syscall", "--runs", "8", "--out", out.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().clear();
        pb.environment().putAll(Runner.baseEnvironment());
        Process bench = pb.start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread drain = Thread.ofPlatform().daemon().start(() -> copy(bench.getErrorStream(), err));
        Thread.ofPlatform().daemon().start(() -> copy(bench.getInputStream(), new ByteArrayOutputStream()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        // Until the first cell is measured (cpu under translate) and the next runs are going.
        while (!err.toString(StandardCharsets.UTF_8).contains("cpu       translate") && System.nanoTime() < deadline && bench.isAlive()) Thread.sleep(200);
        assertTrue(bench.isAlive(), "bench ended early: " + err);
        Thread.sleep(1500);
        List<ProcessHandle> children = bench.descendants().toList();
        assertFalse(children.isEmpty(), "a run was going: " + err);
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith("lxrun-bench")), "scratch directory while running");
        }
        bench.toHandle().destroy(); // SIGTERM (Process.destroy would also close the pipes this test reads)
        assertTrue(bench.waitFor(60, TimeUnit.SECONDS), "bench ended after SIGTERM: " + err);
        drain.join(10_000);
        assertEquals(143, bench.exitValue(), err.toString(StandardCharsets.UTF_8));
        Thread.sleep(500);
        for (ProcessHandle c : children) assertFalse(c.isAlive(), "child left running: " + c.info());
        try (Stream<Path> s = Files.list(tmp)) {
            List<Path> left = s.filter(p -> p.getFileName().toString().startsWith("lxrun-bench")).toList();
            assertTrue(left.isEmpty(), "scratch left behind: " + left);
        }
        String json = Files.readString(out.resolve("bench.json"));
        assertTrue(json.contains("\"interrupted\": true"), json);
        assertTrue(json.contains("\"translate\""), "the cell measured before the signal is kept: " + json);
        assertTrue(Files.readString(out.resolve("bench.html")).contains("Interrupted"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("partial results in"), err.toString(StandardCharsets.UTF_8));
    }

    private static void copy(InputStream in, ByteArrayOutputStream to) {
        try (in) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (to) {
                    to.write(buf, 0, n);
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }
}
