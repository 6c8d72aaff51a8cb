package dev.lxrun.vfs.mount;

import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.host.HostPosix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Resolves guest paths across the mount table one component at a time, as Linux's namei does:
 * each name is opened O_PATH|O_NOFOLLOW relative to its directory's host descriptor (a single
 * name cannot leave that directory), symlinks are read and spliced into the rest of the path
 * (absolute targets restart at the guest root), ".." pops the walk's own stack of directories
 * (so at a mount's root it returns to the directory holding the mount point, and at the guest
 * root it stays), and a directory that is a mount point is replaced by that mount's root.
 * Nothing outside the root or a mount's host directory is ever named to the host.
 */
public final class PathWalk {
    public static final int MAX_SYMLINKS = 40;
    private static final int O_PATH = 010000000, O_NOFOLLOW = 0400000, O_CLOEXEC = 02000000, O_DIRECTORY = 0200000;
    private static final int S_IFMT = 0170000, S_IFDIR = 0040000, S_IFLNK = 0120000;
    /** openat2 resolve flags a guest may ask for; the walk honours them itself. */
    public static final long RESOLVE_NO_XDEV = 0x01, RESOLVE_NO_SYMLINKS = 0x04;

    private final MountTable mounts;

    public PathWalk(MountTable mounts) {
        this.mounts = mounts;
    }

    public MountTable mounts() {
        return mounts;
    }

    /** A directory or file reached by a walk: an O_PATH host descriptor the caller owns. */
    public record Node(int fd, Mount mount, String guestPath) {}

    /** The outcome of a walk: a node, the directory holding a last name, or an errno. */
    public sealed interface Result permits Found, Parent, Failed {}

    public record Found(Node node) implements Result {}

    /** The last component was not looked up: dir holds it (the caller owns dir.fd). */
    public record Parent(Node dir, String name, int linksUsed) implements Result {}

    public record Failed(int errno) implements Result {}

    private record Level(int fd, Mount mount, String path, boolean owned) {
        /** An ancestor of the start directory not opened yet (fd -1): opened when ".." reaches it. */
        boolean lazy() {
            return fd < 0;
        }
    }

    /**
     * Where a relative lookup starts: the cwd or a dirfd, already open (the caller keeps the
     * descriptor), with its canonical guest path. Linux resolves relative paths from there and
     * checks search permission from there on only, not on the directories above it.
     */
    public record Start(int fd, String guestPath) {
        /** Whether a lookup of this path can begin here: the path lies below a start other than the root. */
        public boolean leadsTo(String absolute) {
            return !guestPath.equals("/") && (absolute.startsWith(guestPath + "/") || absolute.equals(guestPath));
        }
    }

    /**
     * Walks a canonical or not absolute guest path. With stopAtParent the last component (which
     * must be a plain name, not "." or "..") is returned unresolved unless it is a mount point;
     * otherwise a trailing symlink is followed when followLast (or the path ends in "/").
     */
    public Result walk(String absolute, boolean followLast, boolean stopAtParent, long resolveFlags, int linksUsed) {
        return walk(absolute, followLast, stopAtParent, resolveFlags, linksUsed, null);
    }

    /** walk, starting at start when the path lies below it (a relative lookup made absolute). */
    public Result walk(String absolute, boolean followLast, boolean stopAtParent, long resolveFlags, int linksUsed, Start start) {
        boolean trailingSlash = absolute.length() > 1 && absolute.endsWith("/");
        Deque<Level> stack = new ArrayDeque<>();
        Mount root = mounts.root();
        stack.push(new Level(root.hostFd(), root, "/", false));
        Deque<String> todo;
        if (start != null && start.leadsTo(absolute)) {
            String prefix = "";
            Deque<String> ancestors = components(start.guestPath());
            String last = ancestors.pollLast();
            for (String name : ancestors) {
                prefix = prefix + "/" + name;
                stack.push(new Level(-1, mounts.containing(prefix), prefix, false));
            }
            stack.push(new Level(start.fd(), mounts.containing(start.guestPath()), prefix + "/" + last, false));
            todo = components(absolute.substring(start.guestPath().length()));
        } else {
            todo = components(absolute);
        }
        int links = linksUsed;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment stat = a.allocate(144);
            MemorySegment linkBuf = null;
            while (!todo.isEmpty()) {
                String name = todo.pollFirst();
                boolean last = todo.isEmpty();
                if (name.equals(".")) continue;
                if (name.equals("..")) {
                    if (stack.size() > 1) {
                        Level from = stack.pop();
                        if (stack.peek().lazy()) {
                            int fd = openParent(from);
                            if (fd < 0) {
                                drop(from);
                                return new Failed(-fd);
                            }
                            Level parent = stack.pop();
                            stack.push(new Level(fd, parent.mount, parent.path, true));
                        }
                        drop(from);
                    }
                    continue;
                }
                Level top = stack.peek();
                String childPath = top.path.equals("/") ? "/" + name : top.path + "/" + name;
                Mount m = mounts.at(childPath);
                if (m != null) {
                    if ((resolveFlags & RESOLVE_NO_XDEV) != 0) return new Failed(Errno.EXDEV);
                    stack.push(new Level(m.hostFd(), m, childPath, false));
                    continue;
                }
                if (last && stopAtParent) {
                    Level dir = stack.pop();
                    return new Parent(keep(dir), trailingSlash ? name + "/" : name, links);
                }
                int fd = HostPosix.openat(top.fd, cName(a, name), O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
                if (fd < 0) return new Failed(-fd);
                int r = HostPosix.fstat(fd, stat);
                int type = r < 0 ? 0 : stat.get(java.lang.foreign.ValueLayout.JAVA_INT, 24) & S_IFMT;
                if (type == S_IFLNK && (!last || followLast || trailingSlash)) {
                    if ((resolveFlags & RESOLVE_NO_SYMLINKS) != 0 || ++links > MAX_SYMLINKS) {
                        HostPosix.close(fd);
                        return new Failed(Errno.ELOOP);
                    }
                    if (linkBuf == null) linkBuf = a.allocate(4096);
                    long n = HostPosix.readlinkat(fd, cName(a, ""), linkBuf);
                    HostPosix.close(fd);
                    if (n < 0) return new Failed((int) -n);
                    if (n == 0) return new Failed(Errno.ENOENT);
                    String target = new String(linkBuf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                            StandardCharsets.ISO_8859_1);
                    Deque<String> spliced = components(target);
                    if (last && trailingSlash) spliced.addLast(".");
                    while (!spliced.isEmpty()) todo.addFirst(spliced.pollLast());
                    if (target.startsWith("/")) {
                        while (stack.size() > 1) drop(stack.pop());
                    }
                    continue;
                }
                if ((!last || trailingSlash) && type != S_IFDIR) {
                    HostPosix.close(fd);
                    return new Failed(Errno.ENOTDIR);
                }
                stack.push(new Level(fd, top.mount, childPath, true));
            }
            if (stopAtParent && !(stack.size() > 1 && stack.peek().mount.guestPath().equals(stack.peek().path))) {
                // The path ended in ".", "..", or was "/": there is no last name to hand back.
                return new Failed(Errno.EINVAL);
            }
            return new Found(keep(stack.pop()));
        } finally {
            while (!stack.isEmpty()) drop(stack.pop());
        }
    }

    /**
     * The directory above a level, for ".." into an ancestor of the start not opened yet: the
     * host's ".." inside a mount, or a fresh walk when the level is a mount's root (its parent
     * is in the mount below).
     */
    private int openParent(Level from) {
        if (!from.path.equals(from.mount.guestPath())) {
            try (Arena a = Arena.ofConfined()) {
                return HostPosix.openat(from.fd, cName(a, ".."), O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
            }
        }
        String up = from.path.substring(0, from.path.lastIndexOf('/'));
        Result r = walk(up.isEmpty() ? "/" : up, true, false, 0, 0, null);
        return r instanceof Found f ? f.node().fd() : -((Failed) r).errno();
    }

    /** Resolves a path to the file it names (following a trailing symlink when follow). */
    public Result resolve(String absolute, boolean follow) {
        return walk(absolute, follow, false, 0, 0);
    }



    /** The node handed to the caller always has a descriptor of its own. */
    private static Node keep(Level l) {
        int fd = l.owned ? l.fd : HostPosix.fcntl(l.fd, 1030 /* F_DUPFD_CLOEXEC */, 0);
        return new Node(fd, l.mount, l.path);
    }

    private static void drop(Level l) {
        if (l.owned && l.fd >= 0) HostPosix.close(l.fd);
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
