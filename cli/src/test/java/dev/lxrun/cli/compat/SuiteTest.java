package dev.lxrun.cli.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteTest {
    @TempDir
    Path dir;

    @Test
    void aLineNamingAMissingProgramIsASuiteError() throws IOException {
        Path suite = dir.resolve("s.suite");
        Files.writeString(suite, "ok: /bin/echo hi\n\nmissing: ./no-such-script arg\n");
        IOException e = assertThrows(IOException.class, () -> Suite.load(suite, Map.of()));
        assertEquals(suite.toAbsolutePath() + ":3: ./no-such-script: no such program", e.getMessage());
        Files.writeString(suite, "lxrun-no-such-command-anywhere\n");
        e = assertThrows(IOException.class, () -> Suite.load(suite, Map.of()));
        assertTrue(e.getMessage().contains(":1: lxrun-no-such-command-anywhere: command not found"), e.getMessage());
    }

    @Test
    void presentProgramsLoad() throws IOException {
        Path suite = dir.resolve("s.suite");
        Files.writeString(suite, "hi: echo hi\nsh: /bin/sh -c true\n");
        assertEquals(List.of("hi", "sh"), Suite.load(suite, Map.of()).cases().stream().map(SuiteCase::name).toList());
    }

    @Test
    void compareStatusDirectiveAndFamilies() throws IOException {
        Path suite = dir.resolve("s.suite");
        Files.writeString(suite, "plain: echo hi\n%compare status\nfcntl/fcntl01: /bin/true\n%compare all\nlast: /bin/true\n");
        List<SuiteCase> cases = Suite.load(suite, Map.of()).cases();
        assertEquals(List.of(false, true, false), cases.stream().map(SuiteCase::statusOnly).toList());
        assertEquals(List.of("", "fcntl", ""), cases.stream().map(SuiteCase::family).toList());
        Files.writeString(suite, "%compare stdout\n");
        IOException e = assertThrows(IOException.class, () -> Suite.load(suite, Map.of()));
        assertTrue(e.getMessage().contains(":1: unknown directive %compare stdout"), e.getMessage());
    }

    @Test
    void statusOnlyComparisonIgnoresOutputButNotStatus() {
        Execution nat = new Execution("t 1s\n".getBytes(), new byte[0], 0, 1, false, null);
        Execution same = new Execution("t 9s\n".getBytes(), new byte[0], 0, 1, false, null);
        Execution other = new Execution("t 1s\n".getBytes(), new byte[0], 32, 1, false, null);
        assertEquals(Outcome.PASS, Comparison.compare("translate", nat, dir, same, dir, SyscallHits.NONE, true).outcome());
        assertEquals(Outcome.FAIL, Comparison.compare("translate", nat, dir, same, dir, SyscallHits.NONE, false).outcome());
        assertEquals(Outcome.FAIL, Comparison.compare("translate", nat, dir, other, dir, SyscallHits.NONE, true).outcome());
    }
}
