package dev.lxrun.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds what the workloads run: the lxbench C program (shipped in lxrun.jar as source and
 * compiled once with the host's gcc, static, so every mode runs the same code without needing
 * the host's libraries) and the archive the untar workload extracts. Both are cached under a
 * directory named by the source's hash, so a changed workload is rebuilt and an unchanged one
 * never is.
 */
final class BenchPrograms {
    private static final String SOURCE = "/dev/lxrun/cli/bench/lxbench.c";

    private BenchPrograms() {}

    /** The compiled lxbench in cacheRoot/bench/HASH/, compiling it first if needed. */
    static Path lxbench(Path cacheRoot) throws IOException {
        byte[] src;
        try (InputStream in = BenchPrograms.class.getResourceAsStream(SOURCE)) {
            if (in == null) throw new IOException("lxbench.c is missing from lxrun's resources");
            src = in.readAllBytes();
        }
        Path dir = cacheRoot.resolve("bench").resolve(hash(src));
        Path bin = dir.resolve("lxbench");
        if (Files.isExecutable(bin)) return bin;
        Files.createDirectories(dir);
        Path c = dir.resolve("lxbench.c");
        Files.write(c, src);
        Path tmp = dir.resolve("lxbench.tmp");
        run(List.of("gcc", "-O2", "-static", "-o", tmp.toString(), c.toString()), dir);
        Files.move(tmp, bin, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return bin;
    }

    /** A tar archive of `files` small files (and a few directories), made once with the host's tar. */
    static Path archive(Path cacheRoot, int files) throws IOException {
        Path dir = Files.createDirectories(cacheRoot.resolve("bench"));
        Path tar = dir.resolve("untar-" + files + ".tar");
        if (Files.exists(tar)) return tar;
        Path tree = Files.createTempDirectory(dir, "tree");
        for (int i = 0; i < files; i++) {
            Path d = Files.createDirectories(tree.resolve("src").resolve("d" + (i % 10)));
            Files.writeString(d.resolve("file" + i + ".txt"), ("line " + i + " of a small file\n").repeat(20));
        }
        Path tmp = dir.resolve("untar-" + files + ".tmp");
        run(List.of("tar", "-cf", tmp.toString(), "-C", tree.toString(), "src"), dir);
        Files.move(tmp, tar, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        try (var s = Files.walk(tree)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        return tar;
    }

    private static void run(List<String> cmd, Path dir) throws IOException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private static String hash(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
