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
 * (process ids aside); gdb sets a breakpoint, runs to it, shows rip and the backtrace, follows the
 * fork and continues to the end exactly as natively. The program is static and not PIE, and
 * lxrun lays memory out the same way each run, so addresses match without normalising.
 */
class DebugToolsTest {
    @TempDir
    Path work;

    @Test
    void straceFollowsAProgramAndItsChild() throws IOException {
        String prog = CPrograms.binary("glibc", "strace_target").toString();
        List<String> cmd = List.of("/usr/bin/strace", "-f", "-qq", "-e", "signal=none",
                "-e", "trace=openat,write,exit_group", "-o", "trace.txt", prog);
        Runs runs = runBoth(cmd);
        RunResult n = runs.nativeRun(), l = runs.lxrunRun();
        assertEquals(n.out(), l.out(), "the traced program's stdout\n" + l);
        String nativeTrace = withoutPids(Files.readString(runs.nativeDir().resolve("trace.txt")));
        String lxrunTrace = withoutPids(Files.readString(runs.lxrunDir().resolve("trace.txt")));
        assertEquals(nativeTrace, lxrunTrace, "strace's trace\n" + l);
    }

    @Test
    void gdbStopsAtABreakpointAndContinues() throws IOException {
        String prog = CPrograms.binary("glibc", "strace_target").toString();
        List<String> cmd = List.of("/usr/bin/gdb", "-nx", "-batch", "-ex", "break work", "-ex", "run",
                "-ex", "info registers rip", "-ex", "bt", "-ex", "continue", prog);
        Runs runs = runBoth(cmd);
        RunResult n = runs.nativeRun(), l = runs.lxrunRun();
        // The forked child's own line is compared apart: under this harness (not from a shell) it
        // came before gdb's "[Detaching after fork...]" line under lxrun, after it natively; open
        // question whether the child runs before gdb detaches it (see the ptrace branch's report).
        assertEquals(withoutChildLine(processIdsOut(n.out())), withoutChildLine(processIdsOut(l.out())),
                "gdb's output\nnative: " + n + "\nlxrun: " + l);
        assertEquals(n.out().split("\nchild\n", -1).length, l.out().split("\nchild\n", -1).length,
                "the child's line\n" + l);
        // What lxrun lacks that gdb works around with a warning: /proc/PID/mem (gdb falls back to
        // PTRACE_PEEKTEXT/POKETEXT). Any other stderr line is a difference.
        List<String> extra = new ArrayList<>();
        for (String line : l.err().split("\n")) {
            if (line.isEmpty() || n.err().contains(line)) continue;
            if (line.matches("warning: opening /proc/(self|PID)/mem file( for lwp [0-9.]+)? failed: No such file or directory \\(2\\)")) continue;
            extra.add(line);
        }
        assertEquals(List.of(), extra, "gdb's stderr under lxrun\n" + l);
    }

    /** The command natively and under lxrun, each in its own directory; their exit statuses must match. */
    private Runs runBoth(List<String> cmd) throws IOException {
        Path nativeDir = Files.createDirectories(work.resolve("native"));
        Path lxrunDir = Files.createDirectories(work.resolve("lxrun"));
        Map<String, String> env = Runner.baseEnvironment();
        RunResult n = Runner.runNative(cmd, nativeDir, env, new byte[0]);
        RunResult l = Runner.runLxrun(cmd, lxrunDir, env, new byte[0]);
        assertEquals(n.exitStatus(), l.exitStatus(), "exit status\nnative: " + n + "\nlxrun: " + l);
        return new Runs(nativeDir, n, lxrunDir, l);
    }

    private record Runs(Path nativeDir, RunResult nativeRun, Path lxrunDir, RunResult lxrunRun) {}

    private static String withoutChildLine(String out) {
        return out.replace("\nchild\n", "\n");
    }

    /** gdb names the inferior's and the forked child's process ids. */
    private static String processIdsOut(String out) {
        return out.replaceAll("process [0-9]+", "process N");
    }

    /** strace -f -o prefixes each line with the pid; pids differ from run to run. */
    private static String withoutPids(String trace) {
        List<String> lines = new ArrayList<>();
        for (String line : trace.split("\n", -1)) lines.add(line.replaceFirst("^[0-9]+ +", ""));
        return String.join("\n", lines);
    }
}
