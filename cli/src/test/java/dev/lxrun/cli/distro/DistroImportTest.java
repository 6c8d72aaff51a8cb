package dev.lxrun.cli.distro;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lxrun.vfs.host.HostPosix;
import dev.lxrun.vfs.mount.LinuxMetadata;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * lxrun import and export on archives made here: every kind of member kept and given back the
 * same, and each kind of bad archive refused with one message, nothing written outside the
 * distro's directory and nothing registered.
 */
class DistroImportTest {
    @TempDir Path tmp;
    DistroStore store;
    Path outside;
    final PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());

    @BeforeEach
    void setUp() throws IOException {
        store = new DistroStore(tmp.resolve("data/lxrun"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("victim"), "untouched\n");
    }

    /** A tar built member by member. */
    static final class Tar {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final TarArchiveOutputStream out;

        Tar() {
            out = new TarArchiveOutputStream(bytes, StandardCharsets.ISO_8859_1.name());
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        }

        Tar add(String name, byte flag, int mode, int uid, int gid, Consumer<TarArchiveEntry> more, byte[] data) {
            try {
                TarArchiveEntry e = new TarArchiveEntry(name, flag, true);
                e.setMode(mode);
                e.setUserId(uid);
                e.setGroupId(gid);
                e.setLastModifiedTime(FileTime.from(Instant.ofEpochSecond(1_600_000_000L + name.length(), 123_000_000L)));
                if (more != null) more.accept(e);
                e.setSize(data == null ? 0 : data.length);
                out.putArchiveEntry(e);
                if (data != null) out.write(data);
                out.closeArchiveEntry();
                return this;
            } catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        }

        Tar dir(String name, int mode) { return add(name, TarConstants.LF_DIR, mode, 0, 0, null, null); }
        Tar file(String name, String text) { return add(name, TarConstants.LF_NORMAL, 0644, 0, 0, null, text.getBytes(StandardCharsets.UTF_8)); }
        Tar symlink(String name, String target) { return add(name, TarConstants.LF_SYMLINK, 0777, 0, 0, e -> e.setLinkName(target), null); }
        Tar hardlink(String name, String target) { return add(name, TarConstants.LF_LINK, 0644, 0, 0, e -> e.setLinkName(target), null); }

        byte[] bytes() {
            try {
                out.finish();
                out.close();
            } catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
            return bytes.toByteArray();
        }

        Path write(Path file) throws IOException {
            return Files.write(file, bytes());
        }
    }

    private static Tar sample() {
        byte[] big = new byte[300_000];
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31 + i / 7);
        return new Tar().dir("./", 0755).dir("./etc/", 0755).dir("./ro/", 0555)
                .add("./ro/inside", TarConstants.LF_NORMAL, 0600, 0, 0, null, "x".getBytes())
                .dir("./usr/", 0755).dir("./usr/bin/", 0755).dir("./home/", 0755).dir("./home/user/", 0700)
                .dir("./dev/", 0755).dir("./run/", 0755)
                .file("./etc/passwd", "root:x:0:0:root:/root:/bin/bash\nuser:x:1000:1000::/home/user:/bin/sh\n")
                .file("./etc/group", "root:x:0:\nusers:x:100:user\n")
                .add("./etc/shadow", TarConstants.LF_NORMAL, 0640, 0, 42, null, "secret\n".getBytes())
                .add("./usr/bin/su", TarConstants.LF_NORMAL, 04755, 0, 0, null, big)
                .add("./home/user/.profile", TarConstants.LF_NORMAL, 0600, 1000, 1000, null, "echo hi\n".getBytes())
                .add("./usr/bin/su-again", TarConstants.LF_LINK, 04755, 0, 0, e -> {
                    e.setLinkName("./usr/bin/su");
                    e.setLastModifiedTime(FileTime.from(Instant.ofEpochSecond(1_600_000_000L + "./usr/bin/su".length(), 123_000_000L)));
                }, null)
                .symlink("./bin", "usr/bin")
                .symlink("./etc/abs", "/etc/passwd")
                .add("./dev/null", TarConstants.LF_CHR, 0666, 0, 0, e -> { e.setDevMajor(1); e.setDevMinor(3); }, null)
                .add("./dev/sda", TarConstants.LF_BLK, 0660, 0, 6, e -> { e.setDevMajor(8); e.setDevMinor(0); }, null)
                .add("./run/fifo", TarConstants.LF_FIFO, 0620, 0, 0, null, null)
                .add("./etc/tagged", TarConstants.LF_NORMAL, 0644, 0, 0, e -> e.addPaxHeader("SCHILY.xattr.user.note", "kept"),
                        "t\n".getBytes())
                .add("./etc/cap", TarConstants.LF_NORMAL, 0755, 0, 0,
                        e -> e.addPaxHeader("LIBARCHIVE.xattr.user.bin", java.util.Base64.getEncoder().encodeToString(new byte[] {1, 0, (byte) 0xff, 2})),
                        "c\n".getBytes())
                .add("./etc/forged", TarConstants.LF_NORMAL, 0644, 0, 0,
                        e -> e.addPaxHeader("SCHILY.xattr." + LinuxMetadata.ATTRIBUTE, "type=020000 rdev=2049"), "f\n".getBytes());
    }

    /** A member as compared after a round trip: every field tar keeps. */
    private static List<String> members(byte[] tar) throws IOException {
        List<String> out = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new java.io.ByteArrayInputStream(tar), "ISO-8859-1")) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                String name = TarImporterNames.norm(e.getName());
                String xattrs = e.getExtraPaxHeaders().entrySet().stream().filter(h -> h.getKey().contains("xattr."))
                        .map(h -> h.getKey().replaceFirst("^(SCHILY|LIBARCHIVE)\\.xattr\\.", "") + "="
                                + (h.getKey().startsWith("LIBARCHIVE") ? new String(java.util.Base64.getDecoder().decode(h.getValue())) : h.getValue()))
                        .filter(x -> !x.startsWith(LinuxMetadata.ATTRIBUTE)).sorted().toList().toString();
                byte[] data = in.readAllBytes();
                out.add(name + " " + (char) e.getLinkFlag() + " " + Integer.toOctalString(e.getMode() & 07777) + " " + e.getLongUserId()
                        + ":" + e.getLongGroupId() + " " + e.getLastModifiedTime().toInstant() + " link=" + TarImporterNames.norm(e.getLinkName())
                        + " dev=" + e.getDevMajor() + "," + e.getDevMinor() + " size=" + data.length + " sum=" + Arrays.hashCode(data)
                        + " " + xattrs);
            }
        }
        out.sort(null);
        return out;
    }

    /** Names compared without "./" and trailing "/": the tar's own spelling may differ. */
    static final class TarImporterNames {
        static String norm(String n) {
            if (n == null || n.isEmpty()) return "";
            try {
                return "/" + MemberName.normalize(n);
            } catch (ImportException e) {
                return n;
            }
        }
    }

    @Test
    void exportGivesBackWhatWasImported() throws Exception {
        Tar t = sample();
        byte[] original = t.bytes();
        Path archive = Files.write(tmp.resolve("in.tar"), original);
        DistroStore.Distro d = store.importDistro("sample", archive, null, null, quiet);
        assertEquals(tmp.resolve("data/lxrun/distros/sample"), d.root());
        Path out = tmp.resolve("out.tar");
        store.exportDistro("sample", out, quiet);
        List<String> expected = new ArrayList<>(members(original));
        // The archive's own lxrun attribute is never taken over.
        assertEquals(expected.stream().map(s -> s.startsWith("/etc/forged ") ? s.replace("[" + LinuxMetadata.ATTRIBUTE + "=type=020000 rdev=2049]", "[]") : s).toList(),
                members(Files.readAllBytes(out)));
        // Device nodes are empty files carrying the node in lxrun's attribute; the guest sees the node.
        Path root = d.root();
        assertTrue(Files.isRegularFile(root.resolve("dev/null"), LinkOption.NOFOLLOW_LINKS));
        LinuxMetadata m = LinuxMetadata.readPath(root.resolve("dev/sda").toString(), false);
        assertEquals(LinuxMetadata.S_IFBLK, m.type());
        assertEquals(8, LinuxMetadata.major(m.rdev()));
        assertEquals(LinuxMetadata.NONE.type(), LinuxMetadata.readPath(root.resolve("etc/forged").toString(), false).type());
        // Re-importing the export and exporting again is the same archive.
        store.importDistro("again", out, null, null, quiet);
        Path out2 = tmp.resolve("out2.tar.gz");
        store.exportDistro("again", out2, quiet);
        try (InputStream in = Compression.decompress(Files.newInputStream(out2))) {
            assertArrayEquals(Files.readAllBytes(out), in.readAllBytes());
        }
        assertEquals(List.of("again", "sample"), store.all().stream().map(DistroStore.Distro::name).toList());
        assertEquals("sample", store.defaultName());
    }

    @Test
    void withoutRootOwnersGoIntoTheMetadataAttribute() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("unpriv"));
        int fd = DistroStore.openDir(dir);
        try (TarImporter imp = new TarImporter(fd, false)) {
            imp.unpack(new java.io.ByteArrayInputStream(sample().bytes()));
        } finally {
            HostPosix.close(fd);
        }
        LinuxMetadata m = LinuxMetadata.readPath(dir.resolve("home/user/.profile").toString(), false);
        assertEquals(1000, m.uid());
        assertEquals(1000, m.gid());
        LinuxMetadata shadow = LinuxMetadata.readPath(dir.resolve("etc/shadow").toString(), false);
        assertEquals(42, shadow.gid());
        assertEquals("rwsr-xr-x", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("usr/bin/su"))).replace("rwxr-xr-x", "rwsr-xr-x"));
        assertEquals(04755, ((Integer) Files.getAttribute(dir.resolve("usr/bin/su"), "unix:mode")) & 07777);
        assertEquals(0555, ((Integer) Files.getAttribute(dir.resolve("ro"), "unix:mode")) & 07777);
    }

    /** The import fails with one line naming the cause; nothing outside changes and no distro stays registered. */
    private String refused(String name, Path archive) throws IOException {
        ImportException e = assertThrows(ImportException.class, () -> store.importDistro(name, archive, null, null, quiet));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertNull(store.find(name));
        assertFalse(Files.exists(tmp.resolve("data/lxrun/distros/" + name)), "half distro left behind");
        assertEquals(List.of("victim"), Files.list(outside).map(p -> p.getFileName().toString()).toList());
        assertEquals("untouched\n", Files.readString(outside.resolve("victim")));
        return e.getMessage();
    }

    @Test
    void dotDotMembersAreRefused() throws IOException {
        Path a = new Tar().dir("./", 0755).file("../../outside/x", "evil").write(tmp.resolve("a.tar"));
        assertTrue(refused("dotdot", a).contains("'..'"));
        Path b = new Tar().dir("./", 0755).file("./etc/../../x", "evil").write(tmp.resolve("b.tar"));
        assertTrue(refused("dotdot2", b).contains("'..'"));
    }

    @Test
    void absoluteMembersAreRefused() throws IOException {
        Path a = new Tar().file(outside.resolve("x").toString(), "evil").write(tmp.resolve("a.tar"));
        assertTrue(refused("abs", a).contains("absolute"));
    }

    @Test
    void writingThroughASymlinkIsRefused() throws IOException {
        Path a = new Tar().dir("./", 0755).symlink("./link", outside.toString()).file("./link/victim", "evil").write(tmp.resolve("a.tar"));
        assertTrue(refused("through", a).contains("symlink"), "message names the symlink");
        Path b = new Tar().dir("./", 0755).symlink("./up", "..").file("./up/x", "evil").write(tmp.resolve("b.tar"));
        assertTrue(refused("through2", b).contains("symlink"));
    }

    @Test
    void hardLinksToOutsideAreRefused() throws IOException {
        Path a = new Tar().dir("./", 0755).hardlink("./victim", outside.resolve("victim").toString()).write(tmp.resolve("a.tar"));
        assertTrue(refused("hl", a).contains("absolute"));
        Path b = new Tar().dir("./", 0755).hardlink("./victim", "../outside/victim").write(tmp.resolve("b.tar"));
        assertTrue(refused("hl2", b).contains("'..'"));
        Path c = new Tar().dir("./", 0755).hardlink("./victim", "etc/not-there").write(tmp.resolve("c.tar"));
        assertTrue(refused("hl3", c).contains("hard link"));
    }

    @Test
    void truncatedArchivesAreRefused() throws IOException {
        byte[] full = sample().bytes();
        Path a = Files.write(tmp.resolve("t.tar"), Arrays.copyOf(full, full.length / 2));
        String m1 = refused("trunc", a);
        assertTrue(m1.contains("truncated"), m1);
        // Cut inside a pax header, and right after the last member's data: no end-of-archive block.
        Path c = Files.write(tmp.resolve("t2.tar"), Arrays.copyOf(full, 4096));
        int last = full.length - 1;
        while (full[last] == 0) last--;
        Path d = Files.write(tmp.resolve("t3.tar"), Arrays.copyOf(full, (last / 512 + 1) * 512));
        String m3 = refused("trunc3", d);
        assertTrue(m3.contains("end-of-archive"), m3);
        String m2 = refused("trunc2", c);
        assertTrue(m2.contains("truncated"), m2);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream o = new GzipCompressorOutputStream(gz)) {
            o.write(full);
        }
        byte[] z = gz.toByteArray();
        Path b = Files.write(tmp.resolve("t.tar.gz"), Arrays.copyOf(z, z.length * 2 / 3));
        refused("truncgz", b);
    }

    @Test
    void corruptArchivesAreRefused() throws IOException {
        byte[] full = sample().bytes();
        byte[] header = full.clone();
        header[20] ^= 0x55; // in the first header: its checksum no longer matches
        assertTrue(refused("corrupt", Files.write(tmp.resolve("c.tar"), header)).contains("corrupt"));
        byte[] noise = new byte[10_000];
        new java.util.Random(7).nextBytes(noise);
        refused("noise", Files.write(tmp.resolve("n.tar"), noise));
        refused("empty", Files.write(tmp.resolve("e.tar"), new byte[0]));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream o = new GzipCompressorOutputStream(gz)) {
            o.write(sample().bytes());
        }
        byte[] z = gz.toByteArray();
        z[z.length / 2] ^= 0x55;
        refused("corruptgz", Files.write(tmp.resolve("c.tar.gz"), z));
    }

    @Test
    void anExistingNameIsRefused() throws Exception {
        Path a = sample().write(tmp.resolve("a.tar"));
        store.importDistro("taken", a, null, null, quiet);
        ImportException e = assertThrows(ImportException.class, () -> store.importDistro("taken", a, tmp.resolve("elsewhere"), null, quiet));
        assertTrue(e.getMessage().contains("already registered"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("elsewhere")));
        assertNotNull(store.find("taken"));
        assertTrue(Files.exists(tmp.resolve("data/lxrun/distros/taken/etc/passwd")));
        assertThrows(ImportException.class, () -> store.importDistro("../evil", a, null, null, quiet));
    }

    @Test
    void aNonEmptyTargetDirectoryIsRefusedAndKept() throws Exception {
        Path a = sample().write(tmp.resolve("a.tar"));
        Path dir = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(dir.resolve("keep"), "mine\n");
        ImportException e = assertThrows(ImportException.class, () -> store.importDistro("x", a, dir, null, quiet));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        assertEquals("mine\n", Files.readString(dir.resolve("keep")));
    }

    @Test
    void unregisterDeletesTheFilesButNotWhatSymlinksPointTo() throws Exception {
        Path a = new Tar().dir("./", 0755).symlink("./out", outside.toString()).symlink("./v", outside.resolve("victim").toString())
                .dir("./ro/", 0500).file("./ro/f", "x").write(tmp.resolve("a.tar"));
        DistroStore.Distro d = store.importDistro("gone", a, null, null, quiet);
        assertTrue(Files.isSymbolicLink(d.root().resolve("out")));
        store.unregister("gone");
        assertFalse(Files.exists(d.root(), LinkOption.NOFOLLOW_LINKS));
        assertNull(store.find("gone"));
        assertEquals("untouched\n", Files.readString(outside.resolve("victim")));
        assertThrows(ImportException.class, () -> store.unregister("gone"));
    }

    @Test
    void usersComeFromTheDistrosOwnPasswd() throws Exception {
        DistroStore.Distro d = store.importDistro("u", sample().write(tmp.resolve("a.tar")), null, "user", quiet);
        assertEquals("user", d.user());
        DistroUsers.User u = DistroUsers.lookup(d.root(), "user");
        assertEquals(1000, u.uid());
        assertEquals("/home/user", u.home());
        assertArrayEquals(new int[] {1000, 100}, u.groups());
        store.configure("u", "root", true);
        assertEquals("root", store.find("u").user());
        assertEquals("u", store.defaultName());
        assertThrows(ImportException.class, () -> store.configure("u", "nobody-here", false));
    }
}
