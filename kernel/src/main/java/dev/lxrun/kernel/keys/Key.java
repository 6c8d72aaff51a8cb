package dev.lxrun.kernel.keys;

import java.util.ArrayList;
import java.util.List;

/**
 * One key of the kernel's key store: its type ("user", "logon" or "keyring"), description,
 * payload (or, for a keyring, its links), owner, permission mask and state. Guarded by the
 * store's monitor.
 */
public final class Key {
    // Permission bits of each of the four classes (possessor << 24, user << 16, group << 8, other).
    static final int VIEW = 1, READ = 2, WRITE = 4, SEARCH = 8, LINK = 0x10, SETATTR = 0x20, ALL = 0x3f;

    final int serial;
    final String type;
    final String description;
    byte[] payload;
    final List<Key> links = new ArrayList<>();
    int uid, gid;
    int perm;
    boolean revoked, invalidated;
    /** A negative key: what a failed request_key construction leaves (reads and searches give ENOKEY). */
    boolean negative;
    /** Whether the key counts against its owner's quota. */
    boolean charged;
    /** When the key expires, in System.nanoTime terms; 0 for never. */
    long expiry;

    Key(int serial, String type, String description, byte[] payload, int uid, int gid, int perm) {
        this.serial = serial;
        this.type = type;
        this.description = description;
        this.payload = payload;
        this.uid = uid;
        this.gid = gid;
        this.perm = perm;
    }

    boolean isKeyring() {
        return type.equals("keyring");
    }

    boolean expired() {
        return expiry != 0 && System.nanoTime() - expiry >= 0;
    }

    /** What the key counts against its owner's byte quota: description and payload, as Linux's quotalen. */
    int quotaBytes() {
        return description.length() + 1 + (payload == null ? 0 : payload.length);
    }
}
