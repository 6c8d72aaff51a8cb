package dev.lxrun.net;

import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The host's sock_diag (NETLINK_SOCK_DIAG) asked about one AF_UNIX socket: which socket is its
 * peer. getpeername cannot tell (a socketpair's ends are unnamed); the peer's inode can.
 */
final class SockDiag {
    private static final int AF_NETLINK = 16, SOCK_RAW = 3, SOCK_CLOEXEC = 02000000, NETLINK_SOCK_DIAG = 4;
    private static final int SOCK_DIAG_BY_FAMILY = 20, NLM_F_REQUEST = 1, UDIAG_SHOW_PEER = 4, UNIX_DIAG_PEER = 2;
    private static final int SYS_CLOSE = 3;
    private static final int REQUEST_SIZE = 40, NLMSG_HEADER = 16, UNIX_DIAG_MSG = 16;

    /** A peer that has no inode yet: a connection waiting in a listen queue gets one when accepted. */
    static final long PENDING = -2;

    private SockDiag() {}

    /** The inode of the peer of the AF_UNIX socket with this inode: 0 for none, PENDING, or -1 when unknown. */
    static long peerInode(long inode) {
        if (inode <= 0) return -1;
        int nl = (int) HostSyscall.call(HostSockets.SYS_SOCKET, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
        if (nl < 0) return -1;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment req = a.allocate(REQUEST_SIZE, 8);
            req.set(ValueLayout.JAVA_INT, 0, REQUEST_SIZE); // nlmsghdr: length, type, flags, seq, pid
            req.set(ValueLayout.JAVA_SHORT, 4, (short) SOCK_DIAG_BY_FAMILY);
            req.set(ValueLayout.JAVA_SHORT, 6, (short) NLM_F_REQUEST);
            req.set(ValueLayout.JAVA_BYTE, 16, (byte) HostSockets.AF_UNIX); // unix_diag_req
            req.set(ValueLayout.JAVA_INT, 20, -1); // all states
            req.set(ValueLayout.JAVA_INT, 24, (int) inode);
            req.set(ValueLayout.JAVA_INT, 28, UDIAG_SHOW_PEER);
            req.set(ValueLayout.JAVA_LONG, 32, -1L); // no cookie to match
            if (HostSyscall.call(HostSockets.SYS_SENDTO, nl, req.address(), REQUEST_SIZE, 0, 0, 0) != REQUEST_SIZE) return -1;
            MemorySegment resp = a.allocate(1024, 8);
            long n = HostSyscall.call(HostSockets.SYS_RECVFROM, nl, resp.address(), 1024, 0, 0, 0);
            int attrs = NLMSG_HEADER + UNIX_DIAG_MSG;
            if (n < attrs || resp.get(ValueLayout.JAVA_SHORT, 4) != SOCK_DIAG_BY_FAMILY) return -1;
            int msgLen = Math.min(resp.get(ValueLayout.JAVA_INT, 0), (int) n);
            for (int off = attrs; off + 4 <= msgLen; ) { // rtattrs: length, type, payload, padded to 4
                int rtaLen = resp.get(ValueLayout.JAVA_SHORT, off) & 0xffff, type = resp.get(ValueLayout.JAVA_SHORT, off + 2);
                if (rtaLen < 4) break;
                if (type == UNIX_DIAG_PEER && rtaLen >= 8) {
                    long peer = resp.get(ValueLayout.JAVA_INT, off + 4) & 0xffffffffL;
                    return peer == 0 ? PENDING : peer;
                }
                off += (rtaLen + 3) & ~3;
            }
            return 0;
        } finally {
            HostSyscall.call(SYS_CLOSE, nl, 0, 0);
        }
    }
}
