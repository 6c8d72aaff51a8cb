package dev.lxrun.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's dynamically linked programs from the host root, loaded through their PT_INTERP
 * (ld-linux-x86-64.so.2): the same output as natively, and for programs that change files,
 * the same resulting tree.
 */
class DynamicProgramsTest {
    @TempDir
    static Path data;

    @TempDir
    Path work;

    @BeforeAll
    static void fixture() throws IOException {
        Path tree = Files.createDirectories(data.resolve("tree/sub/deeper"));
        Files.writeString(tree.resolve("c.txt"), "deep file\n");
        Files.writeString(data.resolve("tree/sub/d.txt"), "another\nfile with\nthree lines\n");
        Files.writeString(data.resolve("tree/e.log"), "log line\n".repeat(100));
        Files.createSymbolicLink(data.resolve("tree/link"), Path.of("sub/d.txt"));
        Files.setPosixFilePermissions(data.resolve("tree/e.log"), PosixFilePermissions.fromString("rw-r-----"));
        StringBuilder words = new StringBuilder();
        for (int i = 0; i < 2000; i++) words.append("word").append(i * 7919 % 1000).append(i % 3 == 0 ? " root\n" : "\n");
        Files.writeString(data.resolve("words.txt"), words);
        Files.writeString(data.resolve("other.txt"), words.toString().replace("word5", "WORD5"));
        try (Stream<Path> s = Files.walk(data.resolve("tree"))) {
            for (Path p : s.toList()) {
                if (!Files.isSymbolicLink(p)) Files.setLastModifiedTime(p, FileTime.fromMillis(1700000000123L));
            }
        }
    }

    static final List<List<String>> READERS = List.of(
            List.of("/bin/ls", "-la", "--time-style=full-iso", "tree"),
            List.of("/bin/ls", "-laR", "--time-style=full-iso", "tree"),
            List.of("/bin/cat", "tree/sub/d.txt", "tree/link"),
            List.of("/usr/bin/stat", "-c", "%n %s %a %F %Y %h", "tree/e.log", "tree/sub", "tree/link"),
            List.of("/usr/bin/stat", "-L", "-c", "%n %s %F", "tree/link"),
            List.of("/usr/bin/find", "tree", "-name", "*.txt"),
            List.of("/usr/bin/find", "tree", "-type", "f", "-newer", "words.txt"),
            List.of("/bin/grep", "-c", "root", "words.txt"),
            List.of("/bin/grep", "-rn", "file", "tree"),
            List.of("/bin/sed", "-n", "s/word1\\(.*\\)/W\\1/p", "words.txt"),
            List.of("/usr/bin/awk", "{ n[$1]++ } END { print length(n) }", "words.txt"),
            List.of("/usr/bin/sort", "-u", "words.txt"),
            List.of("/usr/bin/diff", "words.txt", "other.txt"),
            List.of("/usr/bin/md5sum", "words.txt", "tree/e.log"),
            List.of("/usr/bin/sha1sum", "words.txt"),
            List.of("/bin/tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "-cf", "-", "tree"),
            List.of("/bin/gzip", "-n", "-c", "words.txt"),
            List.of("/usr/bin/xz", "-c", "words.txt"),
            List.of("/usr/bin/python3", "-c", "import os,sys; print(sorted(os.listdir('tree'))); "
                    + "s=os.stat('tree/e.log'); print(s.st_size, oct(s.st_mode), s.st_mtime_ns); "
                    + "print(sys.argv, len(open('words.txt').read()))"),
            List.of("/usr/bin/perl", "-e", "opendir(D,'tree'); print join(',', sort readdir(D)), qq(\\n); "
                    + "printf qq(%d %o\\n), (stat 'tree/e.log')[7], (stat 'tree/e.log')[2] & 07777;"),
            // x87 precision: with Unicorn's control word 0 this printed 0.333333349227905|2.49999976158142e+300
            List.of("/usr/bin/sqlite3", ":memory:", "select 1.0/3, 2.5e300;"),
            List.of("/bin/ls", "missing-file"));

    /** Programs that change files: run in two copies of a tree, compare output and the trees after. */
    static final List<List<String>> WRITERS = List.of(
            List.of("/bin/cp", "-a", "tree", "copy"),
            List.of("/bin/cp", "tree/sub/d.txt", "tree/new.txt"),
            List.of("/bin/mv", "tree/sub", "tree/moved"),
            List.of("/bin/rm", "-r", "tree/sub"),
            List.of("/bin/mkdir", "-p", "-m", "750", "tree/a/b/c"),
            List.of("/bin/ln", "-s", "e.log", "tree/newlink"),
            List.of("/bin/ln", "tree/e.log", "tree/hard"),
            List.of("/bin/chmod", "-R", "go-rwx", "tree"),
            List.of("/usr/bin/touch", "-d", "@86400", "tree/e.log"),
            List.of("/usr/bin/truncate", "-s", "5", "tree/e.log"),
            List.of("/bin/tar", "-cf", "out.tar", "tree"),
            List.of("/bin/gzip", "tree/e.log"),
            List.of("/usr/bin/xz", "tree/sub/d.txt"),
            List.of("/bin/rmdir", "tree/sub"),
            List.of("/usr/bin/mkfifo", "tree/fifo"));

    private static Map<String, String> env() {
        return Runner.baseEnvironment();
    }

    @TestFactory
    Stream<DynamicTest> readersMatchNative() {
        List<DynamicTest> tests = new ArrayList<>();
        for (List<String> c : READERS) {
            tests.add(dynamicTest(String.join(" ", c), () -> Differential.assertSame(c, data, data, env(), new byte[0])));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> writersLeaveTheSameTree() {
        List<DynamicTest> tests = new ArrayList<>();
        int[] n = {0};
        for (List<String> c : WRITERS) {
            tests.add(dynamicTest(String.join(" ", c), () -> {
                Path nat = copyFixture(work.resolve("native" + n[0]));
                Path lx = copyFixture(work.resolve("lxrun" + n[0]++));
                RunResult expected = Runner.runNative(c, nat, env(), new byte[0]);
                RunResult actual = Runner.runLxrun(c, lx, env(), new byte[0]);
                assertEquals(expected.out(), actual.out(), "stdout");
                assertEquals(expected.err(), actual.err(), "stderr");
                assertEquals(expected.exitStatus(), actual.exitStatus(), "exit status");
                if (Files.exists(nat.resolve("out.tar"))) {
                    assertEquals(Files.size(nat.resolve("out.tar")), Files.size(lx.resolve("out.tar")));
                }
                assertEquals(TreeSnapshot.of(nat), TreeSnapshot.of(lx), "tree after " + c);
            }));
        }
        return tests.stream();
    }

    private static Path copyFixture(Path dest) throws IOException {
        Path src = data.resolve("tree");
        Files.createDirectories(dest);
        RunResult r = Runner.runNative(List.of("/bin/cp", "-a", src.toString(), dest.toString()), dest, env(), new byte[0]);
        assertEquals(0, r.exitStatus(), r.err());
        return dest;
    }
}
