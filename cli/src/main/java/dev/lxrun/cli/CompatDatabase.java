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
 * What `--mode auto` learned: programs that made a syscall lxrun does not translate, one
 * tab-separated line each in ~/.cache/lxrun/compat-db.tsv: key, syscall, when, the path run, its
 * arguments. The key is a {@link ProgramKey}: the executable's hash and its arguments (a script's
 * content), so one python3 script needing the VM does not send every python3 program there.
 */
final class CompatDatabase {
    record Entry(String key, String syscall, Instant recorded, String program, String args) {
        String line() {
            return key + '\t' + syscall + '\t' + recorded + '\t' + clean(program) + '\t' + clean(args) + '\n';
        }

        private static String clean(String s) {
            return s.replace('\t', ' ').replace('\n', ' ');
        }

        /** What `compat-db list` shows for the command: the path and its arguments. */
        String command() {
            return args.isEmpty() ? program : program + " " + args;
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
                String[] f = line.split("\t", 5);
                if (f.length < 4) continue;
                try {
                    // Four fields: a record from before arguments were part of the key (never matches now).
                    out.add(new Entry(f[0], f[1], Instant.parse(f[2]), f[3], f.length == 5 ? f[4] : ""));
                } catch (RuntimeException malformed) {
                    // a damaged line only loses that program's record
                }
            }
        } catch (IOException e) {
            // no database yet
        }
        return out;
    }

    Optional<Entry> find(String key) {
        return entries().stream().filter(e -> e.key().equals(key)).findFirst();
    }

    void record(String key, String syscall, String program, String args) throws IOException {
        if (find(key).isPresent()) return;
        Files.createDirectories(file.toAbsolutePath().getParent());
        Entry e = new Entry(key, syscall, Instant.now().truncatedTo(ChronoUnit.SECONDS), program, args);
        Files.writeString(file, e.line(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    int clear() throws IOException {
        int n = entries().size();
        Files.deleteIfExists(file);
        return n;
    }

    /**
     * Removes the entries named by what: a key prefix as `list` shows it (at least 6 hex digits),
     * or a program (its path as recorded, or the path given resolved against cwd). Returns them.
     */
    List<Entry> forget(String what, Path cwd) throws IOException {
        String asPath = cwd.resolve(what).normalize().toString();
        List<Entry> all = entries(), gone = new ArrayList<>(), kept = new ArrayList<>();
        for (Entry e : all) {
            boolean byKey = what.length() >= 6 && what.matches("[0-9a-f]+") && e.key().startsWith(what);
            boolean byProgram = e.program().equals(what) || e.program().equals(asPath);
            (byKey || byProgram ? gone : kept).add(e);
        }
        if (gone.isEmpty()) return gone;
        StringBuilder sb = new StringBuilder();
        kept.forEach(e -> sb.append(e.line()));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return gone;
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

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
