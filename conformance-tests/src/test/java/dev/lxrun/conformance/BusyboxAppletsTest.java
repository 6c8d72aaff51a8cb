package dev.lxrun.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Debian's static busybox applets under lxrun give the bytes they give natively. */
class BusyboxAppletsTest {
    static final String BUSYBOX = "/bin/busybox";

    @TempDir
    static Path data;

    @BeforeAll
    static void fixture() throws IOException {
        if (!Files.isExecutable(Path.of(BUSYBOX))) {
            throw new AssertionError(BUSYBOX + " is missing: apt-get install busybox-static");
        }
        StringBuilder text = new StringBuilder();
        Random r = new Random(42);
        String[] words = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "root", "lxrun"};
        for (int i = 0; i < 500; i++) {
            text.append(i).append(' ').append(words[r.nextInt(words.length)]).append(',')
                .append(words[r.nextInt(words.length)]).append(' ').append(r.nextInt(100000)).append('\n');
        }
        Files.writeString(data.resolve("a.txt"), text);
        Files.writeString(data.resolve("b.txt"), "second file\nwith two lines\n");
        StringBuilder nums = new StringBuilder();
        for (int i = 0; i < 300; i++) nums.append(r.nextInt(1000) - 500).append('\n');
        Files.writeString(data.resolve("nums.txt"), nums);
        byte[] big = new byte[3 << 20];
        r.nextBytes(big);
        Files.write(data.resolve("big.bin"), big);
        Path sub = Files.createDirectories(data.resolve("tree/sub/deeper"));
        Files.writeString(sub.resolve("c.txt"), "deep file\n");
        Files.writeString(data.resolve("tree/sub/d.txt"), "another\n");
        Files.writeString(data.resolve("tree/e.log"), "log line\n");
        for (Path p : List.of(sub.resolve("c.txt"), data.resolve("tree/sub/d.txt"), data.resolve("tree/e.log"), sub,
                data.resolve("tree/sub"), data.resolve("tree"))) {
            Files.setLastModifiedTime(p, FileTime.fromMillis(1700000000000L));
        }
    }

    static final List<List<String>> COMMANDS = List.of(
            List.of("echo", "hello", "world"),
            List.of("echo", "-n", "no newline"),
            List.of("echo", "-e", "tab\\there\\nnewline"),
            List.of("cat", "a.txt", "b.txt"),
            List.of("cat", "missing.txt"),
            List.of("ls", "-la", "tree"),
            List.of("ls", "-laR", "tree"),
            List.of("ls", "-l", "a.txt", "nums.txt", "big.bin"),
            List.of("sha256sum", "a.txt", "big.bin"),
            List.of("md5sum", "a.txt", "big.bin"),
            List.of("wc", "a.txt", "b.txt", "big.bin"),
            List.of("wc", "-l", "a.txt"),
            List.of("sort", "a.txt"),
            List.of("sort", "-n", "-r", "nums.txt"),
            List.of("sort", "-t", ",", "-k", "2", "a.txt"),
            List.of("head", "-n", "7", "a.txt"),
            List.of("tail", "-n", "5", "a.txt"),
            List.of("tail", "-c", "40", "a.txt"),
            List.of("grep", "-n", "root", "a.txt"),
            List.of("grep", "-c", "-v", "alpha", "a.txt"),
            List.of("grep", "-r", "file", "tree"),
            List.of("grep", "nomatch", "a.txt"),
            List.of("sed", "-e", "s/alpha/ALPHA/g", "-e", "/beta/d", "a.txt"),
            List.of("sed", "-n", "10,20p", "a.txt"),
            List.of("awk", "{ s += $NF } END { print s, NR }", "a.txt"),
            List.of("awk", "-F,", "{ n[$2]++ } END { for (k in n) c++; print c }", "a.txt"),
            List.of("awk", "BEGIN { printf \"%.3f %d\\n\", atan2(1, 1) * 4, 2^20 }"),
            List.of("find", "tree"),
            List.of("find", "tree", "-name", "*.txt", "-type", "f"),
            List.of("expr", "6", "*", "7"),
            List.of("expr", "length", "hello"),
            List.of("expr", "1", "/", "0"),
            List.of("seq", "1", "10"),
            List.of("seq", "5", "-1", "1"),
            List.of("tar", "tvf", "-"),
            List.of("gzip", "-c", "a.txt"),
            List.of("gzip", "-9", "-c", "big.bin"),
            List.of("tar", "cf", "-", "tree"),
            List.of("od", "-A", "x", "-t", "x1z", "-N", "64", "big.bin"),
            List.of("cut", "-d", ",", "-f", "2", "b.txt", "a.txt"),
            List.of("uniq", "-c", "b.txt"),
            List.of("tr", "a-z", "A-Z"),
            List.of("basename", "/usr/lib/x.so", ".so"),
            List.of("printf", "%s-%05d-%x\\n", "str", "42", "255"));

    @TestFactory
    Stream<DynamicTest> appletsMatchNative() {
        List<DynamicTest> tests = new ArrayList<>();
        for (List<String> c : COMMANDS) {
            tests.add(dynamicTest(String.join(" ", c), () -> {
                List<String> cmd = new ArrayList<>();
                cmd.add(BUSYBOX);
                cmd.addAll(c);
                byte[] stdin = c.getFirst().equals("tar") && c.contains("-")  && c.get(1).equals("tvf")
                        ? Runner.runNative(List.of(BUSYBOX, "tar", "cf", "-", "tree"), data, env(), new byte[0]).stdout()
                        : Differential.bytes("some stdin text\nfor tr\n");
                Differential.assertSame(cmd, data, data, env(), stdin);
            }));
        }
        return tests.stream();
    }

    /** gzip under lxrun, gunzip natively, and the other way round: the data survives both. */
    @Test
    void gzipRoundTrip() throws IOException {
        Path big = data.resolve("big.bin");
        RunResult zipped = Runner.runLxrun(List.of(BUSYBOX, "gzip", "-c", big.toString()), data, env(), new byte[0]);
        assertEquals(0, zipped.exitStatus(), zipped.err());
        RunResult unzipped = Runner.runNative(List.of(BUSYBOX, "gunzip", "-c"), data, env(), zipped.stdout());
        assertArrayEquals(Files.readAllBytes(big), unzipped.stdout());
        RunResult nativeZip = Runner.runNative(List.of(BUSYBOX, "gzip", "-c", big.toString()), data, env(), new byte[0]);
        RunResult lxUnzip = Runner.runLxrun(List.of(BUSYBOX, "gunzip", "-c"), data, env(), nativeZip.stdout());
        assertEquals(0, lxUnzip.exitStatus(), lxUnzip.err());
        assertArrayEquals(Files.readAllBytes(big), lxUnzip.stdout());
    }

    /** tar writing files: the archive lxrun writes equals the one written natively, byte for byte. */
    @Test
    void tarWritesIdenticalArchive() throws IOException {
        Path n = data.resolve("native.tar"), l = data.resolve("lxrun.tar");
        RunResult a = Runner.runNative(List.of(BUSYBOX, "tar", "cf", n.toString(), "tree"), data, env(), new byte[0]);
        RunResult b = Runner.runLxrun(List.of(BUSYBOX, "tar", "cf", l.toString(), "tree"), data, env(), new byte[0]);
        assertEquals(a.exitStatus(), b.exitStatus(), b.err());
        assertArrayEquals(Files.readAllBytes(n), Files.readAllBytes(l));
        Path out = Files.createDirectories(data.resolve("extract-lx"));
        RunResult x = Runner.runLxrun(List.of(BUSYBOX, "tar", "xf", l.toString()), out, env(), new byte[0]);
        assertEquals(0, x.exitStatus(), x.err());
        assertEquals("deep file\n", Files.readString(out.resolve("tree/sub/deeper/c.txt")));
        Files.delete(n);
        Files.delete(l);
    }

    private static Map<String, String> env() {
        return Runner.baseEnvironment();
    }
}
