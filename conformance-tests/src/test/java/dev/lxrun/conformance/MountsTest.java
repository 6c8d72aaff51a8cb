package dev.lxrun.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * --mount HOSTDIR:GUESTDIR:ro and --tmpfs GUESTDIR against Linux's own mounts: the native side
 * runs in a private mount namespace (unshare -m) with a read-only bind mount and a tmpfs at the
 * same paths, so both sides see the same tree and must print the same bytes.
 */
class MountsTest {
    @TempDir
    Path scratch;

    /** The layout both sides share: base/{ro,tmp,plain}, with data bind-mounted read-only on ro. */
    private record Layout(Path base, Path data) {
        Path ro() { return base.resolve("ro"); }
        Path tmp() { return base.resolve("tmp"); }
        Path plain() { return base.resolve("plain"); }
    }

    private int layouts;

    private Layout layout(String kind) throws IOException {
        String name = kind + "-" + (++layouts);
        Path base = Files.createDirectories(scratch.resolve(name + "/base"));
        Path data = Files.createDirectories(scratch.resolve(name + "/data"));
        Files.createDirectories(base.resolve("ro"));
        Files.createDirectories(base.resolve("tmp"));
        Files.createDirectories(base.resolve("plain"));
        Files.writeString(base.resolve("plain/keep"), "keep\n");
        Files.writeString(data.resolve("file"), "data\n");
        Files.createDirectories(data.resolve("sub/deeper"));
        Files.writeString(data.resolve("sub/deeper/leaf.txt"), "leaf\n");
        Files.createSymbolicLink(data.resolve("link"), Path.of("file"));
        Files.createSymbolicLink(data.resolve("sub/up"), Path.of("../file"));
        Files.createSymbolicLink(data.resolve("dirlink"), Path.of("sub"));
        // Same timestamps on both sides, symlinks included (ls -l prints them).
        List<String> touch = new ArrayList<>(List.of("touch", "-h", "-d", "@1700000000"));
        for (String p : List.of("file", "sub/deeper/leaf.txt", "sub/deeper", "link", "dirlink", "sub/up", "sub", ".")) {
            touch.add(data.resolve(p).toString());
        }
        touch.add(base.toString());
        assertEquals(0, Runner.runNative(touch, base, Runner.baseEnvironment(), new byte[0]).exitStatus());
        return new Layout(base, data);
    }

    private static boolean nativeMountsWork() {
        RunResult r = Runner.runNative(List.of("unshare", "-m", "sh", "-c", "mount -t tmpfs tmpfs /mnt"), Path.of("/"),
                Runner.baseEnvironment(), new byte[0]);
        return r.exitStatus() == 0;
    }

    private static RunResult runNative(Layout l, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("unshare", "-m", "sh", "-c",
                "mount --bind -o ro \"$1\" \"$2\" && mount -t tmpfs tmpfs \"$3\" && shift 3 && exec \"$@\"", "sh",
                l.data().toString(), l.ro().toString(), l.tmp().toString()));
        cmd.addAll(command);
        return Runner.runNative(cmd, l.base(), Runner.baseEnvironment(), new byte[0]);
    }

    private static RunResult runLxrun(Layout l, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("--mount", l.data() + ":" + l.ro() + ":ro", "--tmpfs", l.tmp().toString()));
        cmd.addAll(command);
        return Runner.runLxrun(cmd, l.base(), Runner.baseEnvironment(), new byte[0]);
    }

    private void assertSameAsLinux(java.util.function.Function<Layout, List<String>> command) throws IOException {
        Assumptions.assumeTrue(nativeMountsWork(), "no mount namespaces here (unshare -m needs CAP_SYS_ADMIN)");
        Layout n = layout("native"), x = layout("lxrun");
        RunResult expected = runNative(n, command.apply(n));
        RunResult actual = runLxrun(x, command.apply(x));
        String nb = n.base().getParent().toString(), xb = x.base().getParent().toString();
        assertEquals(expected.out().replace(nb, xb), actual.out(), "stdout\n" + actual.err());
        assertEquals(expected.err().replace(nb, xb), actual.err(), "stderr");
        assertEquals(expected.exitStatus(), actual.exitStatus(), "exit status");
    }

    @TestFactory
    Stream<DynamicTest> syscallsBehaveAsUnderLinuxMounts() {
        return CPrograms.VARIANTS.stream().map(v -> dynamicTest(v, () -> assertSameAsLinux(l ->
                CPrograms.command(v, "mounts", l.ro().toString(), l.tmp().toString(), l.plain().toString(), l.base().toString()))));
    }

    static final String SCRIPT = """
            ls -la --time-style=full-iso ro ro/sub | sed 's/^\\(.\\{10\\}\\) *[0-9]* /\\1 N /'
            find ro tmp | sort
            cat ro/link ro/sub/up ro/sub/deeper/leaf.txt ro/dirlink/deeper/leaf.txt
            ls ro/dirlink ro/dirlink/ && cd ro/dirlink && pwd && pwd -P && cd "$BASE"
            cd ro/sub/deeper && pwd && cd ../../.. && pwd && ls && cd "$OLDPWD"
            cd "$BASE"
            echo new > ro/new; touch ro/file; rm -f ro/file; mkdir ro/d; ln -s x ro/s
            echo one > tmp/one && mkdir -p tmp/a/b && mv tmp/one tmp/a/b/ && cat tmp/a/b/one
            cp -r ro/sub tmp/copy && find tmp | sort
            mv tmp/a plain/a; ls plain plain/a/b; mv plain/keep tmp/keep; ls tmp
            stat -c '%a %F %n' tmp ro ro/file ro/link ro/sub
            stat -f -c '%T' tmp
            tar -C ro -cf - file sub | tar -C tmp -xvf - | sort
            grep -c . /proc/self/mounts > /dev/null && grep -E " $BASE/(ro|tmp) " /proc/self/mounts | cut -d' ' -f2,3,4 | cut -d, -f1
            """;

    @TestFactory
    Stream<DynamicTest> toolsBehaveAsUnderLinuxMounts() {
        return Stream.of("/bin/dash", "/bin/bash").map(sh -> dynamicTest(sh, () -> assertSameAsLinux(l ->
                List.of("/usr/bin/env", "BASE=" + l.base(), sh, "-c", "cd \"$BASE\" && " + SCRIPT.replace("\n", "\n")))));
    }

    @Test
    void tmpfsIsEmptyAtStartAndGoneAfterwards() throws IOException {
        Layout l = layout("gone");
        Files.writeString(l.tmp().resolve("underneath"), "hidden by the mount\n");
        RunResult r = runLxrun(l, List.of("/bin/sh", "-c", "ls -A tmp; echo made > tmp/made; ls tmp; cat tmp/made"));
        assertEquals("made\nmade\n", r.out(), r.toString());
        try (Stream<Path> left = Files.list(l.tmp())) {
            assertEquals(List.of("underneath"), left.map(p -> p.getFileName().toString()).toList());
        }
        try (Stream<Path> shm = Files.list(Path.of("/dev/shm"))) {
            assertTrue(shm.noneMatch(p -> p.getFileName().toString().startsWith("lxrun-tmpfs-") && Files.exists(p.resolve("made"))),
                    "the tmpfs directory outlived lxrun");
        }
    }

    @Test
    void badMountsAreOneLineErrors() throws IOException {
        Layout l = layout("bad");
        record Case(List<String> args, String message) {}
        List<Case> cases = List.of(
                new Case(List.of("--mount", l.base() + "/nope:/mnt"), "lxrun: --mount " + l.base() + "/nope:/mnt: "
                        + l.base() + "/nope is not a directory\n"),
                new Case(List.of("--mount", l.data() + ":" + l.base() + "/missing"), "lxrun: --mount mount point "
                        + l.base() + "/missing: No such file or directory\n"),
                new Case(List.of("--mount", l.data() + ":" + l.plain() + "/keep"), "lxrun: --mount mount point "
                        + l.plain() + "/keep: Not a directory\n"),
                new Case(List.of("--mount", l.data().toString()), "lxrun: " + l.data() + ": expected HOSTDIR:GUESTDIR[:ro]\n"),
                new Case(List.of("--mount", l.data() + ":rel"), "lxrun: " + l.data() + ":rel: the guest directory must be an absolute path\n"),
                new Case(List.of("--tmpfs", "/tmp:rox"), "lxrun: /tmp:rox: unknown mount option 'rox' (ro or rw)\n"));
        for (Case c : cases) {
            List<String> cmd = new ArrayList<>(c.args());
            cmd.add("/bin/true");
            RunResult r = Runner.runLxrun(cmd, l.base(), Runner.baseEnvironment(), new byte[0]);
            assertEquals(c.message(), r.err(), c.args().toString());
            assertEquals(2, r.exitStatus(), c.args().toString());
        }
    }
}
