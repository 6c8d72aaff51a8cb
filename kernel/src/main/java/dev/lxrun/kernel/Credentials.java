package dev.lxrun.kernel;

/** Real, effective and saved user and group ids, and supplementary groups, of a process. */
public record Credentials(int uid, int euid, int suid, int gid, int egid, int sgid, int[] groups) {
    /** The identity lxrun itself runs as on the host. */
    public static Credentials ofHost() {
        try {
            com.sun.security.auth.module.UnixSystem u = new com.sun.security.auth.module.UnixSystem();
            int uid = (int) u.getUid(), gid = (int) u.getGid();
            long[] g = u.getGroups();
            int[] groups = new int[g == null ? 0 : g.length];
            for (int i = 0; i < groups.length; i++) groups[i] = (int) g[i];
            return new Credentials(uid, uid, uid, gid, gid, gid, groups);
        } catch (Throwable t) {
            return new Credentials(0, 0, 0, 0, 0, 0, new int[0]);
        }
    }

    /** Whether the process may set ids freely (CAP_SETUID/CAP_SETGID: effective uid 0). */
    public boolean privileged() {
        return euid == 0;
    }

    /** setresuid: -1 keeps a value; unprivileged callers may only use their current ids. */
    public Credentials withUids(int r, int e, int s) {
        if (!privileged()) {
            for (int v : new int[] {r, e, s}) {
                if (v != -1 && v != uid && v != euid && v != suid) return null;
            }
        }
        return new Credentials(r == -1 ? uid : r, e == -1 ? euid : e, s == -1 ? suid : s, gid, egid, sgid, groups);
    }

    public Credentials withGids(int r, int e, int s) {
        if (!privileged()) {
            for (int v : new int[] {r, e, s}) {
                if (v != -1 && v != gid && v != egid && v != sgid) return null;
            }
        }
        return new Credentials(uid, euid, suid, r == -1 ? gid : r, e == -1 ? egid : e, s == -1 ? sgid : s, groups);
    }

    public Credentials withGroups(int[] g) {
        return privileged() ? new Credentials(uid, euid, suid, gid, egid, sgid, g.clone()) : null;
    }
}
