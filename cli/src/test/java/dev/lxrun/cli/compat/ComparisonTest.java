package dev.lxrun.cli.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A mode's run against the native one: what counts as a difference. */
class ComparisonTest {
    private static Execution exec(String out, String err, int status) {
        return new Execution(out.getBytes(StandardCharsets.UTF_8), err.getBytes(StandardCharsets.UTF_8), status, 1_000_000, false, null);
    }

    private static ModeResult compare(Execution nat, Execution run) {
        return Comparison.compare("translate", nat, Path.of("/n"), run, Path.of("/t"), SyscallHits.NONE);
    }

    @Test
    void aDeathBySignalIsComparedWithoutTheShellsMessage() {
        // The native run has no shell to print "Terminated"; lxrun prints it as a shell would.
        assertEquals(Outcome.PASS, compare(exec("", "", 143), exec("", "Terminated\n", 143)).outcome());
        assertEquals(Outcome.PASS, compare(exec("x", "own words\n", 139), exec("x", "own words\nSegmentation fault\n", 139)).outcome());
    }

    @Test
    void otherStderrDifferencesStillCount() {
        // Different signals: the message is not dropped and the statuses differ anyway.
        ModeResult r = compare(exec("", "", 139), exec("", "Terminated\n", 143));
        assertEquals(List.of("stderr", "exit status"), r.differences());
        // An ordinary exit that prints the word is the program's own output.
        assertEquals(List.of("stderr"), compare(exec("", "", 0), exec("", "Terminated\n", 0)).differences());
        // The message only as the last whole line.
        assertEquals(List.of("stderr"), compare(exec("", "", 143), exec("", "notTerminated\n", 143)).differences());
    }

}
