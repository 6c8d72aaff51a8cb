package dev.lxrun.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, `./lxrun PROGRAM`, as a user runs it: the bash launcher with its
 * start-up cache and JVM options must hand the program exactly what a native run gets.
 */
class LauncherTest {
    private static final Path HOME = Path.of(System.getProperty("lxrun.home", "..")).toAbsolutePath().normalize();
    private static final Path LAUNCHER = HOME.resolve("lxrun");

    @TempDir
    Path dir;

    /** Without PWD or SHLVL, which bash adds to what it runs, and in no sorted order. */
    private static Map<String, String> callerEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ZED", "last letter first");
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", System.getProperty("java.io.tmpdir"));
        env.put("ALPHA", "ünïcödé");
        String lib = Runner.unicornLibrary();
        if (lib != null) env.put("LXRUN_UNICORN", lib);
        return env;
    }

    private RunResult viaLauncher(String... command) {
        List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
        cmd.addAll(List.of(command));
        return Runner.run(cmd, dir, callerEnvironment(), new byte[0]);
    }

    @BeforeAll
    static void firstUseMakesTheStartupCache() {
        RunResult first = Runner.run(List.of(LAUNCHER.toString(), "/bin/true"), Path.of("/"), callerEnvironment(), new byte[0]);
        assertEquals(0, first.exitStatus(), first.toString());
        assertEquals("", first.out(), "nothing of lxrun's own on the program's stdout");
        assertTrue(Files.isRegularFile(HOME.resolve("cli/target/lxrun.aot")), "the AOT cache was made: " + first);
    }

    /** Signals ignored by whatever started lxrun (nohup, a script's background job) stay ignored for the program. */
    @Test
    void ignoredSignalsAreInherited() {
        String program = CPrograms.binary("glibc", "inherited_signals").toString();
        List<String> ignoring = List.of("/bin/sh", "-c", "trap '' HUP INT USR1 TSTP; exec \"$@\"", "sh");
        List<String> nativeCmd = new ArrayList<>(ignoring);
        nativeCmd.add(program);
        RunResult expected = Runner.run(nativeCmd, dir, callerEnvironment(), new byte[0]);
        List<String> lxrunCmd = new ArrayList<>(ignoring);
        lxrunCmd.addAll(List.of(LAUNCHER.toString(), program));
        RunResult actual = Runner.run(lxrunCmd, dir, callerEnvironment(), new byte[0]);
        assertTrue(expected.out().contains("survived Hangup"), expected.toString());
        assertEquals(expected.toString(), actual.toString());
    }

    @Test
    void outputAndStatusAreTheProgramsOwn() {
        RunResult r = viaLauncher("/bin/sh", "-c", "echo out; echo err >&2; exit 3");
        assertEquals(3, r.exitStatus(), r.toString());
        assertEquals("out\n", r.out());
        assertEquals("err\n", r.err());
    }

    @Test
    void environmentArrivesExactlyAsTheCallerGaveIt() {
        RunResult nat = Runner.run(List.of("/usr/bin/env"), dir, callerEnvironment(), new byte[0]);
        RunResult lx = viaLauncher("/usr/bin/env");
        assertEquals(0, lx.exitStatus(), lx.toString());
        // lxrun's own settings (LXRUN_*) are for lxrun, not the program (documented in the README).
        String expected = nat.out().lines().filter(l -> !l.startsWith("LXRUN_")).collect(Collectors.joining("\n", "", "\n"));
        assertEquals(expected, lx.out());
        assertEquals("", lx.err());
    }

    @Test
    void theCallersDirectoryIsTheProgramsDirectory() {
        RunResult r = viaLauncher("/bin/pwd");
        assertEquals(dir.toString() + "\n", r.out(), r.toString());
    }
}
