package dev.lxrun.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs a command natively and under lxrun and asserts identical stdout, stderr and exit status. */
final class Differential {
    private Differential() {}

    static void assertSame(List<String> command, Path nativeCwd, Path lxrunCwd, Map<String, String> env, byte[] stdin) {
        RunResult expected = Runner.runNative(command, nativeCwd, env, stdin);
        RunResult actual = Runner.runLxrun(command, lxrunCwd, env, stdin);
        String label = String.join(" ", command);
        // Outputs that mention the scratch directory name it relative to each side's own.
        if (nativeCwd.equals(lxrunCwd)) {
            if (!java.util.Arrays.equals(expected.stdout(), actual.stdout())) {
                assertEquals(expected.out(), actual.out(), "stdout of " + label + "\nlxrun stderr:\n" + actual.err());
                throw new AssertionError("stdout bytes of " + label + " differ (" + expected.stdout().length + " vs "
                        + actual.stdout().length + " bytes)");
            }
        } else {
            assertEquals(normalise(expected.out(), nativeCwd, lxrunCwd), actual.out(),
                    "stdout of " + label + "\nlxrun stderr:\n" + actual.err());
        }
        assertEquals(normalise(expected.err(), nativeCwd, lxrunCwd), actual.err(), "stderr of " + label);
        assertEquals(expected.exitStatus(), actual.exitStatus(), "exit status of " + label + "\n" + actual);
    }

    static void assertSame(List<String> command, Path cwd, Map<String, String> env) {
        assertSame(command, cwd, cwd, env, new byte[0]);
    }

    private static String normalise(String s, Path from, Path to) {
        return from.equals(to) ? s : s.replace(from.toString(), to.toString());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
