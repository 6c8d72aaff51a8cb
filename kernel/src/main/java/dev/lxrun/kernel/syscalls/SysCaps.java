package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Capabilities;
import dev.lxrun.kernel.Process;
import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;

/**
 * capget/capset and the capability requests of prctl (bounding set, ambient set, securebits,
 * keep-caps). The sets are the guest process's (Capabilities), checked with Linux's rules.
 */
final class SysCaps {
    private static final int V1 = 0x19980330, V2 = 0x20071026, V3 = 0x20080522;
    /** The securebits Linux knows (NOROOT, NO_SETUID_FIXUP, KEEP_CAPS, NO_CAP_AMBIENT_RAISE,
     *  EXEC_RESTRICT_FILE, EXEC_DENY_INTERACTIVE) and their lock bits, one above each. */
    private static final int SECURE_ALL_BITS = 0x555, SECURE_ALL_LOCKS = SECURE_ALL_BITS << 1;
    private static final int SECBIT_KEEP_CAPS = 0x10, SECBIT_KEEP_CAPS_LOCKED = 0x20, SECBIT_NO_CAP_AMBIENT_RAISE = 0x40;

    private SysCaps() {}

    /** The header's version: how many 32-bit words each set takes (1 or 2), or -EINVAL after writing V3 back. */
    private static int words(Task t, long hdrAddr) {
        int version = t.process.mm.readInt(hdrAddr);
        return switch (version) {
            case V1 -> 1;
            case V2, V3 -> 2;
            default -> {
                t.process.mm.writeInt(hdrAddr, V3); // the version this kernel prefers
                yield -Errno.EINVAL;
            }
        };
    }

    static long capget(Task t, long hdrAddr, long dataAddr) {
        int words = words(t, hdrAddr);
        if (dataAddr == 0 || words < 0) return dataAddr == 0 && words == -Errno.EINVAL ? 0 : words;
        int pid = t.process.mm.readInt(hdrAddr + 4);
        if (pid < 0) return -Errno.EINVAL;
        Task target = pid == 0 ? t : t.kernel().task(pid);
        if (target == null) return -Errno.ESRCH;
        Capabilities c = target.process.caps;
        for (int i = 0; i < words; i++) {
            long at = dataAddr + 12L * i;
            t.process.mm.writeInt(at, (int) (c.effective() >>> (32 * i)));
            t.process.mm.writeInt(at + 4, (int) (c.permitted() >>> (32 * i)));
            t.process.mm.writeInt(at + 8, (int) (c.inheritable() >>> (32 * i)));
        }
        return 0;
    }

    static long capset(Task t, long hdrAddr, long dataAddr) {
        int words = words(t, hdrAddr);
        if (words < 0) return words;
        var mm = t.process.mm;
        int pid = mm.readInt(hdrAddr + 4);
        if (pid != 0 && pid != t.process.pid) return -Errno.EPERM; // only the caller's own sets
        long eff = 0, prm = 0, inh = 0;
        for (int i = 0; i < words; i++) {
            long at = dataAddr + 12L * i;
            eff |= (mm.readInt(at) & 0xffffffffL) << (32 * i);
            prm |= (mm.readInt(at + 4) & 0xffffffffL) << (32 * i);
            inh |= (mm.readInt(at + 8) & 0xffffffffL) << (32 * i);
        }
        eff &= Capabilities.ALL;
        prm &= Capabilities.ALL;
        inh &= Capabilities.ALL;
        Process p = t.process;
        Capabilities old = p.caps;
        // Linux's cap_capset: the inheritable set grows only within permitted (without CAP_SETPCAP)
        // and bounding; permitted never grows; effective stays within permitted.
        if (!old.has(Capabilities.CAP_SETPCAP) && (inh & ~(old.inheritable() | old.permitted())) != 0) return -Errno.EPERM;
        if ((inh & ~(old.inheritable() | old.bounding())) != 0) return -Errno.EPERM;
        if ((prm & ~old.permitted()) != 0) return -Errno.EPERM;
        if ((eff & ~prm) != 0) return -Errno.EPERM;
        p.caps = old.with(inh, prm, eff);
        return 0;
    }

    /** The prctl options about capabilities, or null when option is none of them. */
    static Long prctl(Task t, int option, long a2, long a3, long a4, long a5) {
        final int PR_CAPBSET_READ = 23, PR_CAPBSET_DROP = 24, PR_GET_KEEPCAPS = 7, PR_SET_KEEPCAPS = 8,
                PR_GET_SECUREBITS = 27, PR_SET_SECUREBITS = 28, PR_CAP_AMBIENT = 47;
        Process p = t.process;
        Capabilities c = p.caps;
        switch (option) {
            case PR_CAPBSET_READ -> {
                if (!valid(a2)) return (long) -Errno.EINVAL;
                return c.bounding() >>> a2 & 1;
            }
            case PR_CAPBSET_DROP -> {
                if (!c.has(Capabilities.CAP_SETPCAP)) return (long) -Errno.EPERM;
                if (!valid(a2)) return (long) -Errno.EINVAL;
                p.caps = c.withoutBounding((int) a2);
                return 0L;
            }
            case PR_GET_KEEPCAPS -> {
                return (p.securebits & SECBIT_KEEP_CAPS) != 0 ? 1L : 0L;
            }
            case PR_SET_KEEPCAPS -> {
                if (a2 < 0 || a2 > 1) return (long) -Errno.EINVAL;
                if ((p.securebits & SECBIT_KEEP_CAPS_LOCKED) != 0) return (long) -Errno.EPERM;
                p.securebits = a2 == 1 ? p.securebits | SECBIT_KEEP_CAPS : p.securebits & ~SECBIT_KEEP_CAPS;
                return 0L;
            }
            case PR_GET_SECUREBITS -> {
                return (long) p.securebits;
            }
            case PR_SET_SECUREBITS -> {
                int old = p.securebits;
                // A locked bit may not change, a lock may not be released, unknown bits are refused, and
                // all of it needs CAP_SETPCAP: each is EPERM, as Linux's cap_task_prctl.
                if ((((old & SECURE_ALL_LOCKS) >>> 1) & (old ^ a2)) != 0 || (old & SECURE_ALL_LOCKS & ~a2) != 0
                        || (a2 & ~(long) (SECURE_ALL_LOCKS | SECURE_ALL_BITS)) != 0
                        || !c.has(Capabilities.CAP_SETPCAP)) {
                    return (long) -Errno.EPERM;
                }
                p.securebits = (int) a2;
                return 0L;
            }
            case PR_CAP_AMBIENT -> {
                return ambient(p, c, a2, a3, a4, a5);
            }
            default -> {
                return null;
            }
        }
    }

    private static boolean valid(long cap) {
        return cap >= 0 && cap <= Capabilities.LAST_CAP;
    }

    private static long ambient(Process p, Capabilities c, long op, long cap, long a4, long a5) {
        final int IS_SET = 1, RAISE = 2, LOWER = 3, CLEAR_ALL = 4;
        if (op == CLEAR_ALL) {
            if (cap != 0 || a4 != 0 || a5 != 0) return -Errno.EINVAL;
            p.caps = new Capabilities(c.inheritable(), c.permitted(), c.effective(), c.bounding(), 0);
            return 0;
        }
        if (a4 != 0 || a5 != 0 || !valid(cap)) return -Errno.EINVAL;
        long bit = 1L << cap;
        switch ((int) op) {
            case IS_SET -> {
                return (c.ambient() & bit) != 0 ? 1 : 0;
            }
            case RAISE -> {
                if ((c.permitted() & bit) == 0 || (c.inheritable() & bit) == 0
                        || (p.securebits & SECBIT_NO_CAP_AMBIENT_RAISE) != 0) return -Errno.EPERM;
                p.caps = new Capabilities(c.inheritable(), c.permitted(), c.effective(), c.bounding(), c.ambient() | bit);
                return 0;
            }
            case LOWER -> {
                p.caps = new Capabilities(c.inheritable(), c.permitted(), c.effective(), c.bounding(), c.ambient() & ~bit);
                return 0;
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
    }
}
