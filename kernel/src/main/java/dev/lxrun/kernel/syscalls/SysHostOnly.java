package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Calls that would change the host machine itself: its clock (clock_settime, settimeofday,
 * adjtimex, clock_adjtime), its kernel log (syslog), process accounting (acct), its terminal
 * lines (vhangup), its names (sethostname, setdomainname). lxrun may run as root with the
 * capabilities for all of them, but a guest must never reach the host's state through it: the
 * checks Linux makes first (EFAULT, EINVAL) are made, then the answer is EPERM, as for a caller
 * without the capability. Reading the clock's adjustment state (adjtimex with no modes) is the host's.
 */
final class SysHostOnly {
    private static final int CLOCK_REALTIME = 0, CLOCK_TAI = 11;
    private static final int TIMEX_SIZE = 208;
    private static final int ADJ_OFFSET_SS_READ = 0xa001;
    private static final long NS = 1_000_000_000L;

    private SysHostOnly() {}

    /** clock_settime: only CLOCK_REALTIME is settable on Linux; a valid time is refused. */
    static long clockSettime(Task t, int clock, long tsAddr) {
        long sec = t.process.mm.readLong(tsAddr), nsec = t.process.mm.readLong(tsAddr + 8);
        if (clock != CLOCK_REALTIME) return -Errno.EINVAL; // the other clocks (CPU clocks too) have no setter
        if (sec < 0 || nsec < 0 || nsec >= NS) return -Errno.EINVAL;
        return -Errno.EPERM;
    }

    /** settimeofday: the time and the time zone are both the host's; a bad microsecond count is EINVAL first. */
    static long settimeofday(Task t, long tvAddr, long tzAddr) {
        if (tvAddr != 0) {
            long sec = t.process.mm.readLong(tvAddr), usec = t.process.mm.readLong(tvAddr + 8);
            if (usec < 0 || usec >= 1_000_000 || sec < 0) return -Errno.EINVAL;
        }
        if (tzAddr != 0) t.process.mm.read(tzAddr, 8);
        return -Errno.EPERM;
    }

    /** adjtimex: a query (no modes, or the read-only offset query) is answered by the host; changes are EPERM. */
    static long adjtimex(Task t, long bufAddr) {
        return adjust(t, CLOCK_REALTIME, bufAddr);
    }

    /** clock_adjtime: CLOCK_REALTIME as adjtimex; the other system clocks cannot be adjusted. */
    static long clockAdjtime(Task t, int clock, long bufAddr) {
        if (clock == CLOCK_REALTIME) return adjust(t, clock, bufAddr);
        if (clock < 0 || clock > CLOCK_TAI || clock == 10) return -Errno.EINVAL;
        t.process.mm.read(bufAddr, TIMEX_SIZE);
        return -Errno.EOPNOTSUPP;
    }

    private static long adjust(Task t, int clock, long bufAddr) {
        final int CLOCK_ADJTIME = 305;
        byte[] timex = t.process.mm.read(bufAddr, TIMEX_SIZE);
        int modes = (timex[0] & 0xff) | (timex[1] & 0xff) << 8 | (timex[2] & 0xff) << 16 | (timex[3] & 0xff) << 24;
        if (modes != 0 && modes != ADJ_OFFSET_SS_READ) return -Errno.EPERM;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment host = a.allocate(TIMEX_SIZE);
            MemorySegment.copy(timex, 0, host, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, TIMEX_SIZE);
            long r = HostSyscall.call(CLOCK_ADJTIME, clock, host.address(), 0);
            if (r < 0) return r;
            t.process.mm.writeBytes(bufAddr, host.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            return r;
        }
    }

    /** syslog: the host's kernel log is not the guest's; an unknown action is EINVAL. */
    static long syslog(int type) {
        if (type < 0 || type > 10) return -Errno.EINVAL;
        return -Errno.EPERM;
    }

    static long refused() {
        return -Errno.EPERM;
    }

    /** sethostname/setdomainname: the length is checked (EINVAL), the name read (EFAULT), then refused. */
    static long setName(Task t, long nameAddr, int len) {
        if (len < 0 || len > 64) return -Errno.EINVAL;
        t.process.mm.read(nameAddr, len);
        return -Errno.EPERM;
    }
}
