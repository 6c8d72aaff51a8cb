package dev.lxrun.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Linux's own debugging tools inside the guest, over lxrun's ptrace: strace -f follows a program
 * and its child, and the trace is the one strace writes natively for the same static binary
 * (process ids aside).
 */
class DebugToolsTest {
    @TempDir
    Path work;

    @Test
    void straceFollowsAProgramAndItsChild() throws IOException {
        String prog = CPrograms.binary("glibc", "strace_target").toString();
        List<String> cmd = List.of("/usr/bin/strace", "-f", "-qq", "-e", "signal=none",
                "-e", "trace=openat,write,exit_group", "-o", "trace.txt", prog);
        Path nativeDir = Files.createDirectories(work.resolve("native"));
        Path lxrunDir = Files.createDirectories(work.resolve("lxrun"));
        Map<String, String> env = Runner.baseEnvironment();
        RunResult n = Runner.runNative(cmd, nativeDir, env, new byte[0]);
        RunResult l = Runner.runLxrun(cmd, lxrunDir, env, new byte[0]);
        assertEquals(n.exitStatus(), l.exitStatus(), "exit status\nnative: " + n + "\nlxrun: " + l);
        assertEquals(n.out(), l.out(), "the traced program's stdout\n" + l);
        String nativeTrace = withoutPids(Files.readString(nativeDir.resolve("trace.txt")));
        String lxrunTrace = withoutPids(Files.readString(lxrunDir.resolve("trace.txt")));
        assertEquals(nativeTrace, lxrunTrace, "strace's trace\n" + l);
    }

    /** strace -f -o prefixes each line with the pid; pids differ from run to run. */
    private static String withoutPids(String trace) {
        List<String> lines = new ArrayList<>();
        for (String line : trace.split("\n", -1)) lines.add(line.replaceFirst("^[0-9]+ +", ""));
        return String.join("\n", lines);
    }
}
