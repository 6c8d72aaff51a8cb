package dev.lxrun.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * --root DIR: a guest inside DIR must not read a canary file next to DIR however it spells the
 * path (.., absolute and relative symlinks, loops, /proc links, dirfds, links and renames), while
 * paths inside the root, absolute symlinks included, keep working.
 */
class ConfinementTest {
    static final String SECRET = "SECRET-CANARY-7f3a";

    @TempDir
    static Path base;
    static Path root;
    static Path canary;

    @BeforeAll
    static void buildRoot() throws IOException {
        root = Files.createDirectories(base.resolve("root"));
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("etc"));
        Files.createDirectories(root.resolve("tmp"));
        Files.createDirectories(root.resolve("deep/a/b/c"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        Files.setPosixFilePermissions(bin.resolve("busybox"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(bin.resolve("sh"), Path.of("busybox"));
        Files.writeString(root.resolve("etc/hello"), "inside the root\n");
        canary = base.resolve("canary");
        Files.writeString(canary, SECRET + "\n");
        Files.createSymbolicLink(root.resolve("abs-link"), canary);
        Files.createSymbolicLink(root.resolve("rel-link"), Path.of("../canary"));
        Files.createSymbolicLink(root.resolve("deep/a/b/c/up"), Path.of("../../../../../canary"));
        Files.createSymbolicLink(root.resolve("base-link"), base);
        // A host directory next to the canary, mounted at /mnt: its ".." on the host is base.
        Files.createDirectories(root.resolve("mnt"));
        share = Files.createDirectories(base.resolve("share"));
        Files.createDirectories(share.resolve("sub"));
        Files.writeString(share.resolve("shared.txt"), "shared\n");
        Files.createSymbolicLink(share.resolve("up"), Path.of("../canary"));
        Files.createSymbolicLink(share.resolve("abs"), canary);
        Files.createSymbolicLink(share.resolve("sub/deep"), Path.of("../../canary"));
        Files.createSymbolicLink(share.resolve("dir-up"), Path.of(".."));
    }

    static Path share;

    /** The guest's namespace: the root alone, or with a bind mount and a tmpfs (resolved by lxrun's own walk). */
    enum Namespace { ROOT_ONLY, WITH_MOUNTS }

    private static RunResult guest(String script) {
        return guest(Namespace.ROOT_ONLY, script);
    }

    private static RunResult guest(Namespace ns, String script) {
        List<String> cmd = new ArrayList<>(List.of("--root", root.toString()));
        if (ns == Namespace.WITH_MOUNTS) cmd.addAll(List.of("--mount", share + ":/mnt", "--tmpfs", "/tmp"));
        cmd.addAll(List.of("/bin/busybox", "sh", "-c", script));
        return Runner.runLxrun(cmd, root, Runner.baseEnvironment(), new byte[0]);
    }

    /** Escapes that go through a mount: its root's "..", links in it that are relative on the host. */
    static List<String> mountAttempts() {
        String ups = "../".repeat(base.toString().split("/").length + 3);
        return List.of(
                "cat /mnt/up",
                "cat /mnt/abs",
                "cat /mnt/sub/deep",
                "cat /mnt/../canary",
                "cat /mnt/dir-up/canary",
                "cd /mnt && cat ../canary",
                "cd /mnt/sub && cd ../.. && cat canary",
                "cd /mnt/dir-up && busybox ls && cat canary",
                "cat /mnt/" + ups + "canary",
                "cat /tmp/../canary",
                "busybox ln -s ../canary /tmp/x && cat /tmp/x",
                "busybox ln -s /mnt/up /tmp/y && cat /tmp/y",
                "cd /mnt && cat /proc/self/cwd/../canary",
                "busybox find /mnt /tmp -follow -name canary -exec cat {} \\;",
                "busybox ln /mnt/up /tmp/hard; cat /tmp/hard",
                "busybox mv /mnt/up /tmp/up; cat /tmp/up",
                "busybox cp -a /mnt/. /tmp/copy && cat /tmp/copy/up /tmp/copy/sub/deep");
    }

    static List<String> attempts() {
        String host = canary.toString();
        String hostDir = base.toString();
        String[] names = hostDir.substring(1).split("/");
        String ups = "../".repeat(names.length + 3);
        return List.of(
                "cat /../canary",
                "cat ../../../../canary",
                "cat " + ups + "canary",
                "cat " + host,
                "cat /" + ups + host.substring(1),
                "cat /abs-link",
                "cat /rel-link",
                "cat /deep/a/b/c/up",
                "cat /base-link/canary",
                "cat /proc/self/root/../canary",
                "cat /proc/self/root" + host,
                "cat /proc/self/cwd/../canary",
                "cat /proc/$$/root/../canary",
                "cd / && cd .. && cd .. && cat canary",
                "cd /deep/a/b/c && cd ../../../../.. && cat canary",
                "cat //../canary /./../canary /bin/../../canary /etc/../../canary",
                "cat /dev/../../canary /proc/../../canary",
                "busybox ln -s " + host + " /tmp/l1 && cat /tmp/l1",
                "busybox ln -s " + ups + host.substring(1) + " /tmp/l2 && cat /tmp/l2",
                "busybox ln -s /proc/self/root/.. /tmp/l3 && cat /tmp/l3/canary",
                "busybox ln -s l4 /tmp/l4 ; cat /tmp/l4",
                "busybox ln -s /tmp/l5b /tmp/l5a ; busybox ln -s /tmp/l5a /tmp/l5b ; cat /tmp/l5a",
                "busybox ln " + host + " /tmp/hard && cat /tmp/hard",
                "busybox ln /abs-link /tmp/hard2 && cat /tmp/hard2",
                "busybox mv " + host + " /tmp/moved && cat /tmp/moved",
                "busybox cp " + host + " /tmp/copied && cat /tmp/copied",
                "busybox cp /abs-link /tmp/copied2 && cat /tmp/copied2",
                "busybox find / -name canary -exec cat {} \\;",
                "busybox grep -r CANARY / 2>/dev/null",
                "busybox tar -C / -chf - abs-link rel-link 2>/dev/null | busybox tar -xOf -",
                "exec cat /../canary",
                "cat < /abs-link",
                "busybox head /rel-link /deep/a/b/c/up",
                "busybox stat -c %s " + host + " && echo FOUND-" + "OUTSIDE",
                "busybox ls -la /.. /../.. && busybox ls " + hostDir);
    }

    @TestFactory
    Stream<DynamicTest> escapeAttemptsFail() {
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        List<String> withMounts = new ArrayList<>(attempts());
        withMounts.addAll(mountAttempts());
        for (Namespace ns : Namespace.values()) {
            for (String a : ns == Namespace.ROOT_ONLY ? attempts() : withMounts) {
                tests.add(escapeAttempt(ns, (++i) + " " + ns + ": " + a, a));
            }
        }
        return tests.stream();
    }

    private static DynamicTest escapeAttempt(Namespace ns, String label, String a) {
        return dynamicTest(label, () -> {
                RunResult r = guest(ns, a);
                assertFalse(r.out().contains(SECRET) || r.err().contains(SECRET), "canary leaked:\n" + r);
                assertFalse(r.out().contains("FOUND-OUTSIDE"), "outside file visible:\n" + r);
                assertFalse(r.err().contains("Exception"), r.err());
        });
    }

    @Test
    void pathsInsideMountsWork() {
        RunResult r = guest(Namespace.WITH_MOUNTS, "cat /mnt/shared.txt; cd /mnt/sub && cat ../shared.txt && cd .. && pwd;"
                + " cd .. && pwd && cat etc/hello; busybox ls /mnt/dir-up | busybox grep -c . ; echo t > /tmp/t && cat /tmp/t;"
                + " busybox ls -a /tmp; busybox readlink /proc/self/cwd");
        assertEquals("shared\nshared\n/mnt\n/\ninside the root\n" + count(root) + "\nt\n.\n..\nt\n/\n", r.out(), r.toString());
    }

    private static long count(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void atLeastThirtyAttempts() {
        assertEquals(true, attempts().size() >= 30);
    }

    @Test
    void pathsInsideTheRootWork() {
        RunResult r = guest("cat /etc/hello; cd /deep/a && cat ../../etc/hello; busybox mkdir -p /work && cd /work &&"
                + " busybox ln -s /etc/hello ok && cat ok && cat /work/ok; busybox readlink /abs-link; pwd;"
                + " echo made > new && busybox ls; busybox readlink /proc/self/root; busybox readlink /proc/self/cwd");
        assertEquals("inside the root\ninside the root\ninside the root\ninside the root\n" + canary + "\n/work\nnew\nok\n/\n/work\n",
                r.out(), r.toString());
        assertEquals(0, r.exitStatus(), r.toString());
    }

    /**
     * Path errors under --root with no mounts, where lxrun opens through the host's openat2
     * (RESOLVE_IN_ROOT), which refuses flags open(2) ignores (O_PATH with O_NOCTTY was EINVAL).
     */
    @Test
    void pathErrorsUnderARootAloneAreLinuxs() throws IOException {
        Path r = Files.createDirectories(base.resolve("errroot"));
        Files.createDirectories(r.resolve("work"));
        Files.copy(CPrograms.binary("glibc", "path_errors"), r.resolve("path_errors"));
        Files.setPosixFilePermissions(r.resolve("path_errors"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path nativeDir = Files.createDirectories(base.resolve("errnative"));
        RunResult expected = Runner.runNative(List.of(CPrograms.binary("glibc", "path_errors").toString(), nativeDir.toString()),
                base, Runner.baseEnvironment(), new byte[0]);
        RunResult actual = Runner.runLxrun(List.of("--root", r.toString(), "/path_errors", "/work"), base,
                Runner.baseEnvironment(), new byte[0]);
        assertEquals(expected.out(), actual.out(), actual.toString());
        assertEquals(expected.exitStatus(), actual.exitStatus(), actual.toString());
    }

    /** A dynamically linked program inside the root loads its interpreter and libraries from the root. */
    @Test
    void dynamicProgramRunsFromTheRoot() throws Exception {
        Path r = Files.createDirectories(base.resolve("dynroot"));
        Path ls = Path.of("/usr/bin/ls");
        copyInto(r, ls);
        RunResult ldd = Runner.runNative(List.of("/usr/bin/ldd", ls.toString()), base, Runner.baseEnvironment(), new byte[0]);
        for (String word : ldd.out().split("\\s+")) {
            if (word.startsWith("/")) copyInto(r, Path.of(word));
        }
        Files.createDirectories(r.resolve("data/sub"));
        Files.writeString(r.resolve("data/file.txt"), "x");
        RunResult out = Runner.runLxrun(List.of("--root", r.toString(), "/usr/bin/ls", "-1", "/data", "/"), r,
                Runner.baseEnvironment(), new byte[0]);
        assertEquals(0, out.exitStatus(), out.toString());
        assertEquals(true, out.out().startsWith("/:\n") && out.out().contains("data\n") && out.out().contains("file.txt\nsub\n"),
                out.toString());
    }

    private static void copyInto(Path r, Path file) throws IOException {
        Path real = file.toRealPath();
        Path dest = r.resolve(file.toString().substring(1));
        Files.createDirectories(dest.getParent());
        if (!Files.exists(dest)) Files.copy(real, dest);
        Files.setPosixFilePermissions(dest, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void missingRootIsAClearError() {
        RunResult r = Runner.runLxrun(List.of("--root", base.resolve("nope").toString(), "/bin/true"), base,
                Runner.baseEnvironment(), new byte[0]);
        assertEquals(2, r.exitStatus());
        assertEquals("lxrun: " + base.resolve("nope") + ": root directory does not exist\n", r.err());
    }
}
