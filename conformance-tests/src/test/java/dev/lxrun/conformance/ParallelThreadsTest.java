package dev.lxrun.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Threads of a process running guest code at the same time (the default with lxrun's own Unicorn,
 * patch 0010; the property is set explicitly here): each program run natively and under lxrun in that mode must give
 * the same stdout, stderr and exit status. threads_overlap can only finish when two threads
 * really run at once (with the per-process CPU lock its alarm fires); the others check atomics,
 * address-space changes while threads run, malloc, futexes and code rewritten by another thread.
 */
class ParallelThreadsTest {
    private static final String PARALLEL = "-Dlxrun.parallelThreads=true";
    private static final String NOT_CAPABLE = "lxrun: -Dlxrun.parallelThreads needs";

    @TempDir
    Path scratch;

    @TestFactory
    Stream<DynamicTest> programsBehaveAsNativelyInParallel() {
        List<String[]> programs = List.of(
                new String[] {"threads_overlap"},
                new String[] {"lock_counters"},
                new String[] {"unmap_running"},
                new String[] {"vm_share_barrier"},
                new String[] {"malloc_threads"},
                new String[] {"futex_pingpong"},
                new String[] {"smc_thread"},
                new String[] {"smc_rwx"},
                new String[] {"threads"},
                new String[] {"thread_stress"},
                new String[] {"robust_mutex"},
                new String[] {"pi_mutex"},
                new String[] {"torture_count", "threads", "300000"});
        List<DynamicTest> tests = new ArrayList<>();
        for (String variant : CPrograms.VARIANTS) {
            for (String[] p : programs) {
                String[] args = java.util.Arrays.copyOfRange(p, 1, p.length);
                tests.add(dynamicTest(variant + "/" + String.join(" ", p), () ->
                        check(CPrograms.command(variant, p[0], args), new byte[0])));
            }
        }
        return tests.stream();
    }

    /**
     * Parallel is the default with lxrun's own Unicorn: threads_overlap, which cannot finish while
     * threads take turns, passes without the property.
     */
    @TestFactory
    Stream<DynamicTest> parallelIsTheDefault() {
        return Stream.of(dynamicTest("threads_overlap without -Dlxrun.parallelThreads", () -> {
            List<String> cmd = CPrograms.command(CPrograms.VARIANTS.get(0), "threads_overlap");
            RunResult probe = Runner.run(TortureTest.lxrun(List.of("/bin/true"), PARALLEL), scratch, Runner.baseEnvironment(), new byte[0]);
            assumeFalse(probe.err().contains(NOT_CAPABLE), "this Unicorn build cannot run threads in parallel");
            RunResult expected = Runner.runNative(cmd, scratch, Runner.baseEnvironment(), new byte[0]);
            RunResult actual = Runner.run(Runner.lxrunCommand(cmd), scratch, Runner.baseEnvironment(), new byte[0]);
            assertEquals(expected.out(), actual.out(), "stdout\n" + actual.err());
            assertEquals(expected.err(), actual.err(), "stderr");
            assertEquals(expected.exitStatus(), actual.exitStatus(), "exit status");
        }));
    }

    /** Python's thread pool: CPU-bound tasks, a lock-protected counter, results in order. */
    @TestFactory
    Stream<DynamicTest> pythonThreadPool() {
        String script = String.join("\n",
                "import threading",
                "from concurrent.futures import ThreadPoolExecutor",
                "lock = threading.Lock()",
                "count = 0",
                "def work(n):",
                "    global count",
                "    s = 0",
                "    for i in range(20000):",
                "        s = (s * 31 + i * n) % 1000003",
                "        if i % 100 == 0:",
                "            with lock:",
                "                count += 1",
                "    return s",
                "with ThreadPoolExecutor(max_workers=4) as ex:",
                "    results = list(ex.map(work, range(16)))",
                "print(results)",
                "print('count', count)",
                "");
        return Stream.of(dynamicTest("python3 ThreadPoolExecutor", () -> {
            Path python = Path.of("/usr/bin/python3");
            assumeTrue(Files.isExecutable(python), "python3 is not installed");
            check(List.of(python.toString(), "-c", script), new byte[0]);
        }));
    }

    private void check(List<String> cmd, byte[] stdin) {
        RunResult expected = Runner.runNative(cmd, scratch, Runner.baseEnvironment(), stdin);
        RunResult actual = Runner.run(TortureTest.lxrun(cmd, PARALLEL), scratch, Runner.baseEnvironment(), stdin);
        assumeFalse(actual.err().contains(NOT_CAPABLE), "this Unicorn build cannot run threads in parallel");
        assertEquals(expected.out(), actual.out(), "stdout\n" + actual.err());
        assertEquals(expected.err(), actual.err(), "stderr");
        assertEquals(expected.exitStatus(), actual.exitStatus(), "exit status");
    }
}
