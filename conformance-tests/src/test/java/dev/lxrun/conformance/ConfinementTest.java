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
    }

    private static RunResult guest(String script) {
        return Runner.runLxrun(List.of("--root", root.toString(), "/bin/busybox", "sh", "-c", script), root,
                Runner.baseEnvironment(), new byte[0]);
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
        for (String a : attempts()) {
            tests.add(dynamicTest((++i) + ": " + a, () -> {
                RunResult r = guest(a);
                assertFalse(r.out().contains(SECRET) || r.err().contains(SECRET), "canary leaked:\n" + r);
                assertFalse(r.out().contains("FOUND-OUTSIDE"), "outside file visible:\n" + r);
                assertFalse(r.err().contains("Exception"), r.err());
            }));
        }
        return tests.stream();
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
