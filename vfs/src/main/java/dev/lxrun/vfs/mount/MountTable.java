package dev.lxrun.vfs.mount;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The guest's mounts, keyed by their mount point's identity: the mount they stand on and the
 * device+inode of the covered directory. A walk asks "is this directory a mount point?" once per
 * component with the identity it has just read, so a renamed or differently spelled path to the
 * same directory finds the same mount. Mounting over an existing mount point hides the earlier
 * mount, as on Linux; the list keeps mount order for /proc/mounts.
 */
public final class MountTable {
    private record Point(Mount parent, FileId covered) {}

    private final Map<Point, Mount> byPoint = new ConcurrentHashMap<>();
    private final List<Mount> ordered = new CopyOnWriteArrayList<>();
    private final Mount root;

    public MountTable(Mount root) {
        if (root.parent() != null) throw new IllegalArgumentException("root mount has no parent");
        this.root = root;
        ordered.add(root);
    }

    public void add(Mount m) {
        byPoint.put(new Point(m.parent(), m.pointId()), m);
        ordered.add(m);
    }

    public Mount root() {
        return root;
    }

    /** The mount standing on the directory with identity id in mount parent, or null. */
    public Mount at(Mount parent, FileId id) {
        return byPoint.isEmpty() || id == null ? null : byPoint.get(new Point(parent, id));
    }

    /** Whether the guest sees only its root: paths then resolve in one host call. */
    public boolean onlyRoot() {
        return ordered.size() == 1;
    }

    /** Whether m is the visible mount at its point (not hidden by a later one on the same directory). */
    public boolean visible(Mount m) {
        return m == root || byPoint.get(new Point(m.parent(), m.pointId())) == m;
    }

    /** Mounts in the order they were made. */
    public List<Mount> all() {
        return new ArrayList<>(ordered);
    }
}
