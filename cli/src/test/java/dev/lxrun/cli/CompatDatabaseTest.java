package dev.lxrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lxrun.kernel.auto.VmFallbackWatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --mode auto's memory: keyed on the program as run (interpreter + script), visible and undoable. */
class CompatDatabaseTest {
    @TempDir
    Path dir;

    private static final int IO_URING_SETUP = 425;

    private Path interpreter() throws IOException {
        Path p = dir.resolve("bin/python3");
        Files.createDirectories(p.getParent());
        Files.writeString(p, "pretend interpreter");
        return p;
    }

    @Test
    void oneScriptNeedingTheVmDoesNotSendTheInterpreterThere() throws IOException {
        Path python = interpreter();
        String memfd = ProgramKey.of(python, List.of("-c", "import os; os.memfd_create('x')"), "/", dir.toString());
        String print = ProgramKey.of(python, List.of("-c", "print(1)"), "/", dir.toString());
        assertNotEquals(memfd, print);
        CompatDatabase db = new CompatDatabase(dir.resolve("db.tsv"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(err, true, StandardCharsets.UTF_8);
        AutoMode first = new AutoMode(db, "python3", List.of("-c", "import os; os.memfd_create('x')"), "/", python.toString(), dir.toString(), ps);
        assertTrue(first.restartInVm(new VmFallbackWatch.Trigger(IO_URING_SETUP, true, null)));
        assertTrue(new AutoMode(db, "python3", List.of("-c", "import os; os.memfd_create('x')"), "/", python.toString(), dir.toString(), ps).knownToNeedVm());
        assertFalse(new AutoMode(db, "python3", List.of("-c", "print(1)"), "/", python.toString(), dir.toString(), ps).knownToNeedVm());
    }

    @Test
    void aScriptCountsByItsContent() throws IOException {
        Path python = interpreter();
        Path script = dir.resolve("app.py");
        Files.writeString(script, "print(1)\n");
        String before = ProgramKey.of(python, List.of("app.py"), "/", dir.toString());
        assertEquals(before, ProgramKey.of(python, List.of(script.toString()), "/", dir.toString()), "relative or absolute, the same script");
        Files.writeString(script, "print(2)\n");
        assertNotEquals(before, ProgramKey.of(python, List.of("app.py"), "/", dir.toString()), "an edited script is judged afresh");
    }

    @Test
    void listShowsTheCommandAndForgetUndoesIt() throws IOException {
        CompatDatabase db = new CompatDatabase(dir.resolve("db.tsv"));
        db.record("aaaaaaaaaaaaaaaaaaaa", "memfd_create", "/usr/bin/python3", "-c import os");
        db.record("bbbbbbbbbbbbbbbbbbbb", "io_uring_setup", "/opt/x/uring", "");
        assertEquals("/usr/bin/python3 -c import os", db.entries().getFirst().command());
        List<CompatDatabase.Entry> gone = db.forget("aaaaaaa", dir);
        assertEquals(1, gone.size());
        assertEquals(List.of("/opt/x/uring"), db.entries().stream().map(CompatDatabase.Entry::program).toList());
        assertEquals(1, db.forget("/opt/x/../x/uring", dir).size(), "by path, normalised");
        assertTrue(db.entries().isEmpty());
        assertTrue(db.forget("/nothing", dir).isEmpty());
    }

    @Test
    void theRecordedPathIsNormalised() throws IOException {
        Path python = interpreter();
        CompatDatabase db = new CompatDatabase(dir.resolve("db.tsv"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AutoMode auto = new AutoMode(db, "./bin/python3", List.of(), "/", "./bin/./python3", dir.toString(), new PrintStream(err, true, StandardCharsets.UTF_8));
        auto.restartInVm(new VmFallbackWatch.Trigger(IO_URING_SETUP, true, null));
        assertEquals(python.toString(), db.entries().getFirst().program());
    }

    @Test
    void tooLateToMoveIsSaidOnce() throws IOException {
        Path python = interpreter();
        CompatDatabase db = new CompatDatabase(dir.resolve("db.tsv"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AutoMode auto = new AutoMode(db, "prog", List.of(), "/", python.toString(), dir.toString(), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertFalse(auto.restartInVm(new VmFallbackWatch.Trigger(IO_URING_SETUP, false, "write")));
        String said = err.toString(StandardCharsets.UTF_8);
        assertTrue(said.startsWith("lxrun: prog called io_uring_setup, which lxrun does not translate; the VM could not take over"), said);
        assertTrue(said.contains("(write)") && said.contains("next run of this command goes to the VM"), said);
        assertEquals(said.length() - 1, said.indexOf('\n'), "one line");
    }
}
