package dev.lxrun.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Job control at a terminal: pty_drive (run natively) puts a command on a new pseudo-terminal,
 * types what the script says, and prints everything the terminal showed and how the command
 * ended. Around a program and around lxrun running it, that must be the same: Ctrl-C and Ctrl-Z
 * reach the foreground group, background jobs stop when they read the terminal, and an
 * interactive bash has job control.
 */
class TerminalTest {
    private static final String VARIANT = "glibc";

    @TempDir
    Path scratch;

    @Test
    void jobControlCallsMatchNative() {
        List<String> script = List.of("expect:reader reading\r\n", "send:hello\\n", "expect:interrupted waiting\r\n",
                "send:^C", "expect:suspended waiting\r\n", "send:^Z", "expect:done\r\n");
        List<String> program = CPrograms.command(VARIANT, "tty_jobs");
        assertSameOnTerminal(script, program, Runner.lxrunCommand(program), Map.of(), Map.of());
    }

    /** lxrun as a shell's job: the program stops, so lxrun stops on the host, and fg resumes both. */
    @Test
    void programStoppedByCtrlZStopsLxrunForTheShell() {
        List<String> script = List.of("expect:# ", "send:$P suspend-self\\n", "expect:main waiting\r\n", "send:^Z",
                "expect:Stopped", "expect:# ", "send:fg\\n", "expect:main continued\r\n", "expect:# ",
                "send:echo status $?\\n", "expect:status", "expect:# ", "send:exit\\n");
        List<String> program = CPrograms.command(VARIANT, "tty_jobs");
        List<String> bash = List.of("/bin/bash", "--norc", "-i");
        assertSameOnTerminal(script, bash, bash, Map.of("P", String.join(" ", program)),
                Map.of("P", String.join(" ", Runner.lxrunCommand(program))));
    }

    /** An interactive bash under lxrun: foreground and background jobs, jobs, fg, Ctrl-C and Ctrl-Z. */
    @Test
    void interactiveBashHasJobControl() {
        List<String> script = List.of(
                "expect:# ", "send:$P suspend-self\\n", "expect:main waiting\r\n", "send:^C",
                "expect:# ", "send:echo status $?\\n", "expect:status", "expect:# ",
                "send:sleep 30 &\\n", "expect:# ", "send:jobs\\n", "expect:Running", "expect:# ",
                // Killed in the background: not "kill %1; wait", whose report bash gives or skips
                // depending on whether the job is dead before the wait builtin starts.
                "send:kill %1; sleep 1.5; jobs\\n", "expect:Terminated", "expect:# ",
                "send:cat &\\n", "expect:# ", "send:sleep 2; jobs\\n", "expect:Stopped", "expect:# ",
                "send:fg %1\\n", "expect:cat\r\n", "send:hello\\n", "expect:hello\r\nhello\r\n", "send:^C",
                "expect:# ", "send:echo status $?\\n", "expect:status", "expect:# ",
                "send:$P suspend-self\\n", "expect:main waiting\r\n", "send:^Z", "expect:Stopped", "expect:# ",
                "send:fg\\n", "expect:main continued\r\n", "expect:# ", "send:echo status $?\\n", "expect:status",
                "expect:# ", "send:exit 4\\n");
        List<String> bash = List.of("/bin/bash", "--norc", "-i");
        Map<String, String> env = Map.of("P", String.join(" ", CPrograms.command(VARIANT, "tty_jobs")));
        assertSameOnTerminal(script, bash, Runner.lxrunCommand(bash), env, env);
    }

    private void assertSameOnTerminal(List<String> script, List<String> nativeCommand, List<String> lxrunCommand,
                                      Map<String, String> nativeEnv, Map<String, String> lxrunEnv) {
        String expected = onTerminal(script, nativeCommand, nativeEnv);
        String actual = onTerminal(script, lxrunCommand, lxrunEnv);
        assertEquals(expected, actual, "what the terminal showed");
    }

    private String onTerminal(List<String> script, List<String> command, Map<String, String> extraEnv) {
        List<String> cmd = new ArrayList<>(CPrograms.command(VARIANT, "pty_drive"));
        cmd.addAll(script);
        cmd.add("--");
        cmd.addAll(command);
        Map<String, String> env = Runner.baseEnvironment();
        env.putAll(extraEnv);
        RunResult r = Runner.runNative(cmd, scratch, env, new byte[0]);
        assumeTrue(r.exitStatus() != 77, "this machine cannot make pseudo-terminals: " + r.err());
        assertEquals(0, r.exitStatus(), "pty_drive failed:\n" + r);
        // Background jobs are announced with their pids ("[1] 4711"), which differ from run to run.
        return r.out().replaceAll("\\[(\\d+)] \\d+\r\n", "[$1] PID\r\n");
    }
}
