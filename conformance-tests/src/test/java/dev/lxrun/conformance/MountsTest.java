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

    /** Path errors (ELOOP, ENAMETOOLONG, EACCES as another uid…) inside a tmpfs, where lxrun walks every path itself. */
    @TestFactory
    Stream<DynamicTest> pathErrorsInsideATmpfs() {
        return CPrograms.VARIANTS.stream().map(v -> dynamicTest(v, () -> assertSameAsLinux(l ->
                CPrograms.command(v, "path_errors", l.tmp().toString()))));
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

    static final String METADATA_SCRIPT = """
            touch f; mkdir d; chown 1234:5678 f; chown 42 d; chgrp 99 d
            mknod null c 1 3; mknod blk b 8 1; mknod nodriver c 240 0; mkfifo fifo; chown 77:77 fifo
            ls -ln --time-style=+ | sed 's/  */ /g'
            stat -c '%n %u %g %F %t %T %a' f d null blk nodriver fifo
            echo hi > null; cat null; cat nodriver
            find . -type c | sort; find . -type b
            python3 -c 'import os; print(sorted(os.listxattr("f")), os.stat("blk").st_rdev, os.major(os.stat("null").st_rdev))'
            chown 1234 null; chmod 600 null; stat -c '%u %a %F' null
            cp -a f g; stat -c '%u %g' g
            tar --numeric-owner -cf - . | tar --numeric-owner -tvf - | awk '{print $1, $2, $NF}' | sort -k3
            """;

    /**
     * The metadata mount option: owners a guest chown sets and device nodes it makes are what
     * Linux (as root) shows for real ones, while the host files keep the host's owner and are
     * plain files, with the Linux view in an extended attribute.
     */
    @Test
    void metadataMountShowsWhatLinuxWould() throws IOException {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "the native side needs root for chown and mknod");
        Path nat = Files.createDirectories(scratch.resolve("meta-native"));
        Path host = Files.createDirectories(scratch.resolve("meta-host"));
        Path point = Files.createDirectories(scratch.resolve("meta-point"));
        List<String> cmd = List.of("/bin/bash", "-c", METADATA_SCRIPT);
        RunResult expected = Runner.runNative(cmd, nat, Runner.baseEnvironment(), new byte[0]);
        List<String> lx = new ArrayList<>(List.of("--mount", host + ":" + point + ":metadata"));
        lx.addAll(cmd);
        RunResult actual = Runner.runLxrun(lx, point, Runner.baseEnvironment(), new byte[0]);
        assertEquals(expected.out(), actual.out(), "stdout\n" + actual.err());
        assertEquals(expected.err().replace(nat.toString(), point.toString()), actual.err(), "stderr");
        assertEquals(expected.exitStatus(), actual.exitStatus());
        RunResult onHost = Runner.runNative(List.of("stat", "-c", "%n %u %F", "f", "null", "blk"), host, Runner.baseEnvironment(),
                new byte[0]);
        assertEquals("f 0 regular empty file\nnull 0 regular empty file\nblk 0 regular empty file\n", onHost.out());
        assertEquals("uid=1234 gid=5678", new String(Files.readAllBytes(host.resolve("f")).length == 0
                ? (byte[]) Files.getAttribute(host.resolve("f"), "user:lxrun.meta") : new byte[0], java.nio.charset.StandardCharsets.US_ASCII));
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
                new Case(List.of("--mount", l.data().toString()), "lxrun: " + l.data() + ": expected HOSTDIR:GUESTDIR[:OPTIONS]\n"),
                new Case(List.of("--mount", l.data() + ":rel"), "lxrun: " + l.data() + ":rel: the guest directory must be an absolute path\n"),
                new Case(List.of("--tmpfs", "/tmp:rox"), "lxrun: /tmp:rox: unknown mount option 'rox' (ro, rw or metadata)\n"));
        for (Case c : cases) {
            List<String> cmd = new ArrayList<>(c.args());
            cmd.add("/bin/true");
            RunResult r = Runner.runLxrun(cmd, l.base(), Runner.baseEnvironment(), new byte[0]);
            assertEquals(c.message(), r.err(), c.args().toString());
            assertEquals(2, r.exitStatus(), c.args().toString());
        }
    }
}
