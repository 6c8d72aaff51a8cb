package dev.lxrun.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files lxrun cannot run give one clear line and the status a shell would give, never a stack trace. */
class BadInputTest {
    @TempDir
    Path dir;

    private RunResult lxrun(String... args) {
        return Runner.runLxrun(List.of(args), dir, Runner.baseEnvironment(), new byte[0]);
    }

    private static void assertOneLine(RunResult r, String expectedText) {
        String err = r.err();
        assertTrue(err.startsWith("lxrun: "), "message starts with lxrun: " + err);
        assertTrue(err.endsWith("\n") && err.indexOf('\n') == err.length() - 1, "exactly one line: " + err);
        assertTrue(err.contains(expectedText), "mentions '" + expectedText + "': " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no Java trace: " + err);
        assertEquals("", r.out());
    }

    private Path executable(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private static byte[] hello() throws IOException {
        return Files.readAllBytes(CPrograms.binary("musl", "hello"));
    }

    @Test
    void missingFile() {
        RunResult r = lxrun(dir.resolve("no-such-program").toString());
        assertEquals(127, r.exitStatus());
        assertOneLine(r, "No such file or directory");
    }

    @Test
    void commandNotInPath() {
        RunResult r = lxrun("no-such-command-anywhere");
        assertEquals(127, r.exitStatus());
        assertOneLine(r, "command not found");
    }

    @Test
    void notAnElf() throws IOException {
        RunResult r = lxrun(executable("text", "just some text\n".getBytes()).toString());
        assertEquals(126, r.exitStatus());
        assertOneLine(r, "Exec format error");
    }

    @Test
    void notExecutable() throws IOException {
        Path p = dir.resolve("noexec");
        Files.write(p, hello());
        RunResult r = lxrun(p.toString());
        assertEquals(126, r.exitStatus());
        assertOneLine(r, "Permission denied");
    }

    @Test
    void directory() {
        RunResult r = lxrun(dir.toString());
        assertEquals(126, r.exitStatus());
        assertOneLine(r, "Is a directory");
    }

    @Test
    void thirtyTwoBitElf() throws IOException {
        byte[] b = hello();
        b[4] = 1; // ELFCLASS32
        b[18] = 3; // EM_386
        b[19] = 0;
        RunResult r = lxrun(executable("elf32", b).toString());
        assertEquals(126, r.exitStatus());
        assertOneLine(r, "32-bit");
    }

    @Test
    void armElf() throws IOException {
        byte[] b = hello();
        b[18] = (byte) 183; // EM_AARCH64
        b[19] = 0;
        RunResult r = lxrun(executable("arm64", b).toString());
        assertEquals(126, r.exitStatus());
        assertOneLine(r, "AArch64");
    }

    @Test
    void truncatedElf() throws IOException {
        for (int len : new int[] {10, 40, 100}) {
            RunResult r = lxrun(executable("trunc" + len, Arrays.copyOf(hello(), len)).toString());
            assertEquals(126, r.exitStatus(), "truncated to " + len + ": " + r);
            assertOneLine(r, "truncated");
        }
        // Headers whole, segments past the end: Linux maps them and the program dies on touching
        // them (SIGBUS there; lxrun's pages past the end are zeros, as its mmap gives them).
        RunResult r = lxrun(executable("trunc3000", Arrays.copyOf(hello(), 3000)).toString());
        assertTrue(r.exitStatus() > 128, "killed by a signal: " + r);
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void shebangToMissingInterpreter() throws IOException {
        RunResult r = lxrun(executable("script", "#!/no/such/interpreter\necho hi\n".getBytes()).toString());
        assertEquals(127, r.exitStatus());
        assertOneLine(r, "No such file or directory");
    }

    @Test
    void shebangRunsInterpreter() throws IOException {
        Path script = executable("hello.sh", "#!/bin/busybox sh\necho from script \"$@\"\nexit 7\n".getBytes());
        RunResult r = lxrun(script.toString(), "a", "b");
        assertEquals("from script a b\n", r.out(), r.err());
        assertEquals(7, r.exitStatus());
    }

    @Test
    void noProgram() {
        RunResult r = lxrun();
        assertEquals(2, r.exitStatus());
        assertOneLine(r, "no program");
    }
}
