package dev.lxrun.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VM mode (`--mode vm`), checked against the host: the same program natively and in the VM gives
 * the same bytes and status. Most cases go through one persistent VM (a TCG boot takes seconds);
 * one case boots a VM of its own, and the bad-input cases never get as far as a boot.
 */
class VmModeTest {
    @TempDir
    static Path state;

    @TempDir
    Path dir;

    static Map<String, String> env() {
        Map<String, String> env = Runner.baseEnvironment();
        env.put("LXRUN_VM_STATE", state.toString());
        env.put("LXRUN_VM_DEBUG", "1"); // the init logs each session on the console: see consoleTail() on a failure
        return env;
    }

    static RunResult lxrun(Path cwd, Map<String, String> env, byte[] stdin, String... args) {
        return Runner.runLxrun(List.of(args), cwd, env, stdin);
    }

    @BeforeAll
    static void startVm() {
        RunResult r = lxrun(Path.of("/"), env(), new byte[0], "vm", "start");
        assertEquals(0, r.exitStatus(), r.toString());
        assertTrue(r.out().startsWith("running: pid "), r.toString());
    }

    @AfterAll
    static void stopVm() {
        RunResult r = lxrun(Path.of("/"), env(), new byte[0], "vm", "stop");
        assertEquals("stopped\n", r.out(), r.toString());
        RunResult after = lxrun(Path.of("/"), env(), new byte[0], "vm", "status");
        assertEquals(3, after.exitStatus());
    }

    private void assertSameAsNative(byte[] stdin, String... command) {
        RunResult expected = Runner.runNative(List.of(command), dir, Runner.baseEnvironment(), stdin);
        List<String> vm = new ArrayList<>(List.of("--mode", "vm"));
        vm.addAll(List.of(command));
        RunResult actual;
        try {
            actual = Runner.runLxrun(vm, dir, env(), stdin);
        } catch (AssertionError timeout) {
            throw new AssertionError(timeout.getMessage() + "\nVM console:\n" + consoleTail(), timeout);
        }
        assertEquals(expected.exitStatus(), actual.exitStatus(), () -> "native:\n" + expected + "\nvm:\n" + actual);
        assertEquals(expected.out(), actual.out(), "stdout");
        assertEquals(expected.err(), actual.err(), "stderr");
    }

    @Test
    void echoAndExitCodes() {
        assertSameAsNative(new byte[0], "/bin/echo", "hello from the VM");
        for (String code : List.of("0", "1", "42")) {
            assertSameAsNative(new byte[0], "/bin/sh", "-c", "echo out; echo err >&2; exit " + code);
        }
    }

    @Test
    void deathBySignalIsReportedLikeAShell() {
        RunResult r = lxrun(dir, env(), new byte[0], "--mode", "vm", "/bin/sh", "-c", "kill -SEGV $$");
        assertEquals(139, r.exitStatus(), r.toString());
        assertEquals("Segmentation fault\n", r.err());
    }

    @Test
    void stdinStreamsThroughCat() {
        byte[] input = new byte[300_000];
        for (int i = 0; i < input.length; i++) input[i] = (byte) (i * 7 + i / 251);
        RunResult r = lxrun(dir, env(), input, "--mode", "vm", "/bin/cat");
        assertEquals(0, r.exitStatus(), r.err());
        assertArrayEquals(input, r.stdout());
        assertSameAsNative("one\ntwo\nthree\n".getBytes(StandardCharsets.UTF_8), "/usr/bin/sort", "-r");
    }

    @Test
    void argumentsAndEnvironmentPassExactly() {
        assertSameAsNative(new byte[0], "/bin/sh", "-c", "printf '[%s]\\n' \"$@\"; echo \"$LC_ALL $TZ $PATH\"; pwd",
                "sh", "two words", "", "ünïcödé ✓", "tab\there");
    }

    @Test
    void filesAreSharedBothWays() throws IOException {
        Files.writeString(dir.resolve("from-host.txt"), "written on the host\n");
        RunResult r = lxrun(dir, env(), new byte[0], "--mode", "vm", "/bin/sh", "-c",
                "cat from-host.txt && echo 'written in the VM' > from-vm.txt && mkdir sub && ln -s from-vm.txt link");
        assertEquals(0, r.exitStatus(), r.toString());
        assertEquals("written on the host\n", r.out());
        assertEquals("written in the VM\n", Files.readString(dir.resolve("from-vm.txt")));
        assertTrue(Files.isDirectory(dir.resolve("sub")));
        assertEquals("from-vm.txt", Files.readSymbolicLink(dir.resolve("link")).toString());
    }

    @Test
    void dynamicallyLinkedDebianPrograms() throws IOException {
        Files.createDirectories(dir.resolve("tree/a"));
        Files.writeString(dir.resolve("tree/a/file"), "x".repeat(1234));
        Files.writeString(dir.resolve("tree/b"), "bee\n");
        assertSameAsNative(new byte[0], "/bin/ls", "-lnR", "--time-style=+", "tree");
        assertSameAsNative(new byte[0], "/usr/bin/md5sum", "tree/a/file", "tree/b");
        assertSameAsNative(new byte[0], "/usr/bin/python3", "-c", "import os,sys; print(sorted(os.listdir('tree')), sys.argv)");
    }

    @Test
    void loopbackTcpWorksInTheVm() {
        // The guest's lo was down: connect(127.0.0.1) gave ENETUNREACH and this program's accept waited forever.
        assertSameAsNative(new byte[0], CPrograms.binary("glibc", "sockets").toString());
    }

    @Test
    void missingProgramInTheVm() {
        RunResult r = lxrun(dir, env(), new byte[0], "--mode", "vm", dir.resolve("nothing-here").toString());
        assertEquals(127, r.exitStatus());
        assertTrue(r.err().endsWith("nothing-here: No such file or directory\n"), r.err());
    }

    @Test
    void coldBootWithoutThePersistentVm(@TempDir Path otherState) {
        Map<String, String> env = env();
        env.put("LXRUN_VM_STATE", otherState.toString());
        RunResult r = lxrun(dir, env, new byte[0], "--mode", "vm", "-v", "/bin/sh", "-c", "echo cold; exit 7");
        assertEquals(7, r.exitStatus(), r.toString());
        assertEquals("cold\n", r.out());
        assertTrue(r.err().matches("(?s).*lxrun: vm: booted \\S+ under (KVM|TCG).* in \\d+ ms\n"), r.err());
    }

    @Test
    void autoModeRestartsInTheVmAndRemembersTheProgram(@TempDir Path db) throws IOException {
        Map<String, String> env = env();
        env.put("LXRUN_COMPAT_DB", db.resolve("compat-db.tsv").toString());
        String program = CPrograms.binary("glibc", "late_syscall").toString();
        RunResult first = lxrun(dir, env, new byte[0], "--mode", "auto", program);
        assertEquals(0, first.exitStatus(), first.toString());
        assertEquals("io_uring_setup: ok\n", first.out());
        assertEquals("lxrun: " + program + " called io_uring_setup, which lxrun does not translate: restarting it in the VM\n", first.err());
        RunResult list = lxrun(dir, env, new byte[0], "compat-db", "list");
        assertTrue(list.out().matches("[0-9a-f]{16}  io_uring_setup  \\S+  " + java.util.regex.Pattern.quote(program) + "\n"), list.out());
        RunResult second = lxrun(dir, env, new byte[0], "--mode", "auto", program);
        assertEquals("io_uring_setup: ok\n", second.out());
        assertTrue(second.err().contains("(lxrun compat-db): running it in the VM"), second.err());
        assertEquals("cleared 1 program\n", lxrun(dir, env, new byte[0], "compat-db", "clear").out());
    }

    @Test
    void autoModeKeepsEnosysOnceOutputWasWritten(@TempDir Path db) {
        Map<String, String> env = env();
        env.put("LXRUN_COMPAT_DB", db.resolve("compat-db.tsv").toString());
        String program = CPrograms.binary("musl", "late_syscall").toString();
        RunResult r = lxrun(dir, env, new byte[0], "--mode", "auto", program, "early-output");
        assertEquals(1, r.exitStatus(), r.toString());
        assertEquals("before the syscall\nio_uring_setup: Function not implemented\n", r.out());
        // Said once, on stderr: the VM could not take over, and why.
        assertTrue(r.err().startsWith("lxrun: " + program + " called io_uring_setup, which lxrun does not translate; the VM could not take over"),
                r.err());
        assertEquals(r.err().length() - 1, r.err().indexOf('\n'), r.err());
        // Translated runs of programs with no untranslated call stay translated, with no message.
        RunResult plain = lxrun(dir, env, new byte[0], "--mode", "auto", "/bin/echo", "translated");
        assertEquals("translated\n", plain.out());
        assertEquals("", plain.err());
    }

    private static void assertOneLineError(RunResult r, String expected) {
        assertFalse(r.exitStatus() == 0, r.toString());
        assertTrue(r.err().startsWith("lxrun: vm: ") && r.err().indexOf('\n') == r.err().length() - 1, r.toString());
        assertTrue(r.err().contains(expected), r.toString());
        assertFalse(r.err().contains("Exception"), r.toString());
    }

    @Test
    void badKernelsAndMissingQemuGiveOneLine(@TempDir Path otherState) {
        Map<String, String> env = env();
        env.put("LXRUN_VM_STATE", otherState.toString());
        env.put("LXRUN_KERNEL", dir.resolve("no-kernel").toString());
        assertOneLineError(lxrun(dir, env, new byte[0], "--mode", "vm", "/bin/true"), "kernel image not found");
        env.put("LXRUN_KERNEL", "/bin/true");
        assertOneLineError(lxrun(dir, env, new byte[0], "--mode", "vm", "/bin/true"), "not a bootable x86 Linux kernel image");
        env.remove("LXRUN_KERNEL");
        env.put("LXRUN_QEMU", dir.resolve("no-qemu").toString());
        assertOneLineError(lxrun(dir, env, new byte[0], "--mode", "vm", "/bin/true"), "no such executable");
    }

    @Test
    void aBootThatDoesNotFinishInTimeLeavesNoQemuBehind(@TempDir Path otherState) throws IOException {
        Map<String, String> env = env();
        env.put("LXRUN_VM_STATE", otherState.toString());
        env.put("LXRUN_VM_ACCEL", "tcg");
        env.put("LXRUN_VM_BOOT_TIMEOUT", "1");
        long before = qemuCount();
        RunResult r = lxrun(dir, env, new byte[0], "--mode", "vm", "/bin/true");
        assertOneLineError(r, "no answer from the guest within 1 s");
        assertEquals(before, qemuCount(), "QEMU processes before and after");
    }

    private static String consoleTail() {
        try {
            List<String> lines = Files.readAllLines(state.resolve("console.log"), StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no console log: " + e.getMessage() + ")";
        }
    }

    private static long qemuCount() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("qemu-system-x86_64")).orElse(false))
                .filter(p -> p.info().arguments().map(a -> !String.join(" ", a).contains(state.toString())).orElse(true))
                .count();
    }
}
