package dev.lxrun.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The resident instance (LXRUN_INSTANCE=1, `lxrun instance start`): commands run through the
 * small client give what the one-process mode and Linux give, and share one kernel (/proc, a
 * daemon started by one command and reached by the next); crashes, idleness and strangers are
 * handled; LXRUN_INSTANCE=0 keeps the one-process mode.
 */
class InstanceTest {
    private static final Path HOME = Path.of(System.getProperty("lxrun.home", "..")).toAbsolutePath().normalize();
    private static final Path LAUNCHER = HOME.resolve("lxrun");
    private static final Path CWD = Path.of(System.getProperty("java.io.tmpdir"));
    /** A directory of the test's own, so that the user's instances are neither used nor disturbed. */
    private static final Path DIR = CWD.resolve("lxrun-instance-test-" + ProcessHandle.current().pid());

    private static Map<String, String> env(String instance, Path dir) {
        Map<String, String> env = new LinkedHashMap<>(Runner.baseEnvironment());
        env.put("LXRUN_INSTANCE", instance);
        env.put("LXRUN_INSTANCE_DIR", dir.toString());
        String lib = Runner.unicornLibrary();
        if (lib != null) env.put("LXRUN_UNICORN", lib);
        return env;
    }

    private static RunResult lxrun(String instance, Path dir, byte[] stdin, String... command) {
        List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
        cmd.addAll(List.of(command));
        return Runner.run(cmd, CWD, env(instance, dir), stdin);
    }

    private static RunResult viaInstance(String... command) {
        return lxrun("1", DIR, new byte[0], command);
    }

    private static long serverPid(Path dir) throws IOException {
        return Long.parseLong(Files.readAllLines(dir.resolve("host.root")).get(1).trim());
    }

    @BeforeAll
    static void start() {
        RunResult r = lxrun("0", DIR, new byte[0], "instance", "start");
        assertEquals(0, r.exitStatus(), r.toString());
        assertTrue(Files.exists(DIR.resolve("host.sock")), r.toString());
    }

    @AfterAll
    static void stop() {
        lxrun("0", DIR, new byte[0], "instance", "stop");
    }

    /** Output and status as natively; stderr (signal deaths' messages, lxrun's errors) as the one-process mode's. */
    @Test
    void sameResultsAsNativeAndOneProcessMode() {
        String hello = CPrograms.binary("glibc", "hello").toString();
        String exits = CPrograms.binary("musl", "exit_codes").toString();
        List<List<String>> programs = List.of(
                List.of(hello),
                List.of(exits),
                List.of("/bin/sh", "-c", "echo out; echo err >&2; exit 7"),
                List.of("/bin/sh", "-c", "kill -SEGV $$"),
                List.of("/bin/sh", "-c", "kill -TERM $$"),
                List.of("/bin/sh", "-c", "kill -INT $$"),
                List.of("sort", "-r"),
                List.of("/bin/sh", "-c", "pwd; umask; echo \"$HOME\" \"$LC_ALL\"; cat | wc -c"),
                List.of("no-such-program-here"),
                List.of("/etc/passwd"));
        byte[] stdin = "b\na\nc\n".getBytes(StandardCharsets.UTF_8);
        for (List<String> p : programs) {
            boolean runsNatively = !p.get(0).startsWith("no-such") && !p.get(0).equals("/etc/passwd");
            RunResult nat = runsNatively ? Runner.runNative(p, CWD, Runner.baseEnvironment(), stdin) : null;
            RunResult one = lxrun("0", DIR, stdin, p.toArray(String[]::new));
            RunResult inst = lxrun("1", DIR, stdin, p.toArray(String[]::new));
            String what = p + "\n native: " + nat + "\n one-process: " + one + "\n instance: " + inst;
            if (runsNatively) {
                assertEquals(nat.out(), inst.out(), what);
                assertEquals(nat.exitStatus(), inst.exitStatus(), what);
            }
            assertEquals(one.out(), inst.out(), what);
            assertEquals(one.err(), inst.err(), what);
            assertEquals(one.exitStatus(), inst.exitStatus(), what);
        }
    }

    /**
     * The program starts with the client's resource limits, as a child of the shell that runs
     * lxrun would: limits lowered by the shell before the command, seen with getrlimit (ulimit)
     * and enforced where the kernel enforces them (RLIMIT_NOFILE: the first descriptor past it).
     */
    @Test
    void programGetsTheClientsResourceLimits() {
        String lower = "ulimit -S -n 40; ulimit -S -s 4096; ulimit -S -c 0; ulimit -S -f 100000; ulimit -S -t 500; ";
        String show = "ulimit -n; ulimit -Hn; ulimit -s; ulimit -c; ulimit -f; ulimit -t; "
                + "exec 39</dev/null && echo fd39; { exec 40</dev/null; } 2>/dev/null || echo no fd40";
        RunResult nat = Runner.runNative(List.of("/bin/sh", "-c", lower + "exec /bin/bash -c '" + show + "'"), CWD,
                Runner.baseEnvironment(), new byte[0]);
        RunResult inst = Runner.run(List.of("/bin/sh", "-c", lower + "exec \"$0\" /bin/bash -c '" + show + "'",
                LAUNCHER.toString()), CWD, env("1", DIR), new byte[0]);
        assertEquals(0, nat.exitStatus(), nat.toString());
        assertEquals(nat.out(), inst.out(), "native: " + nat + "\n instance: " + inst);
        assertEquals(nat.exitStatus(), inst.exitStatus(), inst.toString());
    }

    /** Two commands share the instance's kernel: one sees the other's process in /proc; LXRUN_INSTANCE=0 does not. */
    @Test
    void commandsShareOneKernel() throws Exception {
        // 31.5: a sleep nobody else runs, recognised by its command line.
        List<String> cmd = List.of(LAUNCHER.toString(), "/bin/sleep", "31.5");
        String probe = "cat /proc/[0-9]*/cmdline | tr '\\0' ' '";
        Process sleeper = start(cmd, env("1", DIR));
        try {
            String seen = "";
            for (int i = 0; i < 100 && !seen.contains("sleep 31.5"); i++) {
                seen = viaInstance("/bin/sh", "-c", probe).out();
                if (!seen.contains("sleep 31.5")) Thread.sleep(200);
            }
            assertTrue(seen.contains("/bin/sleep 31.5"), "the other command's sleep in /proc: " + seen);
            RunResult alone = lxrun("0", DIR, new byte[0], "/bin/sh", "-c", probe);
            assertEquals(0, alone.exitStatus(), alone.toString());
            assertFalse(alone.out().contains("sleep 31.5"), "LXRUN_INSTANCE=0 runs a kernel of its own: " + alone);
        } finally {
            sleeper.destroy(); // the client forwards SIGTERM to the sleeper
            assertTrue(sleeper.waitFor(60, TimeUnit.SECONDS));
            assertEquals(143, sleeper.exitValue());
        }
    }

    /** A FIFO written by one client and read by another. */
    @Test
    void twoClientsShareAFifo() throws Exception {
        Path fifo = CWD.resolve("lxrun-instance-fifo-" + ProcessHandle.current().pid());
        Files.deleteIfExists(fifo);
        assertEquals(0, Runner.runNative(List.of("mkfifo", fifo.toString()), CWD, Runner.baseEnvironment(), new byte[0]).exitStatus());
        try {
            CompletableFuture<RunResult> writer = CompletableFuture.supplyAsync(
                    () -> viaInstance("/bin/sh", "-c", "echo through the fifo > " + fifo));
            RunResult reader = viaInstance("/bin/cat", fifo.toString());
            assertEquals("through the fifo\n", reader.out(), reader.toString());
            assertEquals(0, writer.get(120, TimeUnit.SECONDS).exitStatus());
        } finally {
            Files.deleteIfExists(fifo);
        }
    }

    /** A daemon outlives the command that started it, and the next command reaches it over its UNIX socket. */
    @Test
    void daemonOutlivesItsClient() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux")), "tmux is not installed");
        String socket = "lxi-" + ProcessHandle.current().pid();
        RunResult started = viaInstance("/usr/bin/tmux", "-L", socket, "new-session", "-d", "sleep 60");
        assertEquals(0, started.exitStatus(), started.toString());
        try {
            RunResult ls = viaInstance("/usr/bin/tmux", "-L", socket, "ls");
            assertEquals(0, ls.exitStatus(), ls.toString());
            assertTrue(ls.out().startsWith("0: 1 windows"), ls.toString());
        } finally {
            viaInstance("/usr/bin/tmux", "-L", socket, "kill-server");
        }
    }

    /** Many clients at once: every one gets its own output and status, none hangs. */
    @Test
    void parallelClients() throws Exception {
        int n = Integer.getInteger("lxrun.instanceClients", 32);
        List<CompletableFuture<RunResult>> runs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String s = Integer.toString(i);
            runs.add(CompletableFuture.supplyAsync(() -> viaInstance("/bin/sh", "-c", "echo " + s + "; exit " + (Integer.parseInt(s) % 5))));
        }
        for (int i = 0; i < n; i++) {
            RunResult r = runs.get(i).get(300, TimeUnit.SECONDS);
            assertEquals(i + "\n", r.out(), r.toString());
            assertEquals(i % 5, r.exitStatus(), r.toString());
        }
    }

    /** An instance killed while a command runs: the client says so in one line; the next command works. */
    @Test
    void killedInstance() throws Exception {
        Path dir = CWD.resolve("lxrun-instance-kill-" + ProcessHandle.current().pid());
        assertEquals(0, lxrun("0", dir, new byte[0], "instance", "start").exitStatus());
        Process client = start(List.of(LAUNCHER.toString(), "/bin/sleep", "60"), env("1", dir));
        Thread.sleep(3000);
        ProcessHandle.of(serverPid(dir)).orElseThrow().destroyForcibly();
        assertTrue(client.waitFor(60, TimeUnit.SECONDS), "the client did not end with its instance");
        String err = new String(client.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, client.exitValue(), err);
        assertTrue(err.matches("lxrun: the lxrun instance for / ended unexpectedly[^\n]*\n"), err);
        RunResult next = lxrun("1", dir, new byte[0], "/bin/echo", "next");
        assertEquals("next\n", next.out(), next.toString());
        assertEquals(0, next.exitStatus(), next.toString());
        lxrun("0", dir, new byte[0], "instance", "stop");
    }

    private static Process start(List<String> cmd, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(CWD.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        return p;
    }

    /** With no client and no program for LXRUN_INSTANCE_IDLE seconds the instance ends and removes its socket. */
    @Test
    void idleExit() throws Exception {
        Path dir = CWD.resolve("lxrun-instance-idle-" + ProcessHandle.current().pid());
        Map<String, String> e = env("0", dir);
        e.put("LXRUN_INSTANCE_IDLE", "2");
        Process starting = start(List.of(LAUNCHER.toString(), "instance", "start"), e);
        assertTrue(starting.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, starting.exitValue());
        long pid = serverPid(dir);
        RunResult r = lxrun("1", dir, new byte[0], "/bin/true");
        assertEquals(0, r.exitStatus(), r.toString());
        ProcessHandle server = ProcessHandle.of(pid).orElseThrow();
        server.onExit().get(60, TimeUnit.SECONDS);
        assertFalse(Files.exists(dir.resolve("host.sock")), "the socket is removed");
    }

    /** Another uid reaching the socket (here through permissions opened on purpose) is refused by SO_PEERCRED. */
    @Test
    void strangerIsRefused() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")) && "root".equals(System.getProperty("user.name")),
                "needs root and setpriv to act as another user");
        Path dir = CWD.resolve("lxrun-instance-peer-" + ProcessHandle.current().pid());
        assertEquals(0, lxrun("0", dir, new byte[0], "instance", "start").exitStatus());
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            Files.setPosixFilePermissions(dir.resolve("host.sock"), PosixFilePermissions.fromString("rwxrwxrwx"));
            Path client = dir.resolve("client");
            Files.copy(HOME.resolve("cli/target/lxrun-client"), client);
            Files.setPosixFilePermissions(client, PosixFilePermissions.fromString("rwxr-xr-x"));
            RunResult r = Runner.run(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    client.toString(), LAUNCHER.toString(), "1", "LXRUN_INSTANCE_DIR=" + dir, "/bin/true"),
                    Path.of("/"), Runner.baseEnvironment(), new byte[0]);
            assertEquals(1, r.exitStatus(), r.toString());
            assertEquals("lxrun: the instance at " + dir.resolve("host.sock") + " refused this user\n", r.err());
        } finally {
            lxrun("0", dir, new byte[0], "instance", "stop");
        }
    }

    /** `lxrun instance list` names the running instance. */
    @Test
    void listShowsTheInstance() throws IOException {
        RunResult r = lxrun("0", DIR, new byte[0], "instance", "list");
        assertEquals(0, r.exitStatus(), r.toString());
        assertTrue(r.out().contains("translate  /  pid " + serverPid(DIR) + "  " + DIR.resolve("host.sock")), r.toString());
    }
}
