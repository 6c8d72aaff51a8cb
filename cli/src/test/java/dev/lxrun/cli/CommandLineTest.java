package dev.lxrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lxrun.cli.compat.CompatCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** How `lxrun …` parses: bad option values in one line, harness options anywhere. */
class CommandLineTest {
    private static String errorOf(String... args) {
        CommandLine cmd = Main.commandLine();
        StringWriter err = new StringWriter();
        cmd.setErr(new PrintWriter(err, true));
        cmd.getSubcommands().values().forEach(s -> s.setErr(new PrintWriter(err, true)));
        int status = cmd.execute(args);
        assertEquals(2, status, err.toString());
        return err.toString();
    }

    private static void assertOneLine(String err, String start) {
        assertTrue(err.startsWith(start), err);
        assertEquals(err.length() - 1, err.indexOf('\n'), "one line: " + err);
        assertFalse(err.contains("Usage:"), err);
    }

    @Test
    void aBadModeIsOneLine() {
        assertOneLine(errorOf("--mode", "bogus", "/bin/true"), "lxrun: Invalid value for option '--mode'");
    }

    @Test
    void aBadTimeoutIsOneLine() {
        assertOneLine(errorOf("bench", "--timeout", "abc"), "lxrun bench: Invalid value for option '--timeout'");
        assertOneLine(errorOf("compat", "--timeout", "abc", "x.suite"), "lxrun compat: Invalid value for option '--timeout'");
    }

    @Test
    void compatOptionsMayFollowTheSuite() {
        CommandLine cmd = Main.commandLine();
        CommandLine.ParseResult r = cmd.parseArgs("compat", "a.suite", "--out", "/tmp/o", "b.suite", "--modes", "translate");
        CompatCommand compat = (CompatCommand) r.subcommand().commandSpec().userObject();
        assertEquals(Path.of("/tmp/o"), compat.out());
        assertEquals(List.of(Path.of("a.suite"), Path.of("b.suite")), compat.suites());
    }

    @Test
    void theProgramsOwnOptionsStayItsOwn() {
        CommandLine cmd = Main.commandLine();
        CommandLine.ParseResult r = cmd.parseArgs("/bin/echo", "--out", "x");
        RunCommand run = (RunCommand) r.commandSpec().userObject();
        assertEquals("/bin/echo", run.program);
        assertEquals(List.of("--out", "x"), run.args);
    }
}
