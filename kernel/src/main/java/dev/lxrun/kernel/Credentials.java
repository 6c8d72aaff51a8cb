package dev.lxrun.kernel;

/** Real, effective and saved user and group ids of a process. */
public record Credentials(int uid, int euid, int suid, int gid, int egid, int sgid) {
    /** The identity lxrun itself runs as on the host. */
    public static Credentials ofHost() {
        try {
            com.sun.security.auth.module.UnixSystem u = new com.sun.security.auth.module.UnixSystem();
            int uid = (int) u.getUid(), gid = (int) u.getGid();
            return new Credentials(uid, uid, uid, gid, gid, gid);
        } catch (Throwable t) {
            return new Credentials(0, 0, 0, 0, 0, 0);
        }
    }
}
