package dev.lxrun.vfs.mount;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The guest's mounts, keyed by canonical guest mount point. Lookups during a path walk ask
 * "is this directory a mount point?" once per component, so the table is a hash map; the list
 * keeps mount order for /proc/mounts. Mounting over an existing mount point hides the earlier
 * mount, as on Linux.
 */
public final class MountTable {
    private final Map<String, Mount> byPoint = new ConcurrentHashMap<>();
    private final List<Mount> ordered = new CopyOnWriteArrayList<>();
    private final Mount root;

    public MountTable(Mount root) {
        if (!root.guestPath().equals("/")) throw new IllegalArgumentException("root mount must be at /");
        this.root = root;
        byPoint.put("/", root);
        ordered.add(root);
    }

    public void add(Mount m) {
        byPoint.put(m.guestPath(), m);
        ordered.add(m);
    }

    public Mount root() {
        return root;
    }

    /** The mount whose mount point is exactly this canonical guest path, or null. */
    public Mount at(String canonicalGuestPath) {
        return byPoint.get(canonicalGuestPath);
    }

    /** The visible mount a canonical guest path lies in (the longest mount point that is a prefix of it). */
    public Mount containing(String canonicalGuestPath) {
        for (String p = canonicalGuestPath; ; ) {
            Mount m = byPoint.get(p.isEmpty() ? "/" : p);
            if (m != null) return m;
            if (p.isEmpty() || p.equals("/")) return root;
            p = p.substring(0, p.lastIndexOf('/'));
        }
    }

    /** Whether the guest sees only its root: paths then resolve in one host call. */
    public boolean onlyRoot() {
        return ordered.size() == 1;
    }

    /** Mounts in the order they were made (the visible one for each point is in at()). */
    public List<Mount> all() {
        return new ArrayList<>(ordered);
    }

    /**
     * The mount holding a host path and the guest path it has there, choosing the mount whose
     * host directory is the longest prefix; null when no mount holds it. Used only where the
     * guest path was not recorded (a descriptor's path, read back from the host).
     */
    public String toGuest(String hostPath) {
        Mount best = null;
        for (Mount m : ordered) {
            if (at(m.guestPath()) != m) continue;
            String h = m.hostDir();
            boolean inside = h.equals("/") || hostPath.equals(h) || hostPath.startsWith(h + "/");
            if (inside && (best == null || h.length() > best.hostDir().length())) best = m;
        }
        if (best == null) return null;
        String rest = best.hostDir().equals("/") ? hostPath : hostPath.substring(best.hostDir().length());
        if (best.guestPath().equals("/")) return rest.isEmpty() ? "/" : rest;
        return best.guestPath() + rest;
    }
}
