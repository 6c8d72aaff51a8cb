package dev.lxrun.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * lxrun --gdb PORT: a host gdb debugs the guest program through lxrun's remote stub, and prints
 * what it prints for the same program under qemu-user's stub (qemu-x86_64 -g PORT): where the
 * breakpoint hits, rip, the backtrace, a variable and a string read, a string written (the
 * program prints it), a single step, a SIGSEGV stop, and how the program ended. The program is
 * static and not PIE, so code and data addresses are the same under both; the stack is not
 * (argv's address is left out), nor the inferior's name ("process 1" under qemu). lxrun's stub
 * has no vFile packets (gdb reads the program and libraries from the host's files instead), so
 * the one warning gdb prints about that is left out too.
 */
class GdbStubTest {
    @TempDir
    Path work;

    @Test
    void breakpointRegistersMemoryStepAndExitAsUnderQemu() throws Exception {
        Path prog = compile();
        List<String> gdbCommands = List.of("break add", "continue", "info registers rip", "bt", "print counter",
                "x/s message", "set var message[0] = 'H'", "print message", "stepi", "info registers rip",
                "print $fs_base != 0", "continue");
        Session lx = debug(lxrun(prog), gdbCommands);
        Session qemu = debug(qemu(prog), gdbCommands);
        assertEquals(qemu.gdbOut(), lx.gdbOut(), "gdb's output\nlxrun program: " + lx.programOut() + "\nqemu: " + qemu);
        assertEquals(qemu.programOut(), lx.programOut(), "the program's output after gdb wrote into it");
        assertTrue(lx.programOut().startsWith("Hello from the guest 42"), lx.programOut());
        assertEquals(3, lx.exit(), "lxrun's exit status\n" + lx);
        assertEquals(qemu.exit(), lx.exit());
    }

    @Test
    void aFaultStopsInGdbAndEndsTheProgramWhenPassedOn() throws Exception {
        Path prog = compile();
        List<String> gdbCommands = List.of("continue", "info registers rip", "bt 1", "continue");
        Session lx = debug(lxrun(prog, "crash"), gdbCommands);
        Session qemu = debug(qemu(prog, "crash"), gdbCommands);
        assertEquals(qemu.gdbOut(), lx.gdbOut(), "gdb's output\nqemu: " + qemu + "\nlxrun: " + lx);
        assertEquals(qemu.exit(), lx.exit(), "exit status (killed by SIGSEGV)\n" + lx);
    }

    @Test
    void origRaxIsThereAndMinusOneOutsideASyscall() throws Exception {
        Path prog = compile();
        Session lx = debug(lxrun(prog), List.of("print $orig_rax", "print/x $fs_base == $fs_base", "kill"));
        assertTrue(lx.gdbOut().contains("$1 = -1\n"), lx.toString());
    }

    private Path compile() throws IOException, InterruptedException {
        Path src = Path.of("src/main/c/gdb_target.c").toAbsolutePath();
        Path out = work.resolve("gdb_target");
        Process cc = new ProcessBuilder("gcc", "-g", "-O0", "-static", "-o", out.toString(), src.toString())
                .redirectErrorStream(true).start();
        String msg = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, cc.waitFor(), "gcc: " + msg);
        return out;
    }

    private record Target(List<String> command) {}

    private static Target lxrun(Path prog, String... args) {
        List<String> guest = new ArrayList<>(List.of("--gdb", "PORT", prog.toString()));
        guest.addAll(List.of(args));
        return new Target(Runner.lxrunCommand(guest));
    }

    private static Target qemu(Path prog, String... args) {
        List<String> cmd = new ArrayList<>(List.of("qemu-x86_64", "-g", "PORT", prog.toString()));
        cmd.addAll(List.of(args));
        return new Target(cmd);
    }

    private record Session(String gdbOut, String programOut, int exit) {
        @Override
        public String toString() {
            return "gdb:\n" + gdbOut + "\nprogram:\n" + programOut + "\nexit " + exit;
        }
    }

    /** Starts the target with a free port, waits until it listens, runs gdb -batch against it. */
    private Session debug(Target target, List<String> commands) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>();
        for (String a : target.command()) cmd.add(a.equals("PORT") ? Integer.toString(port) : a);
        Path programOut = Files.createTempFile(work, "program", ".out");
        Process program = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(programOut.toFile()).start();
        try {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            while (!listening(port)) {
                if (!program.isAlive() || System.nanoTime() > until) {
                    throw new AssertionError("no stub listening on port " + port + ": " + Files.readString(programOut));
                }
                Thread.sleep(100);
            }
            // under timeout: a gdb left on a dead connection can spin for ever, and readAllBytes
            // below would wait for it
            List<String> gdb = new ArrayList<>(List.of("timeout", "-k", "5", "240", "gdb", "-nx", "-batch", "-ex", "set confirm off",
                    "-ex", "target remote 127.0.0.1:" + port));
            for (String c : commands) {
                gdb.add("-ex");
                gdb.add(c);
            }
            gdb.add(cmd.get(cmd.indexOf(Integer.toString(port)) + 1)); // the program, for its symbols
            Process g = new ProcessBuilder(gdb).directory(work.toFile()).redirectErrorStream(true).start();
            String out = new String(g.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(g.waitFor(300, TimeUnit.SECONDS), "gdb did not end");
            assertTrue(g.exitValue() != 124 && g.exitValue() != 137, "gdb timed out: " + out);
            assertTrue(program.waitFor(300, TimeUnit.SECONDS), "the debugged program did not end: " + out);
            return new Session(normalise(out), Files.readString(programOut), program.exitValue());
        } finally {
            program.destroyForcibly();
        }
    }

    /**
     * Whether something listens on port (from /proc/net/tcp and tcp6, as a JVM's loopback socket
     * is an IPv6 one: connecting to find out would take gdb's place).
     */
    private static boolean listening(int port) throws IOException {
        String local = String.format(":%04X ", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && (f[1] + " ").endsWith(local) && f[3].equals("0A")) return true;
            }
        }
        return false;
    }

    /** What differs between two correct stubs: the inferior's name and stack addresses. */
    private static String normalise(String gdbOut) {
        return gdbOut.replace("warning: remote target does not support file transfer, attempting to access files from local filesystem.\n", "")
                .replaceAll("\\[Inferior 1 \\([^)]*\\)", "[Inferior 1 (X)")
                .replaceAll("argv=0x[0-9a-f]+", "argv=ADDR");
    }
}
