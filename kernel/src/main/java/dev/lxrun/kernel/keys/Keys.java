package dev.lxrun.kernel.keys;

import dev.lxrun.kernel.Credentials;
import dev.lxrun.syscalls.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The kernel's key store (Linux's keyrings): keys by serial, the thread, process and session
 * keyrings of guest threads and processes, each user's user and user-session keyrings, and the
 * per-user quotas. Operations take the caller (pid, tid, credentials) and answer a result or
 * -errno with Linux's checks: lookups of special ids, key state (EKEYREVOKED, EKEYEXPIRED,
 * ENOKEY), then permission (EACCES).
 */
public final class Keys {
    public static final int THREAD = -1, PROCESS = -2, SESSION = -3, USER = -4, USER_SESSION = -5, GROUP = -6,
            REQKEY_AUTH = -7, REQUESTOR = -8;
    // kernel/keys/{maxkeys,maxbytes,root_maxkeys,root_maxbytes,gc_delay,persistent_keyring_expiry}, Linux's defaults.
    public volatile int maxKeys = 200, maxBytes = 20000, rootMaxKeys = 1000000, rootMaxBytes = 25000000;
    public volatile int gcDelay = 300, persistentExpiry = 259200;
    /** How long a negative key from a failed request_key lives (Linux's key_negative_timeout). */
    private static final long NEGATIVE_TIMEOUT_S = 60;
    /** Largest user/logon payload (user_preparse). */
    public static final int USER_PAYLOAD_MAX = 32767;

    /** Who is asking. */
    public record Caller(int pid, int tid, Credentials creds) {}

    private final Map<Integer, Key> bySerial = new HashMap<>();
    private final Map<Integer, Key> threadKeyrings = new HashMap<>();
    private final Map<Integer, Key> processKeyrings = new HashMap<>();
    private final Map<Integer, Key> sessionKeyrings = new HashMap<>();
    private final Map<Integer, Key> userKeyrings = new HashMap<>();
    private final Map<Integer, Key> userSessionKeyrings = new HashMap<>();
    private final Map<Integer, Integer> reqkeyDefaults = new HashMap<>();
    private final Map<Integer, int[]> quotas = new HashMap<>(); // uid -> {keys, bytes}

    // ---- process life ----

    /** fork: the child shares the parent's session keyring; thread and process keyrings are not inherited. */
    public synchronized void forked(int parentPid, int childPid) {
        Key s = sessionKeyrings.get(parentPid);
        if (s != null) sessionKeyrings.put(childPid, s);
    }

    public synchronized void processExited(int pid) {
        sessionKeyrings.remove(pid);
        Key p = processKeyrings.remove(pid);
        if (p != null) release(p);
        Key t = threadKeyrings.remove(pid);
        if (t != null) release(t);
    }

    // ---- making keys ----

    private Key make(String type, String desc, byte[] payload, Credentials owner, int perm, long[] err) {
        return make(type, desc, payload, owner, perm, err, true);
    }

    /** A new key; charged ones count against the owner's quota (EDQUOT beyond it). */
    private Key make(String type, String desc, byte[] payload, Credentials owner, int perm, long[] err, boolean charged) {
        int[] q = quotas.computeIfAbsent(owner.euid(), u -> new int[2]);
        int keysLimit = owner.euid() == 0 ? rootMaxKeys : maxKeys;
        int bytesLimit = owner.euid() == 0 ? rootMaxBytes : maxBytes;
        int bytes = desc.length() + 1 + (payload == null ? 0 : payload.length);
        if (charged && (q[0] + 1 > keysLimit || q[1] + bytes > bytesLimit)) {
            err[0] = -Errno.EDQUOT;
            return null;
        }
        int serial;
        do {
            serial = ThreadLocalRandom.current().nextInt(3, Integer.MAX_VALUE);
        } while (bySerial.containsKey(serial));
        Key k = new Key(serial, type, desc, payload, owner.euid(), owner.egid(), perm);
        bySerial.put(serial, k);
        k.charged = charged;
        if (charged) {
            q[0]++;
            q[1] += bytes;
        }
        return k;
    }

    /** A key leaves the store (invalidated, or its last owner-side holder went): its quota is given back. */
    private void release(Key k) {
        if (bySerial.remove(k.serial) == null) return;
        int[] q = quotas.get(k.uid);
        if (q != null && k.charged) {
            q[0]--;
            q[1] -= k.quotaBytes();
        }
        for (Key r : bySerial.values()) r.links.remove(k);
    }

    private Key keyring(String desc, Credentials owner, int perm) {
        long[] err = new long[1];
        // The special keyrings (user, user-session, thread, process) count against the quota, as
        // Linux's do, but are made whatever it says.
        Key k = make("keyring", desc, null, owner, perm, err, false);
        int[] q = quotas.computeIfAbsent(owner.euid(), u -> new int[2]);
        q[0]++;
        q[1] += k.quotaBytes();
        k.charged = true;
        return k;
    }

    private Key userKeyring(int uid, Credentials c) {
        Key u = userKeyrings.get(uid);
        if (u == null) {
            u = keyring("_uid." + uid, c, 0x3f3f0000);
            userKeyrings.put(uid, u);
        }
        return u;
    }

    private Key userSessionKeyring(int uid, Credentials c) {
        Key s = userSessionKeyrings.get(uid);
        if (s == null) {
            s = keyring("_uid_ses." + uid, c, 0x3f3f0000);
            s.links.add(userKeyring(uid, c)); // the user-session keyring holds the user keyring, as Linux's
            userSessionKeyrings.put(uid, s);
        }
        return s;
    }

    /** The session keyring: the process's own, else the user-session keyring (installed on first use, as Linux does). */
    private Key session(Caller c) {
        Key s = sessionKeyrings.get(c.pid());
        if (s == null || s.revoked || !bySerial.containsKey(s.serial)) {
            s = userSessionKeyring(c.creds().uid(), c.creds());
            sessionKeyrings.put(c.pid(), s);
        }
        return s;
    }

    /** /proc/key-users: per user, "uid: usage nkeys/nikeys qnkeys/maxkeys qnbytes/maxbytes" as Linux prints it. */
    public synchronized String keyUsers() {
        StringBuilder sb = new StringBuilder();
        quotas.keySet().stream().sorted().forEach(uid -> {
            int[] q = quotas.get(uid);
            int n = 0, instantiated = 0;
            for (Key k : bySerial.values()) {
                if (k.uid != uid) continue;
                n++;
                if (!k.negative) instantiated++;
            }
            if (n == 0 && q[0] == 0) return;
            sb.append(String.format("%5d: %5d %d/%d %d/%d %d/%d\n", uid, n, n, instantiated, q[0],
                    uid == 0 ? rootMaxKeys : maxKeys, q[1], uid == 0 ? rootMaxBytes : maxBytes));
        });
        return sb.toString();
    }

    // ---- lookup ----

    private static final int NEED_NONE = 0;

    /**
     * Linux's lookup_user_key: a special id (made when create) or a serial; unless partial, a key
     * that is invalidated (ENOKEY), revoked (EKEYREVOKED) or expired (EKEYEXPIRED) fails; then
     * the permission need of the caller's class (possessor bits when possessed). Null with err[0].
     */
    private Key lookup(Caller c, int id, boolean create, boolean partial, int need, long[] err) {
        Key k;
        switch (id) {
            case THREAD -> {
                k = threadKeyrings.get(c.tid());
                if (k == null && create) {
                    k = keyring("_tid", c.creds(), 0x3f010000);
                    threadKeyrings.put(c.tid(), k);
                }
            }
            case PROCESS -> {
                k = processKeyrings.get(c.pid());
                if (k == null && create) {
                    k = keyring("_pid", c.creds(), 0x3f010000);
                    processKeyrings.put(c.pid(), k);
                }
            }
            case SESSION -> k = session(c);
            case USER -> k = userKeyring(c.creds().uid(), c.creds());
            case USER_SESSION -> k = userSessionKeyring(c.creds().uid(), c.creds());
            case GROUP -> {
                err[0] = -Errno.EINVAL;
                return null;
            }
            case REQKEY_AUTH, REQUESTOR -> k = null; // lxrun makes no request_key authorisation keys
            default -> {
                if (id < REQUESTOR) {
                    err[0] = -Errno.EINVAL;
                    return null;
                }
                k = id > 0 ? bySerial.get(id) : null;
            }
        }
        if (k == null || k.invalidated) {
            err[0] = -Errno.ENOKEY;
            return null;
        }
        if (!partial && k.negative && !k.expired()) {
            err[0] = -Errno.ENOKEY;
            return null;
        }
        // Revoked and expired keys fail every lookup but unlink's, which never uses the key itself.
        if (need != NEED_NONE || !partial) {
            if (k.revoked) {
                err[0] = -Errno.EKEYREVOKED;
                return null;
            }
            if (k.expired()) {
                err[0] = -Errno.EKEYEXPIRED;
                return null;
            }
        }
        if (need != NEED_NONE && !permits(c, k, need)) {
            err[0] = -Errno.EACCES;
            return null;
        }
        return k;
    }

    private boolean permits(Caller c, Key k, int need) {
        int granted;
        Credentials cr = c.creds();
        if (cr.euid() == k.uid) granted = (k.perm >> 16) & Key.ALL;
        else if (k.gid != -1 && inGroup(cr, k.gid)) granted = (k.perm >> 8) & Key.ALL;
        else granted = k.perm & Key.ALL;
        if (possessed(c, k)) granted |= (k.perm >>> 24) & Key.ALL;
        return (need & ~granted) == 0;
    }

    private static boolean inGroup(Credentials c, int g) {
        if (c.egid() == g) return true;
        for (int x : c.groups()) if (x == g) return true;
        return false;
    }

    /** Whether k is one of the caller's keyrings or reachable from them through searchable keyrings. */
    private boolean possessed(Caller c, Key k) {
        Set<Key> seen = new HashSet<>();
        for (Key root : roots(c)) if (reach(c, root, k, seen)) return true;
        return false;
    }

    private List<Key> roots(Caller c) {
        List<Key> out = new ArrayList<>();
        Key t = threadKeyrings.get(c.tid());
        if (t != null) out.add(t);
        Key p = processKeyrings.get(c.pid());
        if (p != null) out.add(p);
        out.add(session(c));
        return out;
    }

    private boolean reach(Caller c, Key ring, Key target, Set<Key> seen) {
        if (ring == target) return true;
        if (!seen.add(ring) || !ring.isKeyring() || ring.revoked) return false;
        for (Key l : ring.links) {
            // Possession comes from a search, which sees only keys the possessor may search.
            if (l == target) return ((target.perm >>> 24) & Key.SEARCH) != 0;
            // Linux descends only into keyrings the possessor may search.
            if (l.isKeyring() && ((l.perm >>> 24) & Key.SEARCH) != 0 && reach(c, l, target, seen)) return true;
        }
        return false;
    }

    // ---- syscalls ----

    /** add_key after its argument checks: create in ring, or update a key of that type and description there. */
    public synchronized long add(Caller c, String type, String desc, byte[] payload, int ringId) {
        long[] err = new long[1];
        Key ring = lookup(c, ringId, true, false, Key.WRITE, err);
        if (ring == null) return err[0];
        long v = validate(type, desc, payload);
        if (v != 0) return v;
        if (!ring.isKeyring()) return -Errno.ENOTDIR;
        for (Key old : ring.links) {
            if (old.type.equals(type) && old.description.equals(desc) && !old.invalidated) {
                // Keyrings are not updated, nor are revoked or negative keys: a new key replaces the link.
                if (type.equals("keyring") || old.revoked || old.negative) {
                    ring.links.remove(old);
                    break;
                }
                if (!permits(c, old, Key.WRITE)) return -Errno.EACCES;
                return update(old, payload);
            }
        }
        int perm = type.equals("logon") ? 0x3d010000 : 0x3f010000;
        Key k = make(type, desc, payload, c.creds(), perm, err);
        if (k == null) return err[0];
        ring.links.add(k);
        return k.serial;
    }

    /** The type's preparse: known types, the description a logon key needs, payload rules. */
    private static long validate(String type, String desc, byte[] payload) {
        switch (type) {
            case "keyring" -> {
                if (payload != null && payload.length != 0) return -Errno.EINVAL;
            }
            case "user", "logon" -> {
                if (payload == null || payload.length == 0 || payload.length > USER_PAYLOAD_MAX) return -Errno.EINVAL;
                if (type.equals("logon")) {
                    int colon = desc.indexOf(':');
                    if (colon <= 0) return -Errno.EINVAL;
                }
            }
            default -> {
                return -Errno.ENODEV;
            }
        }
        return 0;
    }

    private long update(Key k, byte[] payload) {
        int[] q = quotas.computeIfAbsent(k.uid, u -> new int[2]);
        int delta = payload.length - (k.payload == null ? 0 : k.payload.length);
        int limit = k.uid == 0 ? rootMaxBytes : maxBytes;
        if (delta > 0 && q[1] + delta > limit) return -Errno.EDQUOT;
        q[1] += delta;
        k.payload = payload;
        return k.serial;
    }

    public synchronized long getKeyringId(Caller c, int id, boolean create) {
        long[] err = new long[1];
        Key k = lookup(c, id, create, true, Key.SEARCH, err);
        return k == null ? err[0] : k.serial;
    }

    /** JOIN_SESSION_KEYRING: a new anonymous session (name null) or the caller's keyring of that name. */
    public synchronized long joinSession(Caller c, String name) {
        long[] err = new long[1];
        Key s = null;
        if (name != null && name.startsWith(".")) return -Errno.EPERM; // the kernel's own keyrings are never joined
        if (name != null) {
            for (Key k : bySerial.values()) {
                if (k.isKeyring() && k.description.equals(name) && !k.revoked && !k.invalidated
                        && k.uid == c.creds().euid() && permits(c, k, Key.SEARCH)) s = k;
            }
        }
        if (s == null) {
            s = make("keyring", name == null ? "_ses" : name, null, c.creds(), 0x3f030000, err);
            if (s == null) return err[0];
        }
        sessionKeyrings.put(c.pid(), s);
        return s.serial;
    }

    public synchronized long update(Caller c, int id, byte[] payload) {
        long[] err = new long[1];
        Key k = lookup(c, id, true, false, Key.WRITE, err);
        if (k == null) return err[0];
        if (k.isKeyring()) return -Errno.EOPNOTSUPP;
        if (payload == null || payload.length == 0 || payload.length > USER_PAYLOAD_MAX) return -Errno.EINVAL;
        long r = update(k, payload);
        return r < 0 ? r : 0;
    }

    public synchronized long revoke(Caller c, int id) {
        long[] err = new long[1];
        Key k = lookup(c, id, false, false, Key.WRITE, err);
        if (k == null && err[0] == -Errno.EACCES) k = lookup(c, id, false, false, Key.SETATTR, err);
        if (k == null) return err[0];
        k.revoked = true;
        return 0;
    }

    public synchronized long chown(Caller c, int id, int uid, int gid) {
        long[] err = new long[1];
        Key k = lookup(c, id, true, true, Key.SETATTR, err);
        if (k == null) return err[0];
        boolean admin = c.creds().euid() == 0; // CAP_SYS_ADMIN
        if (uid != -1 && uid != k.uid && !admin) return -Errno.EACCES;
        if (gid != -1 && !admin && (k.uid != c.creds().euid() || !inGroup(c.creds(), gid))) return -Errno.EACCES;
        if (uid != -1 && uid != k.uid) {
            int[] from = quotas.computeIfAbsent(k.uid, u -> new int[2]);
            int[] to = quotas.computeIfAbsent(uid, u -> new int[2]);
            int keysLimit = uid == 0 ? rootMaxKeys : maxKeys, bytesLimit = uid == 0 ? rootMaxBytes : maxBytes;
            if (to[0] + 1 > keysLimit || to[1] + k.quotaBytes() > bytesLimit) return -Errno.EDQUOT;
            from[0]--;
            from[1] -= k.quotaBytes();
            to[0]++;
            to[1] += k.quotaBytes();
            k.uid = uid;
        }
        if (gid != -1) k.gid = gid;
        return 0;
    }

    public synchronized long setperm(Caller c, int id, int perm) {
        if ((perm & ~0x3f3f3f3f) != 0) return -Errno.EINVAL;
        long[] err = new long[1];
        Key k = lookup(c, id, true, true, Key.SETATTR, err);
        if (k == null) return err[0];
        if (c.creds().euid() != 0 && c.creds().euid() != k.uid) return -Errno.EACCES;
        k.perm = perm;
        return 0;
    }

    /** DESCRIBE: "type;uid;gid;perm;description"; null with err[0] on failure. */
    public synchronized String describe(Caller c, int id, long[] err) {
        Key k = lookup(c, id, true, true, Key.VIEW, err);
        if (k == null) return null;
        return String.format("%s;%d;%d;%08x;%s", k.type, k.uid, k.gid, k.perm, k.description);
    }

    public synchronized long clear(Caller c, int id) {
        long[] err = new long[1];
        Key k = lookup(c, id, true, false, Key.WRITE, err);
        if (k == null) return err[0];
        if (!k.isKeyring()) return -Errno.ENOTDIR;
        k.links.clear();
        return 0;
    }

    public synchronized long link(Caller c, int id, int ringId) {
        long[] err = new long[1];
        Key ring = lookup(c, ringId, true, false, Key.WRITE, err);
        if (ring == null) return err[0];
        Key k = lookup(c, id, true, false, Key.LINK, err);
        if (k == null) return err[0];
        if (!ring.isKeyring()) return -Errno.ENOTDIR;
        if (k.isKeyring() && reach(c, k, ring, new HashSet<>())) return -Errno.EDEADLK;
        // A link replaces one to a key of the same type and description.
        ring.links.removeIf(l -> l.type.equals(k.type) && l.description.equals(k.description));
        ring.links.add(k);
        return 0;
    }

    public synchronized long unlink(Caller c, int id, int ringId) {
        long[] err = new long[1];
        Key ring = lookup(c, ringId, false, false, Key.WRITE, err);
        if (ring == null) return err[0];
        Key k = lookup(c, id, false, true, NEED_NONE, err);
        if (k == null) return err[0];
        if (!ring.isKeyring()) return -Errno.ENOTDIR;
        return ring.links.remove(k) ? 0 : -Errno.ENOENT;
    }

    /** KEYCTL_SEARCH and request_key's search: a key of type and description below ring; link it into dest (0: none). */
    public synchronized long search(Caller c, int ringId, String type, String desc, int destId, boolean fromRequest) {
        return search(c, ringId, type, desc, destId, fromRequest, false);
    }

    /**
     * As search; for request_key with callout information (construct), a key not found is made
     * in the destination keyring (write permission needed: EACCES) and, with no request-key
     * helper to instantiate it, left negative: ENOENT, as Linux answers without /sbin/request-key.
     */
    public synchronized long search(Caller c, int ringId, String type, String desc, int destId, boolean fromRequest,
                                    boolean construct) {
        long[] err = new long[1];
        List<Key> rings = new ArrayList<>();
        if (fromRequest) {
            rings.addAll(roots(c));
        } else {
            Key ring = lookup(c, ringId, false, false, Key.SEARCH, err);
            if (ring == null) return err[0];
            if (!ring.isKeyring()) return -Errno.ENOTDIR;
            rings.add(ring);
        }
        Key dest = null;
        if (destId != 0) {
            dest = lookup(c, destId, true, false, Key.WRITE, err);
            if (dest == null) return err[0];
        }
        long[] failure = {-Errno.ENOKEY};
        Key found = null;
        Set<Key> seen = new HashSet<>();
        for (Key r : rings) {
            found = find(c, r, type, desc, seen, failure);
            if (found != null) break;
        }
        if (found == null && construct && failure[0] == -Errno.ENOKEY) return constructNegative(c, type, desc, dest);
        if (found == null) return failure[0];
        if (found.negative) return -Errno.ENOKEY;
        if (dest != null) {
            if (!dest.isKeyring()) return -Errno.ENOTDIR;
            if (!permits(c, found, Key.LINK)) return -Errno.EACCES;
            if (!dest.links.contains(found)) dest.links.add(found);
        }
        return found.serial;
    }

    private long constructNegative(Caller c, String type, String desc, Key dest) {
        long[] err = new long[1];
        if (dest == null) {
            int which = reqkeyDefaults.getOrDefault(c.tid(), 0);
            Key t = threadKeyrings.get(c.tid()), p = processKeyrings.get(c.pid());
            // Linux's construct_get_dest_keyring: the default falls from thread to process to session keyring.
            if ((which == 0 || which == 1) && t != null) dest = t;
            else if ((which <= 2) && p != null) dest = p;
            else if (which <= 3) dest = session(c);
            else if (which == 5) dest = userSessionKeyring(c.creds().uid(), c.creds());
            else if (which == 4) dest = userKeyring(c.creds().uid(), c.creds());
            if (dest != null && !permits(c, dest, Key.WRITE)) return -Errno.EACCES;
        }
        if (validate(type, desc, new byte[1]) == -Errno.ENODEV) return -Errno.ENOKEY;
        Key k = make(type, desc, null, c.creds(), 0x3f010000, err);
        if (k == null) return err[0];
        k.negative = true;
        k.expiry = System.nanoTime() + NEGATIVE_TIMEOUT_S * 1_000_000_000L;
        if (dest != null) dest.links.add(k);
        return -Errno.ENOENT;
    }

    private Key find(Caller c, Key ring, String type, String desc, Set<Key> seen, long[] failure) {
        if (!seen.add(ring)) return null;
        for (Key k : ring.links) {
            if (k.type.equals(type) && k.description.equals(desc) && !k.invalidated) {
                if (k.negative && !k.expired()) return k;
                if (k.revoked) failure[0] = -Errno.EKEYREVOKED;
                else if (k.expired()) failure[0] = -Errno.EKEYEXPIRED;
                else if (!permits(c, k, Key.SEARCH)) failure[0] = -Errno.EACCES;
                else return k;
            }
        }
        for (Key k : ring.links) {
            if (k.isKeyring() && !k.revoked && !k.invalidated && permits(c, k, Key.SEARCH)) {
                Key f = find(c, k, type, desc, seen, failure);
                if (f != null) return f;
            }
        }
        return null;
    }

    /** READ: the payload (a keyring's: its serials, 4 bytes each); null with err[0] on failure. */
    public synchronized byte[] read(Caller c, int id, long[] err) {
        Key k = lookup(c, id, false, false, NEED_NONE, err);
        if (k == null) return null;
        if (!permits(c, k, Key.READ) && !(possessed(c, k) && permits(c, k, Key.SEARCH))) {
            err[0] = -Errno.EACCES;
            return null;
        }
        if (k.type.equals("logon")) {
            err[0] = -Errno.EOPNOTSUPP;
            return null;
        }
        if (k.isKeyring()) {
            ByteBuffer b = ByteBuffer.allocate(4 * k.links.size()).order(ByteOrder.LITTLE_ENDIAN);
            for (Key l : k.links) b.putInt(l.serial);
            return b.array();
        }
        return k.payload;
    }

    public synchronized long setTimeout(Caller c, int id, long seconds) {
        long[] err = new long[1];
        Key k = lookup(c, id, true, true, Key.SETATTR, err);
        if (k == null) return err[0];
        if (k.revoked || k.invalidated) return -Errno.EKEYREVOKED;
        k.expiry = seconds == 0 ? 0 : System.nanoTime() + Math.min(seconds, Long.MAX_VALUE / 2_000_000_000L) * 1_000_000_000L;
        return 0;
    }

    public synchronized long invalidate(Caller c, int id) {
        long[] err = new long[1];
        Key k = lookup(c, id, false, true, Key.SEARCH, err);
        if (k == null) return err[0];
        k.invalidated = true;
        release(k);
        return 0;
    }

    private final Map<Integer, Key> persistentKeyrings = new HashMap<>();

    /** GET_PERSISTENT: the user's persistent keyring (made on first use), linked into dest. Another uid needs privilege. */
    public synchronized long getPersistent(Caller c, int uid, int destId) {
        if (uid == -1) uid = c.creds().uid();
        if (uid != c.creds().uid() && uid != c.creds().euid() && c.creds().euid() != 0) return -Errno.EPERM;
        long[] err = new long[1];
        Key dest = lookup(c, destId, true, false, Key.WRITE, err);
        if (dest == null) return err[0];
        if (!dest.isKeyring()) return -Errno.ENOTDIR;
        Key p = persistentKeyrings.get(uid);
        if (p == null) {
            p = keyring("_persistent." + uid, c.creds(), 0x3f130000);
            p.uid = uid;
            persistentKeyrings.put(uid, p);
        }
        if (!dest.links.contains(p)) dest.links.add(p);
        return p.serial;
    }

    /** SET_REQKEY_KEYRING: the thread's default request_key destination (0..7); -1 only asks. Returns the old one. */
    public synchronized long setReqkeyKeyring(Caller c, int which) {
        int old = reqkeyDefaults.getOrDefault(c.tid(), 0);
        if (which == -1) return old;
        if (which < 0 || which > 7) return -Errno.EINVAL;
        reqkeyDefaults.put(c.tid(), which);
        return old;
    }

}
