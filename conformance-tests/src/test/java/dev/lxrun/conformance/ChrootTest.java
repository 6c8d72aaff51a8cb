package dev.lxrun.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * chroot(2) through Debian's chroot(8): the guest's paths resolve inside the new root from then
 * on ("..", absolute and escaping symlinks, cwd), compared with the same command run natively.
 */
class ChrootTest {
    @TempDir
    static Path base;
    static Path root;

    static final String SCRIPT = "B=/bin/busybox; pwd; $B ls /; $B cat /etc/x /sub/abs; $B cat /sub/up; cd ..; $B ls;"
            + " $B cat /../../etc/hostname; cd /sub && $B pwd && cd .. && $B pwd; $B cat ../../etc/x;"
            + " $B ln -s /etc/x /made && $B cat /made; $B test -e /work && echo escaped; $B find / -name x; exit 3";

    @BeforeAll
    static void buildRoot() throws IOException {
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x")); // searchable by nobody
        root = Files.createDirectories(base.resolve("root"));
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("etc"));
        Files.createDirectories(root.resolve("sub"));
        Files.createDirectories(root.resolve("mnt"));
        Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
        Files.setPosixFilePermissions(root.resolve("bin/busybox"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(root.resolve("etc/x"), "inside\n");
        Files.createSymbolicLink(root.resolve("sub/abs"), Path.of("/etc/x"));
        Files.createSymbolicLink(root.resolve("sub/up"), Path.of("../../../../../../etc/hostname"));
    }

    @Test
    void chrootConfinesLikeLinux() throws IOException {
        Path nat = Files.createDirectories(base.resolve("native-copy"));
        copyTree(root, nat);
        List<String> cmd = List.of("/usr/sbin/chroot", "ROOT", "/bin/busybox", "sh", "-c", SCRIPT);
        RunResult expected = Runner.runNative(cmd.stream().map(s -> s.equals("ROOT") ? nat.toString() : s).toList(), base,
                Runner.baseEnvironment(), new byte[0]);
        RunResult actual = Runner.runLxrun(cmd.stream().map(s -> s.equals("ROOT") ? root.toString() : s).toList(), base,
                Runner.baseEnvironment(), new byte[0]);
        assertEquals(expected.out(), actual.out(), actual.err());
        assertEquals(expected.err(), actual.err());
        assertEquals(3, actual.exitStatus());
    }

    /** A mount below the new root stays visible at its place inside it; the directory outside does not. */
    @Test
    void mountsBelowTheNewRootFollowIt() throws IOException {
        Path share = Files.createDirectories(base.resolve("share"));
        Files.writeString(share.resolve("s.txt"), "shared\n");
        RunResult r = Runner.runLxrun(List.of("--mount", share + ":" + root.resolve("mnt"), "/usr/sbin/chroot", root.toString(),
                "/bin/busybox", "sh", "-c", "/bin/busybox cat /mnt/s.txt; cd /mnt && /bin/busybox ls .. | /bin/busybox grep -c ."),
                base, Runner.baseEnvironment(), new byte[0]);
        assertEquals("shared\n5\n", r.out(), r.toString());
    }

    @Test
    void unprivilegedChrootIsRefused() {
        String py = "import os\nos.setgroups([]); os.setgid(65534); os.setuid(65534)\n"
                + "try:\n    os.chroot('" + root + "')\nexcept OSError as e:\n    print('chroot:', e.errno)\n"
                + "try:\n    os.setuid(0)\nexcept OSError as e:\n    print('setuid back:', e.errno)\n";
        List<String> cmd = List.of("/usr/bin/python3", "-c", py);
        RunResult r = Runner.runLxrun(cmd, base, Runner.baseEnvironment(), new byte[0]);
        RunResult n = Runner.runNative(cmd, base, Runner.baseEnvironment(), new byte[0]);
        assertEquals("chroot: 1\nsetuid back: 1\n", n.out(), n.toString());
        assertEquals(n.exitStatus(), r.exitStatus(), r.toString());
        assertEquals(n.out(), r.out(), r.toString());
        assertEquals(n.err(), r.err());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        RunResult r = Runner.runNative(List.of("cp", "-a", from + "/.", to.toString()), base, Runner.baseEnvironment(), new byte[0]);
        assertEquals(0, r.exitStatus(), r.toString());
    }
}
