package dev.lxrun.vfs.mount;

import dev.lxrun.vfs.host.HostPosix;
import java.nio.charset.StandardCharsets;

/**
 * The guest path of an open directory or file, computed when asked (getcwd, /proc/PID/cwd and
 * fd links, /proc/mounts) as Linux's d_path computes it: from where the file is now, not from
 * the path it was opened by. The host kernel knows where each descriptor's file is (its
 * /proc/self/fd link, kept current across renames); the part below the mount's host directory
 * is the path inside the mount, and the mount point's own path (by its descriptor, recursively)
 * is put in front. Used for names only; no access is decided from them.
 */
public final class GuestNames {
    /** What Linux's getcwd puts in front of a directory outside the caller's root. */
    public static final String UNREACHABLE = "(unreachable)";
    private static final String DELETED = " (deleted)";

    private GuestNames() {}

    /**
     * The path of the file open at fd (on mount m) as seen from root: "/…" below the root,
     * "(unreachable)/…" elsewhere in the mount tree (the path from the tree's top), and
     * "(unreachable)/NAME" when it has left its mount's tree altogether.
     */
    public static String of(int fd, Mount m, PathWalk.Root root) {
        String whole = inTree(fd, m);
        if (whole == null) return UNREACHABLE + "/" + lastName(fd);
        String top = root == null || root.mount() == null ? "/" : inTree(root.fd(), root.mount());
        if (top == null) return UNREACHABLE + whole;
        if (top.equals("/")) return whole;
        if (whole.equals(top)) return "/";
        if (whole.startsWith(top + "/")) return whole.substring(top.length());
        return UNREACHABLE + whole;
    }

    /**
     * The guest path of a host path (a program's file, a descriptor the guest got from the
     * host): through the mount whose host directory holds it most closely, as root sees it;
     * null when no mount holds it or it lies outside root.
     */
    public static String fromHost(String hostPath, MountTable mounts, PathWalk.Root root) {
        String best = null;
        int bestLength = -1;
        for (Mount m : mounts.all()) {
            if (!mounts.visible(m)) continue;
            String dir = link(m.hostFd());
            String rel = below(hostPath, dir);
            if (rel == null || dir.length() <= bestLength) continue;
            String point = inTree(m.hostFd(), m);
            if (point == null) continue;
            best = point.equals("/") ? rel : rel.equals("/") ? point : point + rel;
            bestLength = dir.length();
        }
        if (best == null) return null;
        String top = root == null || root.mount() == null ? "/" : inTree(root.fd(), root.mount());
        if (top == null) return null;
        if (top.equals("/")) return best;
        if (best.equals(top)) return "/";
        return best.startsWith(top + "/") ? best.substring(top.length()) : null;
    }

    /** The path of fd from the top of the mount tree, or null when it lies outside its mount's host directory. */
    public static String inTree(int fd, Mount m) {
        String rel = below(link(fd), link(m.hostFd()));
        if (rel == null) return null;
        if (m.parent() == null) return rel;
        String point = inTree(m.pointFd(), m.parent());
        if (point == null) return null;
        if (rel.equals("/")) return point;
        return point.equals("/") ? rel : point + rel;
    }

    /** hostPath relative to hostDir as "/…" ("/" for hostDir itself), or null when outside it. */
    private static String below(String hostPath, String hostDir) {
        if (hostPath == null || hostDir == null) return null;
        boolean deleted = hostPath.endsWith(DELETED) && !hostDir.endsWith(DELETED);
        String p = deleted ? hostPath.substring(0, hostPath.length() - DELETED.length()) : hostPath;
        String rel;
        if (hostDir.equals("/")) rel = p;
        else if (p.equals(hostDir)) rel = "/";
        else if (p.startsWith(hostDir + "/")) rel = p.substring(hostDir.length());
        else return null;
        return deleted ? rel + DELETED : rel;
    }

    private static String link(int fd) {
        byte[] b = HostPosix.fdLink(fd, null);
        return b == null || b.length == 0 || b[0] != '/' ? null : new String(b, StandardCharsets.ISO_8859_1);
    }

    private static String lastName(int fd) {
        String l = link(fd);
        if (l == null) return "";
        if (l.endsWith(DELETED)) l = l.substring(0, l.length() - DELETED.length());
        return l.substring(l.lastIndexOf('/') + 1);
    }
}
