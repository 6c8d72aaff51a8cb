package dev.lxrun.net;

import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Small questions asked of a host socket: options, its inode, its addresses. */
final class HostSockets {
    static final int SYS_SOCKET = 41, SYS_SENDTO = 44, SYS_RECVFROM = 45, SYS_GETSOCKNAME = 51, SYS_GETPEERNAME = 52,
            SYS_GETSOCKOPT = 55;
    static final int AF_UNIX = 1, SOL_SOCKET = 1, SO_PASSCRED = 16;
    private static final int SYS_FSTAT = 5, SYS_BIND = 49, SO_TYPE = 3, SO_RCVTIMEO = 20, SO_SNDTIMEO = 21, SO_DOMAIN = 39,
            SO_ACCEPTCONN = 30, SOCK_STREAM = 1, SOCK_SEQPACKET = 5;

    private HostSockets() {}

    /** An int-valued SOL_SOCKET option, or -errno. */
    static long intOption(int hostFd, int name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(4), len = a.allocate(4);
            len.set(ValueLayout.JAVA_INT, 0, 4);
            long r = HostSyscall.call(SYS_GETSOCKOPT, hostFd, SOL_SOCKET, name, v.address(), len.address(), 0);
            return r < 0 ? r : v.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /**
     * 0 when the socket may be accepted on (it is listening), else accept's own answer as Linux
     * gives it before waiting or touching the address: EINVAL for a stream socket that is not
     * listening, EOPNOTSUPP for kinds that have no accept (datagram, raw, netlink).
     */
    static long acceptable(int hostFd) {
        if (intOption(hostFd, SO_ACCEPTCONN) > 0) return 0;
        long type = type(hostFd);
        if (type < 0) return type;
        return type == SOCK_STREAM || type == SOCK_SEQPACKET ? -Errno.EINVAL : -Errno.EOPNOTSUPP;
    }

    static long domain(int hostFd) {
        return intOption(hostFd, SO_DOMAIN);
    }

    static long type(int hostFd) {
        return intOption(hostFd, SO_TYPE);
    }

    /** SO_RCVTIMEO (receive) or SO_SNDTIMEO in milliseconds (a set sub-millisecond timeout is 1), 0 for none. */
    static long timeoutMillis(int hostFd, boolean receive) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment tv = a.allocate(16, 8), len = a.allocate(4);
            len.set(ValueLayout.JAVA_INT, 0, 16);
            long r = HostSyscall.call(SYS_GETSOCKOPT, hostFd, SOL_SOCKET, receive ? SO_RCVTIMEO : SO_SNDTIMEO,
                    tv.address(), len.address(), 0);
            if (r < 0) return 0;
            long sec = tv.get(ValueLayout.JAVA_LONG, 0), usec = tv.get(ValueLayout.JAVA_LONG, 8);
            long ms = sec * 1000 + usec / 1000;
            return ms == 0 && usec > 0 ? 1 : ms;
        }
    }

    /** Binds an unbound AF_UNIX socket to a fresh abstract name of the host's choosing (a bind naming only the family). */
    static long autobind(int hostFd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sa = a.allocate(2);
            sa.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
            return HostSyscall.call(SYS_BIND, hostFd, sa.address(), 2);
        }
    }

    /** The inode number of the socket (sockfs), or -1. */
    static long inode(int hostFd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(144, 8);
            return HostSyscall.call(SYS_FSTAT, hostFd, st.address(), 0) < 0 ? -1 : st.get(ValueLayout.JAVA_LONG, 8);
        }
    }

    /** The socket's own (SYS_GETSOCKNAME) or peer's (SYS_GETPEERNAME) address bytes; null when unnamed or on error. */
    static byte[] address(int hostFd, int nr) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(128), len = a.allocate(4);
            len.set(ValueLayout.JAVA_INT, 0, 128);
            if (HostSyscall.call(nr, hostFd, buf.address(), len.address()) < 0) return null;
            int n = Math.min(len.get(ValueLayout.JAVA_INT, 0), 128);
            return n <= 2 ? null : buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        }
    }
}
