package dev.lxrun.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What `--mode auto` learned: programs (by the SHA-256 of their file, so a rebuilt binary is
 * judged afresh) that made a syscall lxrun does not translate. One tab-separated line per
 * program in ~/.cache/lxrun/compat-db.tsv: hash, syscall, when, the path it was run as.
 */
final class CompatDatabase {
    record Entry(String sha256, String syscall, Instant recorded, String program) {
        String line() {
            return sha256 + '\t' + syscall + '\t' + recorded + '\t' + program.replace('\t', ' ').replace('\n', ' ') + '\n';
        }
    }

    private final Path file;

    CompatDatabase(Path file) {
        this.file = file;
    }

    /** LXRUN_COMPAT_DB names the file; else it lives in lxrun's cache directory. */
    static CompatDatabase standard() {
        String explicit = System.getenv("LXRUN_COMPAT_DB");
        if (explicit != null && !explicit.isEmpty()) return new CompatDatabase(Path.of(explicit));
        return new CompatDatabase(dev.lxrun.vm.VmSetup.lxrunCache().resolve("compat-db.tsv"));
    }

    Path file() {
        return file;
    }

    List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t", 4);
                if (f.length == 4) {
                    try {
                        out.add(new Entry(f[0], f[1], Instant.parse(f[2]), f[3]));
                    } catch (RuntimeException malformed) {
                        // a damaged line only loses that program's record
                    }
                }
            }
        } catch (IOException e) {
            // no database yet
        }
        return out;
    }

    Optional<Entry> find(String sha256) {
        return entries().stream().filter(e -> e.sha256().equals(sha256)).findFirst();
    }

    void record(String sha256, String syscall, String program) throws IOException {
        if (find(sha256).isPresent()) return;
        Files.createDirectories(file.toAbsolutePath().getParent());
        Entry e = new Entry(sha256, syscall, Instant.now().truncatedTo(ChronoUnit.SECONDS), program);
        Files.writeString(file, e.line(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    int clear() throws IOException {
        int n = entries().size();
        Files.deleteIfExists(file);
        return n;
    }

    static String sha256(Path program) throws IOException {
        try (InputStream in = Files.newInputStream(program)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
