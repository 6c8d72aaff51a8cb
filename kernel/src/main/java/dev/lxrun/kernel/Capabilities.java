package dev.lxrun.kernel;

import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A process's capability sets (bit n: capability n) as capget reports them and /proc/PID/status
 * shows them. They are the guest's bookkeeping: what lxrun checks itself and what it tells the
 * guest; the host still acts with lxrun's own capabilities. They follow Linux's rules when the
 * uids change (setuid from root clears them unless keep-caps) and at exec (root gets the bounding
 * set; others keep only ambient ones), with no file capabilities.
 */
public record Capabilities(long inheritable, long permitted, long effective, long bounding, long ambient) {
    /** CAP_LAST_CAP: 40 (CAP_CHECKPOINT_RESTORE) in the kernels lxrun models. */
    public static final int LAST_CAP = 40;
    public static final long ALL = (1L << (LAST_CAP + 1)) - 1;
    public static final int CAP_SETPCAP = 8, CAP_SYS_ADMIN = 21, CAP_SYS_NICE = 23, CAP_SYS_RESOURCE = 24;

    private static final Capabilities HOST = readHost();

    /** What a first guest process holds: lxrun's own sets when it has lxrun's ids, none when not root. */
    public static Capabilities initial(Credentials c) {
        Credentials host = Credentials.ofHost();
        if (c.euid() == host.euid() && c.uid() == host.uid()) return HOST;
        boolean root = c.euid() == 0 || c.uid() == 0;
        long p = root ? HOST.bounding : 0;
        return new Capabilities(0, p, c.euid() == 0 ? p : 0, HOST.bounding, 0);
    }

    /** The JVM's own sets: capget for effective/permitted/inheritable, /proc for bounding and ambient. */
    private static Capabilities readHost() {
        final int CAPGET = 125, VERSION_3 = 0x20080522;
        long eff = 0, prm = 0, inh = 0, bnd = ALL, amb = 0;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment hdr = a.allocate(8), data = a.allocate(24);
            hdr.set(ValueLayout.JAVA_INT, 0, VERSION_3);
            if (HostSyscall.call(CAPGET, hdr.address(), data.address(), 0) == 0) {
                eff = word(data, 0, 12);
                prm = word(data, 4, 16);
                inh = word(data, 8, 20);
            }
        } catch (Throwable e) {
            // No FFM access: keep the defaults above.
        }
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("CapBnd:")) bnd = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                if (line.startsWith("CapAmb:")) amb = Long.parseUnsignedLong(line.substring(7).strip(), 16);
            }
        } catch (Exception e) {
            // No host /proc: everything bounded in, nothing ambient.
        }
        return new Capabilities(inh, prm, eff, bnd, amb);
    }

    private static long word(MemorySegment data, int low, int high) {
        return (data.get(ValueLayout.JAVA_INT, low) & 0xffffffffL) | (data.get(ValueLayout.JAVA_INT, high) & 0xffffffffL) << 32;
    }

    public boolean has(int cap) {
        return (effective >>> cap & 1) != 0;
    }

    /** Linux's cap_emulate_setxuid: leaving uid 0 drops the sets, gaining euid 0 raises the effective one. */
    public Capabilities afterUidChange(Credentials old, Credentials now, boolean keepCaps, boolean noSetuidFixup) {
        if (noSetuidFixup) return this;
        long prm = permitted, eff = effective, amb = ambient;
        boolean wasRoot = old.uid() == 0 || old.euid() == 0 || old.suid() == 0;
        boolean isRoot = now.uid() == 0 || now.euid() == 0 || now.suid() == 0;
        if (wasRoot && !isRoot) {
            if (!keepCaps) prm = 0;
            eff = 0;
            amb = 0;
        }
        if (old.euid() == 0 && now.euid() != 0) eff = 0;
        if (old.euid() != 0 && now.euid() == 0) eff = prm;
        return new Capabilities(inheritable, prm, eff, bounding, amb);
    }

    /** The sets after exec of a file without file capabilities (cap_bprm_creds_from_file). */
    public Capabilities afterExec(Credentials c, boolean noRoot) {
        if (!noRoot && (c.uid() == 0 || c.euid() == 0)) {
            long prm = inheritable | bounding; // Linux: the bounding set combined with the inheritable one
            return new Capabilities(inheritable, prm, c.euid() == 0 ? prm : 0, bounding, 0);
        }
        return new Capabilities(inheritable, ambient, ambient, bounding, ambient);
    }

    public Capabilities with(long inh, long prm, long eff) {
        return new Capabilities(inh, prm, eff, bounding, ambient & prm & inh);
    }

    public Capabilities withoutBounding(int cap) {
        return new Capabilities(inheritable, permitted, effective, bounding & ~(1L << cap), ambient);
    }
}
