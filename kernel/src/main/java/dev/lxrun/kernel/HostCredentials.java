package dev.lxrun.kernel;

import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.LongSupplier;

/**
 * The host identity a guest thread's file operations carry. When lxrun runs as root, a guest that
 * dropped to another uid must meet the same permission checks Linux would make; the host makes
 * them if the JVM thread running that guest thread carries the guest's filesystem ids. Linux keeps
 * credentials per thread, and the raw setfsuid/setfsgid/setgroups calls change only the calling
 * thread (glibc's wrappers would change them all), so each guest thread's own Java thread takes on
 * its process's ids before each syscall that needs them. A non-zero fsuid also drops the
 * filesystem capabilities (DAC override, CAP_FOWNER, CAP_CHOWN…), as for a real process of that uid.
 * Without host root nothing changes: the guest has the host user's ids and cannot change them.
 */
public final class HostCredentials {
    private static final int SETGROUPS = 116, SETFSUID = 122, SETFSGID = 123, GETEUID = 107;
    private static final boolean HOST_ROOT = HostSyscall.call(GETEUID, 0, 0, 0) == 0;

    private HostCredentials() {}

    /**
     * What each Java thread's host ids were last set to: guest threads run one task after another
     * on the same Java thread (GuestThreads), and a forked child shares its parent's credentials.
     */
    private static final ThreadLocal<Credentials> APPLIED = new ThreadLocal<>();

    /** Makes the calling thread's host filesystem ids and groups those of c (effective ids, as Linux's fsuid follows them). */
    static void apply(Credentials c) {
        if (!HOST_ROOT || APPLIED.get() == c) return;
        setIds(c.egid(), c.euid(), c.groups());
        APPLIED.set(c);
    }

    private static void setIds(int gid, int uid, int[] groups) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment list = a.allocate(ValueLayout.JAVA_INT, Math.max(1, groups.length));
            for (int i = 0; i < groups.length; i++) list.setAtIndex(ValueLayout.JAVA_INT, i, groups[i]);
            HostSyscall.call(SETGROUPS, groups.length, list.address(), 0);
        }
        HostSyscall.call(SETFSGID, gid, 0, 0);
        HostSyscall.call(SETFSUID, uid, 0, 0);
    }

    private static final Credentials LXRUN = Credentials.ofHost();

    /** Gives the calling thread lxrun's own ids back (after it ran a guest thread). */
    public static void restore() {
        if (!HOST_ROOT) return;
        setIds(LXRUN.egid(), LXRUN.euid(), LXRUN.groups());
        APPLIED.remove();
    }

    /** Runs op with the real ids as filesystem ids: access(2) checks with the real uid and gid. */
    public static long withRealIds(Credentials c, LongSupplier op) {
        if (!HOST_ROOT || (c.uid() == c.euid() && c.gid() == c.egid())) return op.getAsLong();
        HostSyscall.call(SETFSGID, c.gid(), 0, 0);
        HostSyscall.call(SETFSUID, c.uid(), 0, 0);
        try {
            return op.getAsLong();
        } finally {
            HostSyscall.call(SETFSGID, c.egid(), 0, 0);
            HostSyscall.call(SETFSUID, c.euid(), 0, 0);
        }
    }

    /** Runs op as lxrun itself (root): for lxrun's own bookkeeping on the host, which a guest's ids must not block. */
    public static long asLxrun(Credentials c, LongSupplier op) {
        if (!HOST_ROOT || (c.euid() == 0 && c.egid() == 0)) return op.getAsLong();
        HostSyscall.call(SETFSUID, 0, 0, 0);
        HostSyscall.call(SETFSGID, 0, 0, 0);
        try {
            return op.getAsLong();
        } finally {
            HostSyscall.call(SETFSGID, c.egid(), 0, 0);
            HostSyscall.call(SETFSUID, c.euid(), 0, 0);
        }
    }
}
