package dev.lxrun.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Debian root made by mmdebstrap (minbase bookworm from this machine's own apt mirror;
 * built once per machine and cached under ~/.cache/lxrun/distro/) imported with lxrun import and
 * used with lxrun -d: its programs give what they give under chroot(8) natively, and an export
 * re-imported is the same archive, owners, modes and device nodes included.
 */
class DebianDistroTest {
    @TempDir static Path tmp;
    static Path tarball;
    static Map<String, String> env;
    static Path root;
    /** The same tarball unpacked by tar itself, for chroot(8): native programs would write into lxrun's stand-in device files. */
    static Path nativeRoot;

    @BeforeAll
    static void importDebian() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "chroot(8) and mmdebstrap's root mode need root");
        // Searchable by the distro's other users: lxrun makes host calls with the guest user's ids.
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        tarball = debianTarball();
        env = Runner.baseEnvironment();
        env.put("XDG_DATA_HOME", tmp.resolve("data").toString());
        RunResult r = lxrun("import", "deb", tarball.toString());
        assertEquals(0, r.exitStatus(), r.toString());
        assertEquals("", r.err(), "no progress bar or warning when stderr is not a terminal");
        root = tmp.resolve("data/lxrun/distros/deb");
        assertTrue(Files.isRegularFile(root.resolve("usr/bin/dpkg")));
        nativeRoot = Files.createDirectories(tmp.resolve("native"));
        RunResult x = Runner.runNative(List.of("tar", "--numeric-owner", "-xpf", tarball.toString(), "-C", nativeRoot.toString()), tmp, env, new byte[0]);
        assertEquals(0, x.exitStatus(), x.toString());
    }

    static RunResult lxrun(String... args) {
        return Runner.runLxrun(List.of(args), tmp, env, new byte[0]);
    }

    /** The cached tarball, made with mmdebstrap when missing (root only: mmdebstrap's root mode). */
    static Path debianTarball() throws Exception {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "lxrun", "distro");
        Path tar = cache.resolve("bookworm-minbase.tar");
        if (Files.isRegularFile(tar)) return tar;
        if (Files.isDirectory(tar, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            // Left by an earlier build whose mmdebstrap wrote a directory tree instead of a tarball.
            assertEquals(0, new ProcessBuilder("rm", "-rf", tar.toString()).inheritIO().start().waitFor());
        }
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/mmdebstrap")), "needs mmdebstrap (run-tests installs it)");
        Files.createDirectories(cache);
        // mmdebstrap picks its output format from the name's suffix (a directory for an unknown one),
        // so the partial file still ends in .tar and the format is also said outright.
        Path part = cache.resolve("bookworm-minbase.part" + ProcessHandle.current().pid() + ".tar");
        List<String> cmd = new ArrayList<>(List.of("mmdebstrap", "--quiet", "--variant=minbase", "--format=tar", "bookworm", part.toString()));
        String mirror = aptMirror();
        if (mirror != null) cmd.add(mirror);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("mmdebstrap.log").toFile()).start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("mmdebstrap took over 15 minutes");
        }
        assertEquals(0, p.exitValue(), "mmdebstrap failed:\n" + Files.readString(tmp.resolve("mmdebstrap.log")));
        Files.move(part, tar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return tar;
    }

    /** The Debian mirror this machine's apt uses (deb822 URIs: or a one-line deb entry), or null for mmdebstrap's default. */
    static String aptMirror() throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isRegularFile(Path.of("/etc/apt/sources.list"))) files.add(Path.of("/etc/apt/sources.list"));
        Path d = Path.of("/etc/apt/sources.list.d");
        if (Files.isDirectory(d)) try (var s = Files.list(d)) { s.sorted().forEach(files::add); }
        for (Path f : files) {
            for (String line : Files.readAllLines(f)) {
                String l = line.strip();
                if (l.startsWith("URIs:") && !l.contains("security")) return l.substring(5).strip().split("\\s+")[0];
                if (l.startsWith("deb ") && !l.contains("security")) {
                    for (String w : l.split("\\s+")) if (w.contains("://")) return w;
                }
            }
        }
        return null;
    }

    static RunResult chroot(String... cmd) {
        List<String> c = new ArrayList<>(List.of("/usr/sbin/chroot", nativeRoot.toString()));
        c.addAll(List.of(cmd));
        return Runner.runNative(c, tmp, env, new byte[0]);
    }

    @Test
    void bashRunsAsTheDefaultUserInItsHome() {
        RunResult r = lxrun("-d", "deb", "bash", "-c", "echo $((6*7)); id; pwd; echo $HOME $USER; cat /etc/debian_version");
        String version = chroot("cat", "/etc/debian_version").out();
        assertEquals("42\nuid=0(root) gid=0(root) groups=0(root)\n/root\n/root root\n" + version, r.out(), r.toString());
        assertEquals(0, r.exitStatus());
    }

    @Test
    void dpkgAndAptGiveWhatTheyGiveUnderChroot() {
        RunResult nativeList = chroot("dpkg", "-l");
        RunResult list = lxrun("-d", "deb", "dpkg", "-l");
        assertEquals(0, list.exitStatus(), list.toString());
        assertTrue(list.out().contains("ii  apt "), list.out());
        assertArrayEquals(nativeList.stdout(), list.stdout());
        RunResult nativeApt = chroot("apt-get", "--version");
        RunResult apt = lxrun("-d", "deb", "apt-get", "--version");
        assertEquals(nativeApt.out(), apt.out(), apt.toString());
        RunResult nativeOwners = chroot("stat", "-c", "%U:%G %a %n", "/etc/shadow", "/usr/bin/passwd", "/var/mail", "/var/log/apt");
        RunResult owners = lxrun("-d", "deb", "stat", "-c", "%U:%G %a %n", "/etc/shadow", "/usr/bin/passwd", "/var/mail", "/var/log/apt");
        assertEquals(nativeOwners.out(), owners.out(), owners.toString());
    }

    @Test
    void devOffersTheDevicesPrograms() {
        RunResult r = lxrun("-d", "deb", "ls", "-l", "/dev");
        assertEquals(0, r.exitStatus(), r.toString());
        for (String dev : List.of("null", "zero", "urandom", "tty", "full")) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("crw-rw-rw-") && l.endsWith(" " + dev)), dev + " in\n" + r.out());
        }
        RunResult io = lxrun("-d", "deb", "bash", "-c", "head -c 5 /dev/zero | od -An -tx1; echo gone > /dev/null; echo ok");
        assertEquals(" 00 00 00 00 00\nok\n", io.out(), io.toString());
    }

    @Test
    void anotherDefaultUserAndAHostCwdInsideTheDistro() throws IOException {
        RunResult cfg = lxrun("config", "deb", "--user", "nobody");
        assertEquals(0, cfg.exitStatus(), cfg.toString());
        try {
            RunResult r = lxrun("-d", "deb", "bash", "-c", "id -un; pwd");
            assertEquals("nobody\n/\n", r.out(), r.toString()); // nobody's home, /nonexistent, is not there
            RunResult inside = Runner.runLxrun(List.of("-d", "deb", "bash", "-c", "pwd"), root.resolve("usr/share"), env, new byte[0]);
            assertEquals("/usr/share\n", inside.out(), inside.toString());
        } finally {
            assertEquals(0, lxrun("config", "deb", "--user", "root").exitStatus());
        }
        RunResult list = lxrun("list");
        assertTrue(list.out().contains("* deb   root      " + root), list.out());
    }

    @Test
    void anExportReimportedIsTheSameArchive() throws IOException {
        Path out = tmp.resolve("export.tar");
        RunResult ex = lxrun("export", "deb", out.toString());
        assertEquals(0, ex.exitStatus(), ex.toString());
        // Every member with its type, mode, numeric owner, size or device, time and link, as tar lists it.
        assertEquals(listing(tarball), listing(out));
        RunResult again = lxrun("import", "deb-again", out.toString());
        assertEquals(0, again.exitStatus(), again.toString());
        Path out2 = tmp.resolve("export2.tar.gz");
        assertEquals(0, lxrun("export", "deb-again", out2.toString()).exitStatus());
        RunResult gz = Runner.runNative(List.of("gzip", "-dc", out2.toString()), tmp, env, new byte[0]);
        assertArrayEquals(Files.readAllBytes(out), gz.stdout(), "export, import, export: the same bytes");
        assertEquals(0, lxrun("unregister", "deb-again").exitStatus());
        assertTrue(!Files.exists(tmp.resolve("data/lxrun/distros/deb-again")));
    }

    static List<String> listing(Path tar) {
        RunResult r = Runner.runNative(List.of("tar", "--numeric-owner", "--full-time", "-tvf", tar.toString()), tmp, env, new byte[0]);
        assertEquals(0, r.exitStatus(), r.err());
        // Order differs (mmdebstrap puts ./dev first); names are unique.
        return r.out().lines().map(l -> l.replaceAll(" +", " ")).sorted((a, b) -> name(a).compareTo(name(b))).toList();
    }

    private static String name(String line) {
        String[] f = line.split(" ", 6);
        return f.length == 6 ? f[5] : line;
    }

    @Test
    void badInputIsOneLine() throws IOException {
        RunResult taken = lxrun("import", "deb", tarball.toString());
        assertEquals(1, taken.exitStatus());
        assertEquals("lxrun import: a distro named deb is already registered (lxrun unregister deb first)\n", taken.err());
        byte[] head = new byte[1 << 20];
        try (var in = Files.newInputStream(tarball)) {
            head = in.readNBytes(head.length);
        }
        Path cut = Files.write(tmp.resolve("cut.tar"), head);
        RunResult truncated = lxrun("import", "cut", cut.toString());
        assertEquals(1, truncated.exitStatus(), truncated.toString());
        assertTrue(truncated.err().startsWith("lxrun import: ") && truncated.err().contains("truncated")
                && truncated.err().indexOf('\n') == truncated.err().length() - 1, truncated.err());
        assertTrue(!Files.exists(tmp.resolve("data/lxrun/distros/cut")), "no half distro");
        assertTrue(!lxrun("list").out().contains("cut"));
        RunResult missing = lxrun("-d", "nosuch", "true");
        assertEquals("lxrun: no distro named nosuch (see lxrun list)\n", missing.err());
        assertEquals(2, missing.exitStatus());
    }
}
