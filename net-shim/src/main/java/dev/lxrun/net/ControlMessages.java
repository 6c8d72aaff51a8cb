package dev.lxrun.net;

import dev.lxrun.kernel.Credentials;
import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.FileDescription;
import dev.lxrun.vfs.host.HostPosix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Control messages (cmsghdr chains) between guest and host. SCM_RIGHTS carries descriptor
 * numbers, which are guest fds on the guest's side and JVM fds on the host's; SCM_CREDENTIALS
 * carries pids and ids, which the host only accepts and reports as the JVM's. Everything else
 * passes through as it is.
 */
final class ControlMessages {
    private static final int SOL_SOCKET = 1, SCM_RIGHTS = 1, SCM_CREDENTIALS = 2;
    private static final int HEADER = 16, UCRED = 12;
    private static final Credentials HOST_CREDS = Credentials.ofHost();

    private ControlMessages() {}

    /** What a guest's outgoing control data became: an -errno, or 0 and the credentials it named (or null). */
    record Outgoing(long error, UnixPeers.Cred credentials) {}

    /**
     * Rewrites outgoing control data in place for the host: SCM_RIGHTS guest fds become host fds;
     * explicit SCM_CREDENTIALS are checked as Linux checks them and replaced by the JVM's, which
     * is all the host accepts (the receiver is told the guest's, see UnixPeers).
     */
    static Outgoing outgoing(Task t, MemorySegment ctl, long len) {
        UnixPeers.Cred named = null;
        for (long off = 0; off + HEADER <= len; ) {
            long cmsgLen = ctl.get(ValueLayout.JAVA_LONG, off);
            if (cmsgLen < HEADER || off + cmsgLen > len) break;
            int level = ctl.get(ValueLayout.JAVA_INT, off + 8), type = ctl.get(ValueLayout.JAVA_INT, off + 12);
            if (level == SOL_SOCKET && type == SCM_RIGHTS) {
                for (long p = off + HEADER; p + 4 <= off + cmsgLen; p += 4) {
                    FileDescription f = t.process.fds.get(ctl.get(ValueLayout.JAVA_INT, p));
                    if (f == null || f.hostFd() < 0) return new Outgoing(-Errno.EBADF, null);
                    ctl.set(ValueLayout.JAVA_INT, p, f.hostFd());
                }
            } else if (level == SOL_SOCKET && type == SCM_CREDENTIALS && cmsgLen >= HEADER + UCRED) {
                long at = off + HEADER;
                named = new UnixPeers.Cred(ctl.get(ValueLayout.JAVA_INT, at), ctl.get(ValueLayout.JAVA_INT, at + 4),
                        ctl.get(ValueLayout.JAVA_INT, at + 8));
                long bad = check(t, named);
                if (bad < 0) return new Outgoing(bad, null);
                ctl.set(ValueLayout.JAVA_INT, at, (int) UnixPeers.HOST_PID);
                ctl.set(ValueLayout.JAVA_INT, at + 4, HOST_CREDS.uid());
                ctl.set(ValueLayout.JAVA_INT, at + 8, HOST_CREDS.gid());
            }
            off += align(cmsgLen);
        }
        return new Outgoing(0, named);
    }

    /** Linux's scm_check_creds: a process may name itself and its own ids; privileged ones anyone living. */
    private static long check(Task t, UnixPeers.Cred c) {
        Credentials own = t.process.creds;
        boolean privileged = own.privileged();
        boolean uidOk = c.uid() == own.uid() || c.uid() == own.euid() || c.uid() == own.suid();
        boolean gidOk = c.gid() == own.gid() || c.gid() == own.egid() || c.gid() == own.sgid();
        if (!privileged && (c.pid() != t.process.pid || !uidOk || !gidOk)) return -Errno.EPERM;
        return t.kernel().process(c.pid()) == null ? -Errno.ESRCH : 0;
    }

    /**
     * Rewrites received control data in place for the guest and returns its new length. Received
     * host fds become guest fds, close-on-exec when cloexec (MSG_CMSG_CLOEXEC); as on Linux, a
     * descriptor the guest cannot take (its table is full) ends the SCM_RIGHTS message there,
     * the rest are closed and truncated[0] is set (MSG_CTRUNC). Credentials naming the JVM are
     * the guest that sent the message.
     */
    static long incoming(Task t, int hostFd, MemorySegment ctl, long len, boolean cloexec, boolean[] truncated) {
        long end = len;
        for (long off = 0; off + HEADER <= len; ) {
            long cmsgLen = ctl.get(ValueLayout.JAVA_LONG, off);
            if (cmsgLen < HEADER || off + cmsgLen > len) break;
            int level = ctl.get(ValueLayout.JAVA_INT, off + 8), type = ctl.get(ValueLayout.JAVA_INT, off + 12);
            if (level == SOL_SOCKET && type == SCM_RIGHTS) {
                if (truncated[0]) {
                    closeAll(ctl, off + HEADER, off + cmsgLen);
                } else {
                    long kept = installRights(t, ctl, off, cmsgLen, cloexec);
                    if (kept < cmsgLen) {
                        truncated[0] = true;
                        end = kept == HEADER ? off : Math.min(len, off + align(kept));
                        if (kept > HEADER) ctl.set(ValueLayout.JAVA_LONG, off, kept);
                    }
                }
            } else if (level == SOL_SOCKET && type == SCM_CREDENTIALS && cmsgLen >= HEADER + UCRED) {
                guestSender(hostFd, ctl, off + HEADER);
            }
            off += align(cmsgLen);
        }
        return end;
    }

    /** Installs one SCM_RIGHTS message's host fds as guest fds; returns the cmsg length of those installed. */
    private static long installRights(Task t, MemorySegment ctl, long off, long cmsgLen, boolean cloexec) {
        for (long p = off + HEADER; p + 4 <= off + cmsgLen; p += 4) {
            long g = HostSocket.install(t, ctl.get(ValueLayout.JAVA_INT, p), cloexec);
            if (g < 0) { // the failed one is closed already
                closeAll(ctl, p + 4, off + cmsgLen);
                return p - off;
            }
            ctl.set(ValueLayout.JAVA_INT, p, (int) g);
        }
        return cmsgLen;
    }

    private static void closeAll(MemorySegment ctl, long from, long to) {
        for (long p = from; p + 4 <= to; p += 4) HostPosix.close(ctl.get(ValueLayout.JAVA_INT, p));
    }

    /** A received ucred naming the JVM names a guest process: the one recorded as the sender. */
    private static void guestSender(int hostFd, MemorySegment ctl, long at) {
        if (ctl.get(ValueLayout.JAVA_INT, at) != UnixPeers.HOST_PID) return; // a host process sent it
        UnixPeers.Cred c = UnixPeers.sender(hostFd);
        if (c == null) return;
        ctl.set(ValueLayout.JAVA_INT, at, c.pid());
        ctl.set(ValueLayout.JAVA_INT, at + 4, c.uid());
        ctl.set(ValueLayout.JAVA_INT, at + 8, c.gid());
    }

    /** CMSG_ALIGN: cmsghdrs follow each other at 8-byte boundaries. */
    private static long align(long n) {
        return (n + 7) & ~7L;
    }
}
