package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/** System information: uname, sysinfo, getrandom. */
final class SysInfo {
    public static final String RELEASE = dev.lxrun.kernel.KernelIdentity.RELEASE;
    public static final String VERSION = dev.lxrun.kernel.KernelIdentity.VERSION;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SysInfo() {}

    static long uname(Task t, long addr) {
        byte[] buf = new byte[65 * 6];
        // PER_LINUX32 (linux32, setarch i686): Linux's uname reports the 32-bit machine.
        String machine = (t.process.personality & 0xff) == 0x0008 ? "i686" : "x86_64";
        String[] fields = {"Linux", t.kernel().config.hostname(), RELEASE, VERSION, machine, "(none)"};
        for (int i = 0; i < fields.length; i++) {
            byte[] f = fields[i].getBytes(StandardCharsets.UTF_8);
            System.arraycopy(f, 0, buf, 65 * i, Math.min(64, f.length));
        }
        t.process.mm.writeBytes(addr, buf);
        return 0;
    }

    static long sysinfo(Task t, long addr) {
        byte[] b = new byte[112];
        MemorySegment s = MemorySegment.ofArray(b);
        long uptime = (System.nanoTime()) / 1_000_000_000L;
        s.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, uptime);
        var os = ManagementFactory.getOperatingSystemMXBean();
        double load = os.getSystemLoadAverage();
        long fixed = load < 0 ? 0 : (long) (load * 65536);
        for (int i = 0; i < 3; i++) s.set(ValueLayout.JAVA_LONG_UNALIGNED, 8 + 8L * i, fixed);
        if (os instanceof com.sun.management.OperatingSystemMXBean ext) {
            s.set(ValueLayout.JAVA_LONG_UNALIGNED, 32, ext.getTotalMemorySize());
            s.set(ValueLayout.JAVA_LONG_UNALIGNED, 40, ext.getFreeMemorySize());
            s.set(ValueLayout.JAVA_LONG_UNALIGNED, 64, ext.getTotalSwapSpaceSize());
            s.set(ValueLayout.JAVA_LONG_UNALIGNED, 72, ext.getFreeSwapSpaceSize());
        }
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, 80, (short) 1);
        s.set(ValueLayout.JAVA_INT_UNALIGNED, 104, 1);
        t.process.mm.writeBytes(addr, b);
        return 0;
    }

    static long getrandom(Task t, long buf, long len, int flags) {
        final int GRND_NONBLOCK = 1, GRND_RANDOM = 2, GRND_INSECURE = 4;
        if ((flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) != 0) return -Errno.EINVAL;
        if ((flags & (GRND_RANDOM | GRND_INSECURE)) == (GRND_RANDOM | GRND_INSECURE)) return -Errno.EINVAL;
        // The length is unsigned; Linux stops where the buffer stops being writable and returns
        // what it filled (EFAULT only when nothing could be).
        long n = Long.compareUnsigned(len, 0x7ffff000L) > 0 ? 0x7ffff000L : len; // MAX_RW_COUNT
        // even no bytes go through x86's access_ok, which refuses an address above user space
        if (n == 0) return Long.compareUnsigned(buf, dev.lxrun.kernel.mm.AddressSpace.TASK_SIZE) > 0 ? -Errno.EFAULT : 0;
        n = GuestIo.reachable(t.process.mm, buf, n, 2);
        long done = 0;
        byte[] chunk = new byte[(int) Math.min(n, 65536)];
        while (done < n) {
            int c = (int) Math.min(chunk.length, n - done);
            RANDOM.nextBytes(chunk);
            t.process.mm.copyIn(buf + done, MemorySegment.ofArray(chunk).asSlice(0, c), true);
            done += c;
        }
        return n;
    }
}
