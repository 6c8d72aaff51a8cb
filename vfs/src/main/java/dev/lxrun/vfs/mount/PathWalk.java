package dev.lxrun.vfs.mount;

import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.host.HostPosix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Resolves guest paths across the mount table one component at a time, as Linux's namei does,
 * deciding every boundary by identity (device+inode and mount), never by a remembered path:
 * <ul>
 * <li>each name is opened O_PATH|O_NOFOLLOW relative to its directory's host descriptor, so one
 *     name cannot leave its directory;
 * <li>a directory whose identity is a mount point in the table is replaced by that mount's root;
 * <li>".." stays at the walk's root (the guest's root, a chroot, openat2's dirfd under
 *     RESOLVE_IN_ROOT, or the start of a relative walk from a directory on no mount, such as a
 *     descriptor received from a host process) and at the root of the mount tree; at a mount's
 *     root it moves to the covered directory
 *     in the parent mount and goes on from there; anywhere else it is the host's "..";
 * <li>before a host ".." from a directory the walk did not reach from a mount root itself (the
 *     cwd, a dirfd, a mount point), the walk checks that the directory still lies below its
 *     mount's root by climbing with the host's ".." and comparing identities. A directory moved
 *     out of its mount's tree (overlapping bind mounts, or a rename on the host) is
 *     "disconnected" and ".." from it is ENOENT, as Linux's path_connected says.
 * </ul>
 * Symlinks are read and spliced (absolute targets restart at the walk's root). Nothing outside
 * the root or a mount's host directory is ever named to the host.
 */
public final class PathWalk {
    public static final int MAX_SYMLINKS = 40;
    private static final int O_PATH = 010000000, O_NOFOLLOW = 0400000, O_CLOEXEC = 02000000, O_DIRECTORY = 0200000;
    private static final int S_IFMT = 0170000, S_IFDIR = 0040000, S_IFLNK = 0120000, AT_SYMLINK_NOFOLLOW = 0x100;
    /** openat2 resolve flags the walk honours itself. */
    public static final long RESOLVE_NO_XDEV = 0x01, RESOLVE_NO_SYMLINKS = 0x04, RESOLVE_BENEATH = 0x08, RESOLVE_IN_ROOT = 0x10;
    /** Deeper than any real tree: a climb that does not end by then is treated as disconnected. */
    private static final int MAX_DEPTH = 4096;

    private final MountTable mounts;

    public PathWalk(MountTable mounts) {
        this.mounts = mounts;
    }

    public MountTable mounts() {
        return mounts;
    }

    /** The directory absolute paths start at and ".." never climbs above (the guest root or a chroot). */
    public record Root(int fd, Mount mount, FileId id) {
        public static Root of(int fd, Mount mount) {
            return new Root(fd, mount, FileId.of(fd));
        }
    }

    /**
     * Where a relative lookup starts: the cwd or a dirfd, already open (the caller keeps the
     * descriptor), with the mount it was opened through; mount null for a directory that is on
     * no mount of this kernel (received from a host process), which is then its own root.
     */
    public record Start(int fd, Mount mount) {}

    /** A directory or file reached by a walk: an O_PATH host descriptor the caller owns. */
    public record Node(int fd, Mount mount) {}

    /** The outcome of a walk: a node, the directory holding a last name, or an errno. */
    public sealed interface Result permits Found, Parent, Failed {}

    public record Found(Node node) implements Result {}

    /** The last component was not looked up: dir holds it (the caller owns dir.fd). */
    public record Parent(Node dir, String name, int linksUsed) implements Result {}

    public record Failed(int errno) implements Result {}

    /**
     * A directory on the way. owned: the walk opened fd and closes it. connected: known to lie
     * below its mount's root (reached from a mount root downwards, or checked).
     */
    private record Dir(int fd, Mount mount, FileId id, boolean owned, boolean connected) {}

    private static final class Failure extends Exception {
        final int errno;

        Failure(int errno) {
            super(null, null, false, false);
            this.errno = errno;
        }
    }

    /**
     * Walks path: from root when absolute, else from start (root when start is null). With
     * stopAtParent the last component (a plain name) is returned unresolved unless it is a mount
     * point; otherwise a trailing symlink is followed when followLast (or the path ends in "/").
     * RESOLVE_BENEATH and RESOLVE_IN_ROOT make start the root (BENEATH: leaving it is EXDEV).
     */
    public Result walk(String path, Start start, Root root, boolean followLast, boolean stopAtParent, long resolveFlags,
            int linksUsed) {
        boolean beneath = (resolveFlags & RESOLVE_BENEATH) != 0;
        boolean ownRoot = beneath || (resolveFlags & RESOLVE_IN_ROOT) != 0;
        boolean relative = !path.startsWith("/");
        // A directory on no mount of this kernel is the root of what can be reached from it.
        if (start != null && (ownRoot || (relative && start.mount() == null))) {
            root = new Root(start.fd(), start.mount(), FileId.of(start.fd()));
        }
        if (beneath && path.startsWith("/")) return new Failed(Errno.EXDEV);
        Walker w = new Walker(root, resolveFlags, beneath);
        Dir cur = path.startsWith("/") || start == null || ownRoot ? w.atRoot()
                : new Dir(start.fd(), start.mount(), FileId.of(start.fd()), false, false);
        try {
            return w.run(cur, path, followLast, stopAtParent, linksUsed);
        } catch (Failure f) {
            return new Failed(f.errno);
        }
    }

    private final class Walker {
        private final Root root;
        private final long flags;
        private final boolean beneath;
        private Dir cur;

        Walker(Root root, long flags, boolean beneath) {
            this.root = root;
            this.flags = flags;
            this.beneath = beneath;
        }

        Dir atRoot() {
            Mount m = root.mount();
            return new Dir(root.fd(), m, root.id(), false, m != null && root.id() != null && root.id().equals(m.rootId()));
        }

        Result run(Dir begin, String path, boolean followLast, boolean stopAtParent, int linksUsed) throws Failure {
            cur = begin;
            boolean trailingSlash = path.length() > 1 && path.endsWith("/");
            Deque<String> todo = components(path);
            int links = linksUsed;
            try (Arena a = Arena.ofConfined()) {
                MemorySegment stat = a.allocate(144);
                MemorySegment linkBuf = null;
                while (!todo.isEmpty()) {
                    String name = todo.pollFirst();
                    boolean last = todo.isEmpty();
                    if (name.equals(".")) continue;
                    if (name.equals("..")) {
                        up();
                        continue;
                    }
                    if (last && stopAtParent) {
                        Mount m = mountOn(a, stat, name);
                        if (m == null) return new Parent(keep(), trailingSlash ? name + "/" : name, links);
                        enterMount(m);
                        break;
                    }
                    int fd = HostPosix.openat(cur.fd(), cName(a, name), O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
                    if (fd < 0) throw new Failure(-fd);
                    int type = 0;
                    FileId id = null;
                    if (HostPosix.fstat(fd, stat) == 0) {
                        type = stat.get(ValueLayout.JAVA_INT, 24) & S_IFMT;
                        id = FileId.of(stat);
                    }
                    if (type == S_IFLNK && (!last || followLast || trailingSlash)) {
                        if ((flags & RESOLVE_NO_SYMLINKS) != 0 || ++links > MAX_SYMLINKS) {
                            HostPosix.close(fd);
                            throw new Failure(Errno.ELOOP);
                        }
                        if (linkBuf == null) linkBuf = a.allocate(4096);
                        long n = HostPosix.readlinkat(fd, cName(a, ""), linkBuf);
                        HostPosix.close(fd);
                        if (n < 0) throw new Failure((int) -n);
                        if (n == 0) throw new Failure(Errno.ENOENT);
                        String target = new String(linkBuf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.ISO_8859_1);
                        Deque<String> spliced = components(target);
                        // a slash at the end of the path, or of the link's own text, asks for a directory
                        if ((last && trailingSlash) || (target.length() > 1 && target.endsWith("/"))) spliced.addLast(".");
                        while (!spliced.isEmpty()) todo.addFirst(spliced.pollLast());
                        if (target.startsWith("/")) {
                            if (beneath) throw new Failure(Errno.EXDEV);
                            replace(atRoot());
                        }
                        continue;
                    }
                    if ((!last || trailingSlash) && type != S_IFDIR) {
                        HostPosix.close(fd);
                        throw new Failure(Errno.ENOTDIR);
                    }
                    replace(new Dir(fd, cur.mount(), id, true, cur.connected()));
                    if (type == S_IFDIR) {
                        for (Mount m = mounts.at(cur.mount(), id); m != null; m = mounts.at(m, m.rootId())) enterMount(m);
                    }
                }
                return new Found(keep());
            } finally {
                drop(cur);
            }
        }

        /** The mount standing on name in the current directory, without following a symlink there. */
        private Mount mountOn(Arena a, MemorySegment stat, String name) {
            if (mounts.onlyRoot()) return null;
            if (HostPosix.fstatat(cur.fd(), cName(a, name), stat, AT_SYMLINK_NOFOLLOW) != 0) return null;
            if ((stat.get(ValueLayout.JAVA_INT, 24) & S_IFMT) != S_IFDIR) return null;
            Mount m = mounts.at(cur.mount(), FileId.of(stat));
            if (m == null) return null;
            for (Mount over = mounts.at(m, m.rootId()); over != null; over = mounts.at(over, over.rootId())) m = over;
            return m;
        }

        private void enterMount(Mount m) throws Failure {
            if ((flags & RESOLVE_NO_XDEV) != 0) throw new Failure(Errno.EXDEV);
            replace(new Dir(m.hostFd(), m, m.rootId(), false, true));
        }

        /** "..": see the class comment. */
        private void up() throws Failure {
            while (true) {
                if (isRoot(cur)) {
                    if (beneath) throw new Failure(Errno.EXDEV);
                    return;
                }
                Mount m = cur.mount();
                if (cur.id() == null) return;
                if (m != null && cur.id().equals(m.rootId())) {
                    if (m.parent() == null) return;
                    if ((flags & RESOLVE_NO_XDEV) != 0) throw new Failure(Errno.EXDEV);
                    replace(new Dir(m.pointFd(), m.parent(), m.pointId(), false, false));
                    continue;
                }
                if (!cur.connected() && !connected(cur)) throw new Failure(Errno.ENOENT);
                int fd;
                try (Arena a = Arena.ofConfined()) {
                    fd = HostPosix.openat(cur.fd(), cName(a, ".."), O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
                }
                if (fd < 0) throw new Failure(-fd);
                replace(new Dir(fd, m, FileId.of(fd), true, true));
                return;
            }
        }

        private boolean isRoot(Dir d) {
            return d.mount() == root.mount() && d.id() != null && d.id().equals(root.id());
        }

        /**
         * Whether d lies below its mount's root (or the walk's root on the same mount): climbs with
         * the host's ".." comparing identities. Reaching the host's own root (".." is itself)
         * without meeting either means d was moved out of the mount's tree.
         */
        private boolean connected(Dir d) {
            FileId mountRoot = d.mount() == null ? null : d.mount().rootId();
            FileId ourRoot = root.mount() == d.mount() ? root.id() : null;
            int fd = d.fd();
            FileId id = d.id();
            try (Arena a = Arena.ofConfined()) {
                MemorySegment dotdot = cName(a, "..");
                for (int depth = 0; depth < MAX_DEPTH; depth++) {
                    if (id.equals(mountRoot) || id.equals(ourRoot)) return true;
                    int up = HostPosix.openat(fd, dotdot, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
                    if (fd != d.fd()) HostPosix.close(fd);
                    fd = -1;
                    if (up < 0) return false;
                    fd = up;
                    FileId upId = FileId.of(up);
                    if (upId == null || upId.equals(id)) return false;
                    id = upId;
                }
                return false;
            } finally {
                if (fd >= 0 && fd != d.fd()) HostPosix.close(fd);
            }
        }

        private void replace(Dir next) {
            drop(cur);
            cur = next;
        }

        /** The node handed to the caller always has a descriptor of its own; cur is then given up. */
        private Node keep() {
            Dir d = cur;
            cur = null;
            int fd = d.owned() ? d.fd() : HostPosix.fcntl(d.fd(), 1030 /* F_DUPFD_CLOEXEC */, 0);
            return new Node(fd, d.mount());
        }
    }

    private static void drop(Dir d) {
        if (d != null && d.owned() && d.fd() >= 0) HostPosix.close(d.fd());
    }

    private static MemorySegment cName(Arena a, String name) {
        return HostPosix.cString(a, name.getBytes(StandardCharsets.ISO_8859_1));
    }

    static Deque<String> components(String path) {
        Deque<String> out = new ArrayDeque<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty()) out.addLast(p);
        }
        return out;
    }
}
