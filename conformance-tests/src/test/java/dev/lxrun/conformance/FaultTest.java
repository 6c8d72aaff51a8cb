package dev.lxrun.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guest that faults dies like a Linux process with the default action: exit status
 * 128+signal, output written before the fault kept, and (since lxrun stands in for the shell
 * that would report it) the shell's one-line message on stderr.
 */
class FaultTest {
    @TempDir
    Path dir;

    record Fault(String kind, int signal, String message) {}

    static final List<Fault> FAULTS = List.of(
            new Fault("segv", 11, "Segmentation fault"),
            new Fault("segv-read", 11, "Segmentation fault"),
            new Fault("exec-stack", 11, "Segmentation fault"),
            new Fault("ill", 4, "Illegal instruction"),
            new Fault("fpe", 8, "Floating point exception"),
            new Fault("abort", 6, "Aborted"),
            new Fault("kill-self", 15, "Terminated"));

    @TestFactory
    Stream<DynamicTest> faultsEndTheProgramAsOnLinux() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String variant : CPrograms.VARIANTS) {
            for (Fault f : FAULTS) {
                tests.add(dynamicTest(variant + "/" + f.kind(), () -> check(variant, f)));
            }
        }
        return tests.stream();
    }

    private void check(String variant, Fault f) {
        List<String> cmd = CPrograms.command(variant, "fault", f.kind());
        Map<String, String> env = Runner.baseEnvironment();
        RunResult expected = Runner.runNative(cmd, dir, env, new byte[0]);
        RunResult actual = Runner.runLxrun(cmd, dir, env, new byte[0]);
        assertEquals(128 + f.signal(), expected.exitStatus(), "native run should die of signal " + f.signal());
        assertEquals(expected.exitStatus(), actual.exitStatus(), "exit status\n" + actual);
        assertEquals(expected.out(), actual.out(), "stdout");
        assertEquals(expected.err() + f.message() + "\n", actual.err(), "stderr");
    }
}
