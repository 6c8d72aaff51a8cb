package dev.lxrun.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guest code must compute exactly what it computes natively, however often lxrun interrupts it.
 * Silent wrong output is the worst failure a translation layer has, and the ways it happened
 * (an instruction re-run after an asynchronous stop, stale translations, wrong FPU state) only
 * show under load: long computations, many stops, real programs with threads.
 *
 * The size scales with -Dtorture.scale (default 1, sized for CI; 10 for a long run on demand).
 * Every check compares with the native run of the same program on the same input.
 */
class TortureTest {
    private static final int SCALE = Integer.getInteger("torture.scale", 1);

    @TempDir
    static Path data;

    private static Path text;

    /** Text with a compressor's usual structure (a vocabulary, varying lines), the same bytes every run. */
    @BeforeAll
    static void makeInput() throws IOException {
        SplittableRandom random = new SplittableRandom(20261203L);
        String[] vocabulary = new String[5000];
        for (int i = 0; i < vocabulary.length; i++) {
            StringBuilder w = new StringBuilder();
            for (int j = 2 + random.nextInt(9); j > 0; j--) w.append((char) ('a' + random.nextInt(26)));
            vocabulary[i] = w.toString();
        }
        text = data.resolve("input.txt");
        long size = 8L * 1024 * 1024 * SCALE;
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(text), 1 << 16)) {
            StringBuilder line = new StringBuilder();
            for (long written = 0; written < size; ) {
                line.setLength(0);
                for (int k = 3 + random.nextInt(13); k > 0; k--) {
                    if (!line.isEmpty()) line.append(' ');
                    line.append(vocabulary[random.nextInt(vocabulary.length)]);
                    if (random.nextInt(50) == 0) line.append(random.nextInt(1_000_000));
                }
                line.append('\n');
                byte[] b = line.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                out.write(b);
                written += b.length;
            }
        }
    }

    /**
     * Read-modify-write instructions counted while stops keep coming: a 1 ms interval timer's
     * signals, and another thread of the process asking for the CPU so that lxrun preempts the
     * counting thread (every 5 ms here instead of the default 200, to get many stops).
     */
    @TestFactory
    Stream<DynamicTest> countsStayExactUnderStops() {
        List<DynamicTest> tests = new ArrayList<>();
        String iterations = Long.toString(1_000_000L * SCALE);
        for (String variant : List.of("musl", "glibc")) {
            for (String mode : List.of("signals", "threads")) {
                tests.add(dynamicTest(variant + "/torture_count " + mode, () -> {
                    List<String> cmd = CPrograms.command(variant, "torture_count", mode, iterations);
                    RunResult expected = Runner.runNative(cmd, data, Runner.baseEnvironment(), new byte[0]);
                    RunResult actual = Runner.run(lxrun(cmd, "-Dlxrun.preemptAfterMs=5"), data, Runner.baseEnvironment(), new byte[0]);
                    assertEquals(expected.out(), actual.out(), "counts\n" + actual.err());
                    assertEquals(expected.exitStatus(), actual.exitStatus(), actual.toString());
                }));
            }
        }
        return tests.stream();
    }

    /** Compressors (several multi-threaded) must produce the native output byte for byte and decompress it back. */
    @TestFactory
    Stream<DynamicTest> compressorsRoundTrip() {
        record Codec(String name, List<String> compress, List<String> decompress) {}
        List<Codec> codecs = List.of(
                new Codec("zstd", List.of("/usr/bin/zstd", "-q", "-c"), List.of("/usr/bin/zstd", "-q", "-d", "-c")),
                new Codec("zstd -T2", List.of("/usr/bin/zstd", "-T2", "-q", "-c"), List.of("/usr/bin/zstd", "-q", "-d", "-c")),
                new Codec("xz -T2", List.of("/usr/bin/xz", "-T2", "-1", "--block-size=1MiB", "-c"), List.of("/usr/bin/xz", "-d", "-c")),
                new Codec("gzip", List.of("/bin/gzip", "-n", "-c"), List.of("/bin/gzip", "-d", "-c")),
                new Codec("bzip2", List.of("/bin/bzip2", "-c"), List.of("/bin/bzip2", "-d", "-c")),
                new Codec("lz4", List.of("/usr/bin/lz4", "-c"), List.of("/usr/bin/lz4", "-d", "-c")),
                new Codec("brotli", List.of("/usr/bin/brotli", "-q", "5", "-c"), List.of("/usr/bin/brotli", "-d", "-c")));
        return codecs.stream().map(c -> dynamicTest(c.name(), () -> {
            assumeTrue(Files.isExecutable(Path.of(c.compress().get(0))), c.compress().get(0) + " is not installed");
            byte[] input = Files.readAllBytes(text);
            RunResult nativeOut = Runner.runNative(c.compress(), data, Runner.baseEnvironment(), input);
            assertEquals(0, nativeOut.exitStatus(), "native " + c.name() + ": " + nativeOut.err());
            RunResult packed = Runner.runLxrun(c.compress(), data, Runner.baseEnvironment(), input);
            assertEquals("", packed.err(), "stderr of " + c.name());
            assertEquals(0, packed.exitStatus(), c.name());
            assertEquals(sha256(nativeOut.stdout()), sha256(packed.stdout()), c.name() + " compressed differently from native");
            RunResult unpacked = Runner.runLxrun(c.decompress(), data, Runner.baseEnvironment(), nativeOut.stdout());
            assertEquals(0, unpacked.exitStatus(), c.name() + " -d: " + unpacked.err());
            assertArrayEquals(input, unpacked.stdout(), c.name() + " -d did not give the input back");
        }));
    }

    /** Where the JIT runtimes' programs are (test resources). */
    private static Path resource(String name) {
        try {
            return Path.of(TortureTest.class.getResource("/torture/" + name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** Node: V8 optimises a hot loop while it runs and a worker thread runs the same code. */
    @Test
    void nodeHotLoopAndWorker() {
        Path node = Path.of("/usr/bin/node");
        assumeTrue(Files.isExecutable(node), "nodejs is not installed");
        Differential.assertSame(List.of(node.toString(), resource("hot.js").toString(), Long.toString(1_000_000L * SCALE)),
                data, Runner.baseEnvironment());
    }

    /** OpenJDK 17 (HotSpot's JIT, GC and compiler threads): `java -version` and a program with threads. */
    @Test
    void openJdkStartsAndRunsThreads() throws IOException {
        Path java = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
        assumeTrue(Files.isExecutable(java), "openjdk-17-jre-headless is not installed");
        Differential.assertSame(List.of(java.toString(), "-version"), data, Runner.baseEnvironment());
        Path classes = Files.createDirectories(data.resolve("classes"));
        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "--release", "17", "-d", classes.toString(), resource("Threads.java").toString());
        assertEquals(0, rc, "javac Threads.java");
        Differential.assertSame(List.of(java.toString(), "-cp", classes.toString(), "Threads", Integer.toString(100_000 * SCALE)),
                data, Runner.baseEnvironment());
    }

    /** `lxrun` with JVM system properties for this test (before the jar, where the JVM reads them). */
    static List<String> lxrun(List<String> guest, String... properties) {
        List<String> cmd = new ArrayList<>(Runner.lxrunCommand(guest));
        int at = cmd.indexOf("-jar") >= 0 ? cmd.indexOf("-jar") : cmd.indexOf("-cp");
        if (at < 0) throw new AssertionError("cannot place JVM options in " + cmd);
        cmd.addAll(at, List.of(properties));
        return cmd;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
