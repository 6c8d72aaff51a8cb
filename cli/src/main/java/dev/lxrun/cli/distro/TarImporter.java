package dev.lxrun.cli.distro;

import dev.lxrun.vfs.host.HostPosix;
import dev.lxrun.vfs.host.HostSyscall;
import dev.lxrun.vfs.mount.LinuxMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks a tar stream into an empty host directory as a distro's root. What the host can hold
 * is kept on the host file (modes, times, links, xattrs; owners when lxrun runs as root); the
 * rest goes into lxrun's metadata attribute (LinuxMetadata), which a --metadata root shows the
 * guest: foreign owners when lxrun is not root, and device nodes always (an empty file standing
 * for the node: a real device node in a user's data directory would open that host device to
 * any host process that reaches it, and lxrun opens only its own list of host devices anyway).
 *
 * Safety: every member is created relative to the root directory's descriptor, and only below
 * directories this import itself made, so no member can write through a symlink or reach
 * outside; hard links may only name members already unpacked.
 */
final class TarImporter implements AutoCloseable {
    private enum Kind { DIR, FILE, SYMLINK, OTHER }

    /** A directory's metadata, applied when everything inside it has been written. */
    private record DirMeta(String rel, int mode, int uid, int gid, long sec, long nsec, Map<String, byte[]> xattrs) {}

    private final int rootFd;
    private final boolean hostOwners;
    private final int myUid, myGid;
    private final HostTree.Scratch s = new HostTree.Scratch();
    private final Map<String, Kind> made = new HashMap<>();
    private final Map<String, DirMeta> dirs = new LinkedHashMap<>();
    private final byte[] buf = new byte[1 << 20];
    private long members, ownersLost, xattrsLost;

    /**
     * @param rootFd an open descriptor of the empty directory to unpack into
     * @param hostOwners change owners on the host (lxrun runs as root) rather than record them
     */
    TarImporter(int rootFd, boolean hostOwners) {
        this.rootFd = rootFd;
        this.hostOwners = hostOwners;
        this.myUid = (int) HostSyscall.call(107, 0, 0, 0); // geteuid
        this.myGid = (int) HostSyscall.call(108, 0, 0, 0); // getegid
        made.put("", Kind.DIR);
    }

    long members() { return members; }

    /** Warnings for what the host could not keep (empty when all was kept). */
    List<String> warnings() {
        List<String> w = new ArrayList<>();
        if (ownersLost > 0) w.add(ownersLost + " symlinks or FIFOs keep lxrun's owner (the host cannot record another owner on them)");
        if (xattrsLost > 0) w.add(xattrsLost + " extended attributes could not be set on the host (e.g. security.* needs root)");
        return w;
    }

    void unpack(InputStream tarStream) throws IOException, ImportException {
        RawHeaders raw = new RawHeaders(tarStream);
        TarArchiveInputStream tar = new TarArchiveInputStream(raw, StandardCharsets.ISO_8859_1.name());
        TarArchiveEntry e;
        long prevEnd = 0;
        while (true) {
            raw.capture();
            e = tar.getNextEntry();
            if (e == null) break;
            String spelled = raw.memberName(prevEnd);
            if (spelled != null && spelled.startsWith("/")) {
                throw new ImportException("member " + MemberName.show(spelled) + " has an absolute name");
            }
            long dataStart = raw.position();
            unpackOne(tar, e);
            prevEnd = dataStart + (e.getSize() + 511) / 512 * 512;
            members++;
        }
        if (members == 0) throw new ImportException("not a tar archive (no members found)");
        raw.checkEnd(prevEnd);
        finishDirectories();
    }

    private void unpackOne(TarArchiveInputStream tar, TarArchiveEntry e) throws IOException, ImportException {
        String shown = e.getName();
        String rel = MemberName.normalize(shown);
        checkParents(rel, shown);
        byte[] name = MemberName.bytes(rel.isEmpty() ? "." : rel);
        int mode = e.getMode() & 07777;
        int uid = (int) e.getLongUserId(), gid = (int) e.getLongGroupId();
        long sec = e.getLastModifiedTime().toInstant().getEpochSecond(), nsec = e.getLastModifiedTime().toInstant().getNano();
        Map<String, byte[]> xattrs = xattrs(e);
        if (e.isDirectory()) {
            Kind k = made.get(rel);
            if (k == null) {
                long r = HostTree.mkdir(s, rootFd, name, 0700);
                if (r < 0) throw fail(shown, r);
                made.put(rel, Kind.DIR);
            } else if (k != Kind.DIR) {
                replace(rel, name, shown);
                long r = HostTree.mkdir(s, rootFd, name, 0700);
                if (r < 0) throw fail(shown, r);
                made.put(rel, Kind.DIR);
            }
            dirs.put(rel, new DirMeta(rel, mode, uid, gid, sec, nsec, xattrs));
            return;
        }
        if (rel.isEmpty()) throw new ImportException("member " + MemberName.show(shown) + " replaces the root with a non-directory");
        replace(rel, name, shown);
        if (e.isLink()) {
            String target = MemberName.normalize(e.getLinkName());
            Kind tk = made.get(target);
            if (tk == null) throw new ImportException("member " + MemberName.show(shown) + " is a hard link to "
                    + MemberName.show(e.getLinkName()) + ", which is not in the archive before it");
            if (tk == Kind.DIR) throw new ImportException("member " + MemberName.show(shown) + " is a hard link to a directory");
            long r = HostTree.link(s, rootFd, MemberName.bytes(target), name);
            if (r < 0) throw fail(shown, r);
            made.put(rel, tk);
        } else if (e.isSymbolicLink()) {
            long r = HostTree.symlink(s, MemberName.bytes(e.getLinkName()), rootFd, name);
            if (r < 0) throw fail(shown, r);
            made.put(rel, Kind.SYMLINK);
            owner(name, uid, gid, false);
            setXattrs(name, xattrs);
            HostTree.setTimes(s, rootFd, name, sec, nsec);
        } else if (e.isCharacterDevice() || e.isBlockDevice()) {
            int type = e.isCharacterDevice() ? HostTree.S_IFCHR : HostTree.S_IFBLK;
            long dev = devNumber(e.getDevMajor(), e.getDevMinor());
            int fd = HostTree.open(s, rootFd, name, HostTree.O_WRONLY | HostTree.O_CREAT | HostTree.O_EXCL | HostTree.O_NOFOLLOW, 0600);
            if (fd < 0) throw fail(shown, fd);
            try {
                boolean hostChown = hostOwners && HostSyscall.call(HostSyscall.FCHOWN, fd, uid, gid) >= 0;
                LinuxMetadata m = new LinuxMetadata(hostChown || uid == myUid ? -1 : uid, hostChown || gid == myGid ? -1 : gid, type, dev);
                long r = LinuxMetadata.writePath("/proc/self/fd/" + fd, true, m);
                if (r < 0) throw new ImportException("member " + MemberName.show(shown) + ": cannot record the device node in "
                        + LinuxMetadata.ATTRIBUTE + ": " + HostTree.strerror(r) + " (does the file system support user extended attributes?)");
                HostSyscall.call(HostSyscall.FCHMOD, fd, mode, 0);
            } finally {
                HostPosix.close(fd);
            }
            setXattrs(name, xattrs);
            HostTree.setTimes(s, rootFd, name, sec, nsec);
            made.put(rel, Kind.OTHER);
        } else if (e.isFIFO()) {
            long r = HostTree.mknod(s, rootFd, name, HostTree.S_IFIFO | 0600, 0);
            if (r < 0) throw fail(shown, r);
            owner(name, uid, gid, false);
            HostTree.chmod(s, rootFd, name, mode);
            setXattrs(name, xattrs);
            HostTree.setTimes(s, rootFd, name, sec, nsec);
            made.put(rel, Kind.OTHER);
        } else if (isRegular(e)) {
            writeFile(tar, e, name, shown, mode, uid, gid, sec, nsec, xattrs);
            made.put(rel, Kind.FILE);
        } else {
            throw new ImportException("member " + MemberName.show(shown) + " has a type lxrun cannot unpack ('" + (char) e.getLinkFlag() + "')");
        }
    }

    /** Commons Compress calls every non-directory a file; only these flags are regular files. */
    private static boolean isRegular(TarArchiveEntry e) {
        byte f = e.getLinkFlag();
        return f == '0' || f == 0 || f == '7';
    }

    private void writeFile(TarArchiveInputStream tar, TarArchiveEntry e, byte[] name, String shown, int mode, int uid, int gid,
            long sec, long nsec, Map<String, byte[]> xattrs) throws IOException, ImportException {
        int fd = HostTree.open(s, rootFd, name, HostTree.O_WRONLY | HostTree.O_CREAT | HostTree.O_EXCL | HostTree.O_NOFOLLOW, 0600);
        if (fd < 0) throw fail(shown, fd);
        try {
            long left = e.getSize();
            while (left > 0) {
                int n = tar.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) throw new ImportException("truncated archive: member " + MemberName.show(shown) + " ends early");
                long w = HostTree.writeAll(s, fd, buf, n);
                if (w < 0) throw fail(shown, w);
                left -= n;
            }
            // Owner first: a chown clears the setuid and setgid bits the mode then sets.
            if (hostOwners) {
                long r = HostSyscall.call(HostSyscall.FCHOWN, fd, uid, gid);
                if (r < 0) recordOwner("/proc/self/fd/" + fd, shown, uid, gid);
            } else if (uid != myUid || gid != myGid) {
                recordOwner("/proc/self/fd/" + fd, shown, uid, gid);
            }
            long r = HostSyscall.call(HostSyscall.FCHMOD, fd, mode, 0);
            if (r < 0) throw fail(shown, r);
            if (!xattrs.isEmpty()) setXattrs(name, xattrs);
            HostTree.setTimes(s, fd, sec, nsec);
        } finally {
            HostPosix.close(fd);
        }
    }

    /** Sets a member's owner on the host, or records it in the metadata attribute when the host cannot hold it. */
    private void owner(byte[] name, int uid, int gid, boolean holdsAttributes) throws ImportException {
        if (hostOwners && HostTree.chown(s, rootFd, name, uid, gid) >= 0) return;
        if (uid == myUid && gid == myGid) return;
        if (holdsAttributes) recordOwner(procPath(name), new String(name, StandardCharsets.ISO_8859_1), uid, gid);
        else ownersLost++;
    }

    private void recordOwner(String hostPath, String shown, int uid, int gid) throws ImportException {
        long r = LinuxMetadata.writePath(hostPath, true, new LinuxMetadata(uid, gid, -1, 0));
        if (r < 0) throw new ImportException("member " + MemberName.show(shown) + ": cannot record its owner in "
                + LinuxMetadata.ATTRIBUTE + ": " + HostTree.strerror(r) + " (does the file system support user extended attributes?)");
    }

    private String procPath(byte[] name) {
        return new String(HostTree.procPath(rootFd, name), StandardCharsets.ISO_8859_1);
    }

    /** Every proper ancestor must be a directory this import made; missing ones are made (tar allows omitting them). */
    private void checkParents(String rel, String shown) throws ImportException {
        if (rel.isEmpty()) return;
        int from = 0;
        while (true) {
            int slash = rel.indexOf('/', from);
            if (slash < 0) return;
            String prefix = rel.substring(0, slash);
            Kind k = made.get(prefix);
            if (k == null) {
                long r = HostTree.mkdir(s, rootFd, MemberName.bytes(prefix), 0700);
                if (r < 0) throw fail(shown, r);
                made.put(prefix, Kind.DIR);
                dirs.put(prefix, new DirMeta(prefix, 0755, myUid, myGid, System.currentTimeMillis() / 1000, 0, Map.of()));
            } else if (k == Kind.SYMLINK) {
                throw new ImportException("member " + MemberName.show(shown) + " would be written through the symlink "
                        + MemberName.show(prefix) + " of the archive");
            } else if (k != Kind.DIR) {
                throw new ImportException("member " + MemberName.show(shown) + ": " + MemberName.show(prefix) + " is not a directory");
            }
            from = slash + 1;
        }
    }

    /** A later member of the same name replaces an earlier one, as tar -x does; a directory is only replaced by a directory. */
    private void replace(String rel, byte[] name, String shown) throws ImportException {
        Kind k = made.get(rel);
        if (k == null) return;
        if (k == Kind.DIR) throw new ImportException("member " + MemberName.show(shown) + " would replace a directory");
        long r = HostTree.unlink(s, rootFd, name, false);
        if (r < 0) throw fail(shown, r);
        made.remove(rel);
    }

    private void finishDirectories() throws ImportException {
        List<DirMeta> all = new ArrayList<>(dirs.values());
        // Deepest last made first: a directory's own mode (0555, say) must not stop writing inside
        // it, and writing inside changes its time.
        for (int i = all.size() - 1; i >= 0; i--) {
            DirMeta d = all.get(i);
            byte[] name = MemberName.bytes(d.rel().isEmpty() ? "." : d.rel());
            owner(name, d.uid(), d.gid(), true);
            long r = HostTree.chmod(s, rootFd, name, d.mode());
            if (r < 0) throw fail(d.rel(), r);
            setXattrs(name, d.xattrs());
            HostTree.setTimes(s, rootFd, name, d.sec(), d.nsec());
        }
    }

    /** The member's extended attributes: pax SCHILY.xattr.NAME (GNU tar) and LIBARCHIVE.xattr.NAME (base64, bsdtar). */
    private static Map<String, byte[]> xattrs(TarArchiveEntry e) {
        Map<String, String> pax = e.getExtraPaxHeaders();
        if (pax.isEmpty()) return Map.of();
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : pax.entrySet()) {
            String k = h.getKey();
            if (k.startsWith("SCHILY.xattr.")) {
                out.put(k.substring("SCHILY.xattr.".length()), h.getValue().getBytes(StandardCharsets.UTF_8));
            } else if (k.startsWith("LIBARCHIVE.xattr.")) {
                String attr = java.net.URLDecoder.decode(k.substring("LIBARCHIVE.xattr.".length()), StandardCharsets.ISO_8859_1);
                try {
                    out.put(attr, Base64.getDecoder().decode(h.getValue().strip()));
                } catch (IllegalArgumentException bad) {
                    // A damaged value is dropped like an unsettable one.
                }
            }
        }
        // lxrun's own attribute is never taken from an archive: export writes what it says as
        // the members' owners and types, and a crafted one must not invent device nodes.
        out.remove(LinuxMetadata.ATTRIBUTE);
        return out;
    }

    private void setXattrs(byte[] name, Map<String, byte[]> xattrs) {
        if (xattrs.isEmpty()) return;
        byte[] path = HostTree.procPath(rootFd, name);
        for (Map.Entry<String, byte[]> x : xattrs.entrySet()) {
            if (HostTree.setXattr(s, path, x.getKey(), x.getValue()) < 0) xattrsLost++;
        }
    }

    static long devNumber(int major, int minor) {
        return ((long) (major & 0xfff) << 8) | (minor & 0xff) | ((long) (minor & ~0xff) << 12) | ((long) (major & ~0xfff) << 32);
    }

    private static ImportException fail(String shown, long negErrno) {
        return new ImportException("member " + MemberName.show(shown) + ": " + HostTree.strerror(negErrno));
    }

    @Override
    public void close() {
        s.close();
    }
}
