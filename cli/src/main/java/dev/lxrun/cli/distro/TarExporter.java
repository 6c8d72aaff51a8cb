package dev.lxrun.cli.distro;

import dev.lxrun.vfs.host.HostPosix;
import dev.lxrun.vfs.mount.LinuxMetadata;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a distro's root as a tar stream, as the guest sees it: owners and device nodes from
 * lxrun's metadata attribute where it has them, hard links as links, times to the nanosecond,
 * and extended attributes (other than lxrun's own) as pax headers. Members come in name order
 * under "./", as a root file system tarball has them, so an import of the result gives the
 * same tree back.
 */
final class TarExporter implements AutoCloseable {
    private final HostTree.Scratch s = new HostTree.Scratch();
    private final Map<String, String> hardLinks = new HashMap<>(); // "dev:ino" -> first name
    private final Map<Integer, String> users, groups;
    private final byte[] buf = new byte[1 << 20];
    private final TarArchiveOutputStream tar;
    private final Progress progress;

    TarExporter(OutputStream out, Map<Integer, String> users, Map<Integer, String> groups, Progress progress) {
        this.tar = new TarArchiveOutputStream(out, StandardCharsets.ISO_8859_1.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        this.users = users;
        this.groups = groups;
        this.progress = progress;
    }

    /** Writes the tree under rootFd and finishes the archive. */
    void export(int rootFd) throws IOException, ImportException {
        addEntry(rootFd, new byte[] {'.'}, "./");
        walk(rootFd, "./");
        tar.finish();
        tar.flush();
    }

    private void walk(int dirFd, String prefix) throws IOException, ImportException {
        List<byte[]> names = HostTree.list(s, dirFd);
        names.sort(Arrays::compareUnsigned);
        for (byte[] name : names) {
            String member = prefix + new String(name, StandardCharsets.ISO_8859_1);
            boolean dir = addEntry(dirFd, name, member);
            if (dir) {
                int fd = HostTree.open(s, dirFd, name, HostTree.O_RDONLY | HostTree.O_DIRECTORY | HostTree.O_NOFOLLOW, 0);
                if (fd < 0) throw new ImportException(member + ": cannot read the directory: " + HostTree.strerror(fd));
                try {
                    walk(fd, member + "/");
                } finally {
                    HostPosix.close(fd);
                }
            }
        }
    }

    /** Adds one member; true when it is a directory to descend into. */
    private boolean addEntry(int dirFd, byte[] name, String member) throws IOException, ImportException {
        int r = HostTree.lstat(s, dirFd, name);
        if (r < 0) throw new ImportException(member + ": " + HostTree.strerror(r));
        int mode = HostTree.mode(s), type = mode & HostTree.S_IFMT;
        int uid = HostTree.uid(s), gid = HostTree.gid(s);
        long rdev = HostTree.rdev(s), size = HostTree.size(s), nlink = HostTree.nlink(s);
        String key = HostTree.dev(s) + ":" + HostTree.ino(s);
        FileTime mtime = FileTime.from(Instant.ofEpochSecond(HostTree.mtimeSec(s), HostTree.mtimeNsec(s)));
        byte[] proc = HostTree.procPath(dirFd, name);
        if (type == HostTree.S_IFREG || type == HostTree.S_IFDIR) {
            LinuxMetadata m = LinuxMetadata.readPath(new String(proc, StandardCharsets.ISO_8859_1), false);
            if (m.uid() != -1) uid = m.uid();
            if (m.gid() != -1) gid = m.gid();
            if (m.isDevice()) {
                type = m.type();
                rdev = m.rdev();
                size = 0;
            }
        }
        String entryName = type == HostTree.S_IFDIR && !member.endsWith("/") ? member + "/" : member;
        TarArchiveEntry e;
        String first = type != HostTree.S_IFDIR && nlink > 1 ? hardLinks.putIfAbsent(key, member) : null;
        if (first != null) {
            e = new TarArchiveEntry(entryName, TarConstants.LF_LINK);
            e.setLinkName(first);
            size = 0;
        } else {
            switch (type) {
                case HostTree.S_IFDIR -> e = new TarArchiveEntry(entryName, TarConstants.LF_DIR);
                case HostTree.S_IFREG -> e = new TarArchiveEntry(entryName, TarConstants.LF_NORMAL);
                case HostTree.S_IFLNK -> {
                    e = new TarArchiveEntry(entryName, TarConstants.LF_SYMLINK);
                    byte[] target = HostTree.readlink(s, dirFd, name);
                    if (target == null) throw new ImportException(member + ": cannot read the symlink");
                    e.setLinkName(new String(target, StandardCharsets.ISO_8859_1));
                    size = 0;
                }
                case HostTree.S_IFCHR, HostTree.S_IFBLK -> {
                    e = new TarArchiveEntry(entryName, type == HostTree.S_IFCHR ? TarConstants.LF_CHR : TarConstants.LF_BLK);
                    e.setDevMajor(LinuxMetadata.major(rdev));
                    e.setDevMinor(LinuxMetadata.minor(rdev));
                    size = 0;
                }
                case HostTree.S_IFIFO -> {
                    e = new TarArchiveEntry(entryName, TarConstants.LF_FIFO);
                    size = 0;
                }
                default -> {
                    // A socket left by a program that ran in the distro: tar skips them too.
                    return false;
                }
            }
        }
        e.setMode(mode & 07777);
        e.setUserId(uid);
        e.setGroupId(gid);
        e.setUserName(users.getOrDefault(uid, ""));
        e.setGroupName(groups.getOrDefault(gid, ""));
        e.setLastModifiedTime(mtime);
        e.setSize(type == HostTree.S_IFREG && first == null ? size : 0);
        for (String attr : HostTree.listXattrs(s, proc)) {
            if (attr.equals(LinuxMetadata.ATTRIBUTE)) continue;
            byte[] v = HostTree.getXattr(s, proc, attr);
            if (v == null) continue;
            // Text values as GNU tar writes them; binary ones (security.capability) would not
            // survive a pax text header, so base64 as bsdtar writes them.
            String text = utf8(v);
            if (text != null && !attr.contains("=")) e.addPaxHeader("SCHILY.xattr." + attr, text);
            else e.addPaxHeader("LIBARCHIVE.xattr." + java.net.URLEncoder.encode(attr, StandardCharsets.ISO_8859_1), Base64.getEncoder().encodeToString(v));
        }
        tar.putArchiveEntry(e);
        if (e.getSize() > 0) copyContent(dirFd, name, member, e.getSize());
        tar.closeArchiveEntry();
        if (progress != null) progress.add(1);
        return type == HostTree.S_IFDIR && !member.equals("./");
    }

    /** The bytes as text when they are valid UTF-8 without NULs, else null. */
    private static String utf8(byte[] v) {
        for (byte b : v) if (b == 0) return null;
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(v)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    private void copyContent(int dirFd, byte[] name, String member, long size) throws IOException, ImportException {
        int fd = HostTree.open(s, dirFd, name, HostTree.O_RDONLY | HostTree.O_NOFOLLOW, 0);
        if (fd < 0) throw new ImportException(member + ": cannot read: " + HostTree.strerror(fd));
        try {
            long left = size;
            while (left > 0) {
                long n = HostPosix.read(fd, s.buf.asSlice(0, Math.min(s.buf.byteSize(), left)));
                if (n < 0) throw new ImportException(member + ": cannot read: " + HostTree.strerror(n));
                if (n == 0) throw new ImportException(member + ": the file shrank while being exported");
                java.lang.foreign.MemorySegment.copy(s.buf, ValueLayout.JAVA_BYTE, 0, buf, 0, (int) n);
                tar.write(buf, 0, (int) n);
                left -= n;
            }
        } finally {
            HostPosix.close(fd);
        }
    }

    @Override
    public void close() {
        s.close();
    }
}
