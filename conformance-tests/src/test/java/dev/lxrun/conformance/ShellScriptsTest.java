package dev.lxrun.conformance;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shell scripts under busybox sh, dash and bash: pipelines, subshells, command substitution,
 * traps, background jobs and wait. Every command the shells start is a guest process too.
 */
class ShellScriptsTest {
    static final List<String> SHELLS = List.of("/bin/busybox sh", "/bin/dash", "/bin/bash");
    static final List<String> SCRIPTS = List.of("basics.sh", "jobs.sh", "pipes.sh", "parallel.sh", "programs.sh");

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> scriptsMatchNative() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String shell : SHELLS) {
            for (String script : SCRIPTS) {
                tests.add(dynamicTest(shell + " " + script, () -> {
                    Path file = dir.resolve(script);
                    if (!Files.exists(file)) {
                        try (InputStream in = ShellScriptsTest.class.getResourceAsStream("/scripts/" + script)) {
                            if (in == null) throw new AssertionError("missing script resource " + script);
                            Files.copy(in, file);
                        }
                    }
                    List<String> cmd = new ArrayList<>(List.of(shell.split(" ")));
                    cmd.add(file.toString());
                    Differential.assertSame(cmd, dir, dir, Runner.baseEnvironment(), new byte[0]);
                }));
            }
        }
        return tests.stream();
    }

    /** make -j2 running gcc (cc1, as, collect2, ld as guest processes) builds a working program. */
    @TestFactory
    Stream<DynamicTest> makeBuildsWithGcc() {
        return Stream.of(dynamicTest("make -j2 with gcc", () -> {
            Path nat = project(dir.resolve("native")), lx = project(dir.resolve("lxrun"));
            RunResult a = Runner.runNative(List.of("/usr/bin/make", "-j2"), nat, Runner.baseEnvironment(), new byte[0]);
            RunResult b = Runner.runLxrun(List.of("/usr/bin/make", "-j2"), lx, Runner.baseEnvironment(), new byte[0]);
            org.junit.jupiter.api.Assertions.assertEquals(a.exitStatus(), b.exitStatus(), b.toString());
            RunResult ra = Runner.runNative(List.of(nat.resolve("prog").toString()), nat, Runner.baseEnvironment(), new byte[0]);
            RunResult rb = Runner.runNative(List.of(lx.resolve("prog").toString()), lx, Runner.baseEnvironment(), new byte[0]);
            org.junit.jupiter.api.Assertions.assertEquals(ra.out(), rb.out());
            org.junit.jupiter.api.Assertions.assertEquals("sum=42 product=120\n", rb.out());
        }));
    }

    private static Path project(Path d) throws IOException {
        Files.createDirectories(d);
        Files.writeString(d.resolve("main.c"), "#include <stdio.h>\nint sum(void); int product(void);\n"
                + "int main(void) { printf(\"sum=%d product=%d\\n\", sum(), product()); return 0; }\n");
        Files.writeString(d.resolve("sum.c"), "int sum(void) { int s = 0; for (int i = 0; i <= 8; i++) s += i; return s + 6; }\n");
        Files.writeString(d.resolve("product.c"), "int product(void) { int p = 1; for (int i = 1; i <= 5; i++) p *= i; return p; }\n");
        Files.writeString(d.resolve("Makefile"), "prog: main.o sum.o product.o\n\t$(CC) -o prog main.o sum.o product.o\n"
                + "%.o: %.c\n\t$(CC) -O2 -c $<\n");
        return d;
    }
}
