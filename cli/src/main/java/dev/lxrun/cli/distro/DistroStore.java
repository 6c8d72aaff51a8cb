package dev.lxrun.cli.distro;

import dev.lxrun.vfs.host.HostPosix;
import dev.lxrun.vfs.host.HostSyscall;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * lxrun's registered distros, as WSL keeps its list: one small config file per distro under
 * $XDG_DATA_HOME/lxrun/registry/NAME.conf (root directory, default user) and the name of the
 * default distro in $XDG_DATA_HOME/lxrun/default. Roots live in $XDG_DATA_HOME/lxrun/distros/NAME
 * unless the import names another directory. XDG_DATA_HOME defaults to ~/.local/share.
 */
public final class DistroStore {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** A registered distro. */
    public record Distro(String name, Path root, String user) {}

    private final Path home;

    public DistroStore(Path home) {
        this.home = home;
    }

    /** The store of the current user: $XDG_DATA_HOME/lxrun, or ~/.local/share/lxrun. */
    public static DistroStore ofUser() {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path data = xdg != null && !xdg.isEmpty() && xdg.startsWith("/") ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "share");
        return new DistroStore(data.resolve("lxrun"));
    }

    Path registry() {
        return home.resolve("registry");
    }

    Path defaultRoot(String name) {
        return home.resolve("distros").resolve(name);
    }

    static void checkName(String name) throws ImportException {
        if (!NAME.matcher(name).matches()) {
            throw new ImportException("'" + name + "' is not a distro name (letters, digits, '.', '_', '-'; 64 at most)");
        }
    }

    /** The distro of that name, or null. */
    public Distro find(String name) {
        if (!NAME.matcher(name).matches()) return null;
        Path conf = registry().resolve(name + ".conf");
        if (!Files.isRegularFile(conf)) return null;
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(conf)) {
            p.load(in);
        } catch (IOException e) {
            return null;
        }
        String root = p.getProperty("root");
        if (root == null) return null;
        return new Distro(name, Path.of(root), p.getProperty("user", "root"));
    }

    public List<Distro> all() {
        List<Distro> out = new ArrayList<>();
        try (var files = Files.list(registry())) {
            for (Path f : files.sorted().toList()) {
                String n = f.getFileName().toString();
                if (!n.endsWith(".conf")) continue;
                Distro d = find(n.substring(0, n.length() - 5));
                if (d != null) out.add(d);
            }
        } catch (IOException e) {
            // No registry yet: no distros.
        }
        return out;
    }

    /** The default distro's name, or null. */
    public String defaultName() {
        try {
            String n = Files.readString(home.resolve("default")).strip();
            return find(n) != null ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    void setDefault(String name) throws IOException {
        writeAtomically(home.resolve("default"), name + "\n");
    }

    /** Writes (or rewrites) a distro's config file. */
    void save(Distro d) throws IOException {
        Files.createDirectories(registry());
        String text = "# lxrun distro " + d.name() + "\nroot=" + escape(d.root().toString()) + "\nuser=" + escape(d.user()) + "\n";
        writeAtomically(registry().resolve(d.name() + ".conf"), text);
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\n", "\\n").replace(":", "\\:").replace("=", "\\=");
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp" + ProcessHandle.current().pid());
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Unpacks archive into dir (or the default place) and registers it as name. On any failure
     * nothing stays behind: the files unpacked so far are removed and no config is written.
     */
    public Distro importDistro(String name, Path archive, Path dir, String user, java.io.PrintStream err)
            throws ImportException {
        checkName(name);
        if (find(name) != null) throw new ImportException("a distro named " + name + " is already registered (lxrun unregister " + name + " first)");
        if (!Files.isRegularFile(archive)) {
            throw new ImportException(archive + ": " + (Files.exists(archive) ? "not a regular file" : "no such file"));
        }
        Path root = (dir != null ? dir : defaultRoot(name)).toAbsolutePath().normalize();
        boolean created;
        try {
            if (Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.isDirectory(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) throw new ImportException(root + ": exists and is not a directory");
                try (var s = Files.list(root)) {
                    if (s.findAny().isPresent()) throw new ImportException(root + ": directory is not empty");
                }
                created = false;
            } else {
                Files.createDirectories(root);
                created = true;
            }
        } catch (IOException e) {
            throw new ImportException(root + ": cannot create the directory: " + e.getMessage());
        }
        int rootFd = openDir(root);
        if (rootFd < 0) throw new ImportException(root + ": cannot open: " + HostTree.strerror(rootFd));
        boolean ok = false;
        long total;
        try {
            total = Files.size(archive);
        } catch (IOException e) {
            total = 0;
        }
        Progress progress = Progress.onTerminal(err, "importing " + name, total);
        try (TarImporter importer = new TarImporter(rootFd, HostSyscall.call(107, 0, 0, 0) == 0);
                InputStream in = Compression.decompress(new CountingInputStream(Files.newInputStream(archive), progress))) {
            importer.unpack(in);
            if (progress != null) progress.finish();
            for (String w : importer.warnings()) err.println("lxrun import: warning: " + w);
            Distro d = new Distro(name, root, user == null ? "root" : user);
            // Registered last, and only if nobody registered the name meanwhile.
            Files.createDirectories(registry());
            Path conf = registry().resolve(name + ".conf");
            try {
                Files.createFile(conf);
            } catch (java.nio.file.FileAlreadyExistsException race) {
                throw new ImportException("a distro named " + name + " was registered meanwhile");
            }
            save(d);
            if (defaultName() == null) setDefault(name);
            ok = true;
            return d;
        } catch (IOException e) {
            throw new ImportException("cannot read " + archive + ": " + describe(e));
        } finally {
            if (!ok && progress != null) progress.finish();
            if (!ok) TreeRemover.removeContents(rootFd);
            HostPosix.close(rootFd);
            if (!ok && created) {
                try {
                    Files.deleteIfExists(root);
                } catch (IOException ignored) {
                    // Left empty; the message about the failure matters more.
                }
            }
        }
    }

    /** An archive library's exception as one line for the user. */
    static String describe(IOException e) {
        String m = e.getMessage();
        if (e instanceof java.io.EOFException || m == null) return "truncated or corrupt archive (unexpected end of data)";
        String lower = m.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("truncated") || lower.contains("premature end") || lower.contains("unexpected end")) {
            return "truncated archive (" + m.strip().replace('\n', ' ') + ")";
        }
        return "corrupt archive (" + m.strip().replace('\n', ' ') + ")";
    }

    /** Writes the distro as a tar archive (compressed as the file's name says). */
    public void exportDistro(String name, Path file, java.io.PrintStream err) throws ImportException {
        Distro d = find(name);
        if (d == null) throw new ImportException("no distro named " + name + " (see lxrun list)");
        Compression c = Compression.forName(file.getFileName().toString());
        if (c == null) throw new ImportException(file + ": name it .tar, .tar.gz, .tar.xz or .tar.zst");
        int rootFd = openDir(d.root());
        if (rootFd < 0) throw new ImportException(d.root() + ": cannot open: " + HostTree.strerror(rootFd));
        Path tmp = file.toAbsolutePath().resolveSibling("." + file.getFileName() + ".lxrun-partial");
        boolean ok = false;
        Progress progress = Progress.onTerminal(err, "exporting " + name, 0);
        try (OutputStream raw = Files.newOutputStream(tmp);
                OutputStream out = c.compress(new java.io.BufferedOutputStream(raw, 1 << 16));
                TarExporter ex = new TarExporter(out, DistroUsers.names(rootFd, "etc/passwd"), DistroUsers.names(rootFd, "etc/group"), progress)) {
            ex.export(rootFd);
            out.close();
            ok = true;
        } catch (IOException e) {
            throw new ImportException(file + ": " + e.getMessage());
        } finally {
            if (progress != null) progress.finish();
            HostPosix.close(rootFd);
            if (!ok) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // Best effort.
                }
            }
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ImportException(file + ": " + e.getMessage());
        }
    }

    /** Deletes the distro's files and its registration. */
    public void unregister(String name) throws ImportException {
        Distro d = find(name);
        if (d == null) throw new ImportException("no distro named " + name + " (see lxrun list)");
        int rootFd = openDir(d.root());
        if (rootFd >= 0) {
            TreeRemover.removeContents(rootFd);
            HostPosix.close(rootFd);
            try {
                Files.deleteIfExists(d.root());
            } catch (IOException e) {
                throw new ImportException(d.root() + ": cannot remove: " + e.getMessage());
            }
        }
        try {
            Files.deleteIfExists(registry().resolve(name + ".conf"));
            if (name.equals(readDefault())) Files.deleteIfExists(home.resolve("default"));
        } catch (IOException e) {
            throw new ImportException("cannot unregister " + name + ": " + e.getMessage());
        }
    }

    private String readDefault() {
        try {
            return Files.readString(home.resolve("default")).strip();
        } catch (IOException e) {
            return null;
        }
    }

    /** Changes the default user and/or makes the distro the default. */
    public void configure(String name, String user, boolean makeDefault) throws ImportException {
        Distro d = find(name);
        if (d == null) throw new ImportException("no distro named " + name + " (see lxrun list)");
        try {
            if (user != null) {
                if (DistroUsers.lookup(d.root(), user) == null) throw new ImportException("no user " + user + " in " + name + "'s /etc/passwd");
                save(new Distro(name, d.root(), user));
            }
            if (makeDefault) setDefault(name);
        } catch (IOException e) {
            throw new ImportException("cannot configure " + name + ": " + e.getMessage());
        }
    }

    static int openDir(Path dir) {
        try (HostTree.Scratch s = new HostTree.Scratch()) {
            return HostTree.open(s, HostPosix.AT_FDCWD, dir.toString().getBytes(HostPosix.PATH_CHARSET),
                    HostTree.O_RDONLY | HostTree.O_DIRECTORY, 0);
        }
    }
}
