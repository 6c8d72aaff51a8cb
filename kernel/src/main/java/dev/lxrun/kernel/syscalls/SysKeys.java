package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.keys.Keys;
import dev.lxrun.kernel.mm.AddressSpace;
import dev.lxrun.syscalls.Errno;
import java.nio.charset.StandardCharsets;

/** add_key, request_key and keyctl over the kernel's key store (kernel/keys), arguments checked in Linux's order. */
final class SysKeys {
    private static final int KEY_MAX_DESC_SIZE = 4096, TYPE_MAX = 32;
    private static final long PAYLOAD_MAX = 1024 * 1024 - 1;

    private SysKeys() {}

    private static Keys keys(Task t) {
        return t.kernel().keys;
    }

    private static Keys.Caller caller(Task t) {
        return new Keys.Caller(t.process.pid, t.tid, t.process.creds);
    }

    /** key_get_type_from_user: 1..31 bytes; a type named with a leading dot is the kernel's own (EPERM). */
    private static String type(Task t, long addr, long[] err) {
        byte[] b = t.process.mm.readCString(addr, TYPE_MAX);
        if (b == null || b.length == 0) {
            err[0] = -Errno.EINVAL;
            return null;
        }
        String s = new String(b, StandardCharsets.UTF_8);
        if (s.startsWith(".")) {
            err[0] = -Errno.EPERM;
            return null;
        }
        return s;
    }

    /** strndup_user(desc, 4096): EINVAL when longer; an empty one is EINVAL for descriptions too. */
    private static String description(Task t, long addr, long[] err) {
        byte[] b = t.process.mm.readCString(addr, KEY_MAX_DESC_SIZE);
        if (b == null || b.length == 0) {
            err[0] = -Errno.EINVAL;
            return null;
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    static long addKey(Task t, long typeAddr, long descAddr, long payloadAddr, long plen, int ring) {
        long[] err = new long[1];
        String type = type(t, typeAddr, err);
        if (type == null) return err[0];
        if (plen < 0 || plen > PAYLOAD_MAX) return -Errno.EINVAL;
        if (descAddr == 0) return -Errno.EINVAL;
        String desc = description(t, descAddr, err);
        if (desc == null) return err[0];
        byte[] payload = plen > 0 ? t.process.mm.read(payloadAddr, (int) plen) : null;
        return keys(t).add(caller(t), type, desc, payload, ring);
    }

    static long requestKey(Task t, long typeAddr, long descAddr, long calloutAddr, int dest) {
        long[] err = new long[1];
        String type = type(t, typeAddr, err);
        if (type == null) return err[0];
        String desc = description(t, descAddr, err);
        if (desc == null) return err[0];
        if (type.equals("keyring") && desc.startsWith(".")) return -Errno.EPERM;
        if (calloutAddr != 0) t.process.mm.readCString(calloutAddr, 1024 * 1024);
        // lxrun runs no /sbin/request-key upcall: with callout information a missing key is left
        // negative in the destination (ENOENT, as Linux without the helper), without it ENOKEY.
        return keys(t).search(caller(t), 0, type, desc, dest, true, calloutAddr != 0);
    }

    static long keyctl(Task t, int cmd, long a2, long a3, long a4, long a5) {
        Keys k = keys(t);
        Keys.Caller c = caller(t);
        AddressSpace mm = t.process.mm;
        long[] err = new long[1];
        switch (cmd) {
            case 0 -> { return k.getKeyringId(c, (int) a2, a3 != 0); }
            case 1 -> {
                String name = null;
                if (a2 != 0) {
                    name = description(t, a2, err);
                    if (name == null) return err[0];
                }
                return k.joinSession(c, name);
            }
            case 2 -> {
                if (a4 < 0 || a4 > PAYLOAD_MAX) return -Errno.EINVAL;
                byte[] payload = a4 > 0 ? mm.read(a3, (int) a4) : null;
                return k.update(c, (int) a2, payload);
            }
            case 3 -> { return k.revoke(c, (int) a2); }
            case 4 -> { return k.chown(c, (int) a2, (int) a3, (int) a4); }
            case 5 -> { return k.setperm(c, (int) a2, (int) a3); }
            case 6 -> {
                String d = k.describe(c, (int) a2, err);
                if (d == null) return err[0];
                byte[] b = (d + "\0").getBytes(StandardCharsets.UTF_8);
                if (a3 != 0 && a4 >= b.length) mm.writeBytes(a3, b);
                return b.length;
            }
            case 7 -> { return k.clear(c, (int) a2); }
            case 8 -> { return k.link(c, (int) a2, (int) a3); }
            case 9 -> { return k.unlink(c, (int) a2, (int) a3); }
            case 10 -> {
                String type = type(t, a3, err);
                if (type == null) return err[0];
                String desc = description(t, a4, err);
                if (desc == null) return err[0];
                return k.search(c, (int) a2, type, desc, (int) a5, false);
            }
            case 11 -> {
                byte[] b = k.read(c, (int) a2, err);
                if (b == null) return err[0];
                if (a3 != 0 && a4 > 0) mm.writeBytes(a3, b.length <= a4 ? b : java.util.Arrays.copyOf(b, (int) a4));
                return b.length;
            }
            // Instantiating needs the authorisation key of a request_key upcall, which lxrun never makes.
            case 12, 13, 19, 20 -> { return -Errno.EPERM; }
            case 14 -> { return k.setReqkeyKeyring(c, (int) a2); }
            case 15 -> { return k.setTimeout(c, (int) a2, a3 & 0xffffffffL); }
            case 16 -> { return a2 == 0 ? 0 : -Errno.EPERM; } // ASSUME_AUTHORITY: no authorisation keys exist
            case 17 -> {
                long r = k.getKeyringId(c, (int) a2, false); // GET_SECURITY: no security module labels keys
                if (r < 0) return r;
                if (a3 != 0 && a4 > 0) mm.writeBytes(a3, new byte[1]);
                return 1;
            }
            case 21 -> { return k.invalidate(c, (int) a2); }
            case 22 -> { return k.getPersistent(c, (int) a2, (int) a3); }
            // DH_COMPUTE, the PKEY_* operations, RESTRICT_KEYRING, MOVE and the rest:
            // answered as by a kernel built without them.
            default -> { return -Errno.EOPNOTSUPP; }
        }
    }
}
