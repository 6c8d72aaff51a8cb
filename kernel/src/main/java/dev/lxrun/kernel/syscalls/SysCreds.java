package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Credentials;
import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;

/**
 * The set*id family. Credentials are the guest's own bookkeeping: they decide what the guest
 * sees and permits itself; host file access still happens with lxrun's own host identity.
 */
final class SysCreds {
    private SysCreds() {}

    private static long apply(Task t, Credentials next) {
        if (next == null) return -Errno.EPERM;
        var p = t.process;
        // SECBIT_KEEP_CAPS (0x10) keeps the permitted set; SECBIT_NO_SETUID_FIXUP (0x04) keeps all sets.
        p.caps = p.caps.afterUidChange(p.creds, next, (p.securebits & 0x10) != 0, (p.securebits & 0x04) != 0);
        p.creds = next;
        return 0;
    }

    static long setresuid(Task t, int r, int e, int s) {
        return apply(t, t.process.creds.withUids(r, e, s));
    }

    static long setresgid(Task t, int r, int e, int s) {
        return apply(t, t.process.creds.withGids(r, e, s));
    }

    /** setuid: privileged callers set all three ids, others only the effective one. */
    static long setuid(Task t, int uid) {
        Credentials c = t.process.creds;
        return apply(t, c.privileged() ? c.withUids(uid, uid, uid) : c.withUids(-1, uid, -1));
    }

    static long setgid(Task t, int gid) {
        Credentials c = t.process.creds;
        return apply(t, c.privileged() ? c.withGids(gid, gid, gid) : c.withGids(-1, gid, -1));
    }

    static long setreuid(Task t, int r, int e) {
        Credentials c = t.process.creds;
        int saved = (r != -1 || (e != -1 && e != c.uid())) ? (e == -1 ? c.euid() : e) : -1;
        return apply(t, c.withUids(r, e, saved));
    }

    static long setregid(Task t, int r, int e) {
        Credentials c = t.process.creds;
        int saved = (r != -1 || (e != -1 && e != c.gid())) ? (e == -1 ? c.egid() : e) : -1;
        return apply(t, c.withGids(r, e, saved));
    }

    static long getgroups(Task t, int size, long listAddr) {
        int[] g = t.process.creds.groups();
        if (size == 0) return g.length;
        if (size < g.length) return -Errno.EINVAL;
        for (int i = 0; i < g.length; i++) t.process.mm.writeInt(listAddr + 4L * i, g[i]);
        return g.length;
    }

    static long setgroups(Task t, int size, long listAddr) {
        if (size < 0 || size > 65536) return -Errno.EINVAL;
        int[] g = new int[size];
        for (int i = 0; i < size; i++) g[i] = t.process.mm.readInt(listAddr + 4L * i);
        return apply(t, t.process.creds.withGroups(g));
    }

    /** setfsuid/setfsgid: the file-system id follows the effective id here; returns the previous one. */
    static long setfsuid(Task t, int uid) {
        return t.process.creds.euid();
    }

    static long setfsgid(Task t, int gid) {
        return t.process.creds.egid();
    }
}
