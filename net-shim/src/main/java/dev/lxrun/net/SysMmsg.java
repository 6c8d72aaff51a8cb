package dev.lxrun.net;

import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;

/**
 * sendmmsg and recvmmsg: a vector of struct mmsghdr (a msghdr and the byte count of its
 * message, 64 bytes each), each message going through sendmsg/recvmsg in turn. As on Linux, an
 * error after the first message ends the batch and the count so far is returned.
 */
final class SysMmsg {
    private static final int MMSGHDR_SIZE = 64, MSG_LEN = 56;
    /** Linux's UIO_MAXIOV: longer vectors are cut to this many messages. */
    private static final int MAX_BATCH = 1024;
    private static final int MSG_DONTWAIT = 0x40, MSG_WAITFORONE = 0x10000;
    private static final long NS = 1_000_000_000L;

    private SysMmsg() {}

    static long sendmmsg(Task t, int fd, long vec, long vlen, int flags) {
        int n = (int) Math.min(Integer.toUnsignedLong((int) vlen), MAX_BATCH);
        int sent = 0;
        for (; sent < n; sent++) {
            long hdr = vec + (long) MMSGHDR_SIZE * sent;
            long r = SysMsg.msg(t, fd, hdr, flags, true);
            if (r < 0) return sent > 0 ? sent : r;
            t.process.mm.writeInt(hdr + MSG_LEN, (int) r);
        }
        return sent;
    }

    /**
     * recvmmsg: MSG_WAITFORONE makes every receive after the first non-blocking; the timeout, as
     * on Linux, is only looked at after each message arrives.
     */
    static long recvmmsg(Task t, int fd, long vec, long vlen, int flags, long timeoutAddr) {
        long deadline = Long.MAX_VALUE;
        if (timeoutAddr != 0) {
            long sec = t.process.mm.readLong(timeoutAddr), nsec = t.process.mm.readLong(timeoutAddr + 8);
            if (sec < 0 || nsec < 0 || nsec >= NS) return -Errno.EINVAL;
            deadline = System.nanoTime() + Math.min(sec, Long.MAX_VALUE / NS / 4) * NS + nsec;
        }
        int n = (int) Math.min(Integer.toUnsignedLong((int) vlen), MAX_BATCH);
        int got = 0;
        int f = flags & ~MSG_WAITFORONE;
        for (; got < n; got++) {
            long hdr = vec + (long) MMSGHDR_SIZE * got;
            long r = SysMsg.msg(t, fd, hdr, f, false);
            if (r < 0) return got > 0 ? got : r;
            t.process.mm.writeInt(hdr + MSG_LEN, (int) r);
            if ((flags & MSG_WAITFORONE) != 0) f |= MSG_DONTWAIT;
            if (System.nanoTime() >= deadline) {
                got++;
                break;
            }
        }
        return got;
    }
}
