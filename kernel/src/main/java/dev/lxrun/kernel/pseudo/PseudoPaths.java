package dev.lxrun.kernel.pseudo;

import dev.lxrun.kernel.Task;
import dev.lxrun.vfs.FileDescription;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/** Routing of guest paths into the synthetic filesystems mounted in the kernel (procfs). */
public final class PseudoPaths {
    public static final int AT_FDCWD = -100;
    private static final int MAX_LINKS = 8;

    private PseudoPaths() {}

    /** A path that lands in a pseudo filesystem: the filesystem, the path inside it, the node (null: ENOENT). */
    public record Hit(PseudoFileSystem fs, String absolute, PseudoNode node) {}

    /**
     * The pseudo-filesystem entry a (dirfd, path) names, or null when the path is the host's.
     * followLast says whether a link in the last component is followed into another pseudo path.
     */
    public static Hit find(Task t, int dirfd, byte[] rawPath, boolean followLast) {
        if (t.kernel().pseudoFileSystems().isEmpty()) return null;
        String path = new String(rawPath, StandardCharsets.ISO_8859_1);
        // "self/" names the directory the link leads to, whatever the call (lstat, O_NOFOLLOW).
        if (path.endsWith("/")) followLast = true;
        String abs;
        if (path.startsWith("/")) {
            abs = path;
        } else if (dirfd == AT_FDCWD) {
            abs = t.process.fs.cwd() + "/" + path;
        } else {
            FileDescription f = t.process.fds.get(dirfd);
            if (!(f instanceof PseudoFile pf)) return null;
            abs = pf.guestPath() + "/" + path;
        }
        for (int depth = 0; ; depth++) {
            String norm = normalise(abs);
            PseudoFileSystem fs = owner(t, norm);
            if (fs == null) return null;
            String rel = norm.length() == fs.mountPoint().length() ? "" : norm.substring(fs.mountPoint().length() + 1);
            PseudoNode node = fs.lookup(t, rel);
            if (followLast && node instanceof PseudoNode.Link link && link.hostPath() == null && depth < MAX_LINKS) {
                // "self" -> "1234": a relative target is relative to the link's directory.
                abs = link.target().startsWith("/") ? link.target() : norm.substring(0, norm.lastIndexOf('/')) + "/" + link.target();
                continue;
            }
            String canonical = fs.canonicalPath(t, rel);
            if (!canonical.equals(rel)) norm = canonical.isEmpty() ? fs.mountPoint() : fs.mountPoint() + "/" + canonical;
            return new Hit(fs, norm, node);
        }
    }

    private static PseudoFileSystem owner(Task t, String abs) {
        for (PseudoFileSystem fs : t.kernel().pseudoFileSystems()) {
            String m = fs.mountPoint();
            if (abs.equals(m) || abs.startsWith(m + "/")) return fs;
        }
        return null;
    }

    /** Resolves ".", ".." and repeated slashes lexically (procfs has no symlinked directories but self). */
    static String normalise(String abs) {
        Deque<String> parts = new ArrayDeque<>();
        for (String p : abs.split("/")) {
            if (p.isEmpty() || p.equals(".")) continue;
            if (p.equals("..")) {
                if (!parts.isEmpty()) parts.removeLast();
                continue;
            }
            parts.addLast(p);
        }
        return "/" + String.join("/", parts);
    }
}
