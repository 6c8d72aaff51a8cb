package dev.lxrun.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bug inside lxrun met while serving one guest process ends that process only: lxrun prints
 * one line and the process dies of SIGSYS, while its parent and the session go on. The bug is
 * injected (-Dlxrun.test.failSyscall=getppid makes that handler throw).
 */
class RobustnessTest {
    @TempDir
    Path dir;

    @Test
    void aFailingHandlerEndsOnlyItsProcess() {
        RunResult nativeRun = Runner.runNative(CPrograms.command("glibc", "syscall_failure"), dir, Runner.baseEnvironment(), new byte[0]);
        assertEquals("round 1: child exited 0\nround 2: child exited 0\nparent carries on\n", nativeRun.out());

        RunResult r = Runner.run(lxrunFailing("getppid", CPrograms.command("glibc", "syscall_failure")), dir,
                Runner.baseEnvironment(), new byte[0]);
        assertEquals(0, r.exitStatus(), r.toString());
        assertEquals("round 1: child killed by signal 31\nround 2: child killed by signal 31\nparent carries on\n", r.out(), r.toString());
        List<String> lines = r.err().lines().toList();
        assertEquals(2, lines.size(), r.toString());
        for (String line : lines) {
            assertTrue(line.matches("lxrun: internal error in getppid\\(\\) of pid \\d+: java\\.lang\\.IllegalStateException: .*"), line);
        }
    }

    @Test
    void aFailingHandlerInTheFirstProcessEndsItLikeSigsys() {
        // dash asks getppid as it starts, for $PPID
        RunResult r = Runner.run(lxrunFailing("getppid", List.of("/bin/sh", "-c", "echo never")), dir,
                Runner.baseEnvironment(), new byte[0]);
        assertEquals(128 + 31, r.exitStatus(), r.toString());
        assertEquals("", r.out(), r.toString());
        assertTrue(r.err().startsWith("lxrun: internal error in getppid() of pid "), r.toString());
        assertTrue(r.err().endsWith("Bad system call\n"), r.toString());
    }

    private static List<String> lxrunFailing(String syscall, List<String> guest) {
        List<String> cmd = new ArrayList<>(Runner.Jvm.options());
        cmd.add("-Dlxrun.test.failSyscall=" + syscall);
        cmd.addAll(Runner.Jvm.program());
        cmd.addAll(guest);
        return cmd;
    }
}
