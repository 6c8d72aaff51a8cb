package dev.lxrun.net;

import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.syscalls.GuestIo;
import dev.lxrun.kernel.syscalls.HostArgs;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.host.HostPosix;
import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Socket creation, naming, connection and options. A guest socket is a host socket descriptor,
 * so TCP/UDP/UNIX traffic, loopback between guest and host, options and readiness are the
 * host's own; the host descriptor is close-on-exec for the JVM whatever the guest asked, since
 * guest close-on-exec is kept by the guest fd table.
 */
final class SysSocket {
    private static final int SYS_CONNECT = 42, SYS_SHUTDOWN = 48, SYS_BIND = 49, SYS_LISTEN = 50, SYS_SOCKETPAIR = 53,
            SYS_SETSOCKOPT = 54, SYS_ACCEPT4 = 288;
    private static final int AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10, AF_NETLINK = 16;
    private static final int SOCK_NONBLOCK = 04000, SOCK_CLOEXEC = 02000000;
    private static final int SO_PEERCRED = 17;
    private static final int PROT_READ = 1, PROT_WRITE = 2;

    private SysSocket() {}

    /** The host descriptor behind guest fd: -EBADF when not open, -ENOTSOCK when it has none. */
    static int hostFd(Task t, int fd) {
        return HostArgs.fd(t, fd, Errno.ENOTSOCK);
    }

    private static long host(Task t, long addr, long len, int prot) {
        return HostArgs.address(t, addr, len, prot);
    }

    static long socket(Task t, int domain, int type, int protocol) {
        if (domain != AF_UNIX && domain != AF_INET && domain != AF_INET6 && domain != AF_NETLINK) return -Errno.EAFNOSUPPORT;
        long r = HostSyscall.call(HostSockets.SYS_SOCKET, domain, type | SOCK_CLOEXEC, protocol);
        return HostSocket.install(t, r, (type & SOCK_CLOEXEC) != 0);
    }

    static long socketpair(Task t, int domain, int type, int protocol, long svAddr) {
        // __sys_socketpair's order: the flag bits, then the two descriptors are reserved and
        // written out (EFAULT), and only then are the sockets made (family and type errors).
        final int SOCK_TYPE_MASK = 0xf;
        if ((type & ~SOCK_TYPE_MASK & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) != 0) return -Errno.EINVAL;
        t.process.mm.checkAccess(svAddr, 8, 2);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sv = a.allocate(8);
            // Other families are asked of the host too, for Linux's answer and its order
            // (EINVAL flags, EAFNOSUPPORT family, ESOCKTNOSUPPORT type, EOPNOTSUPP no pairs).
            long r = HostSyscall.call(SYS_SOCKETPAIR, domain, type | SOCK_CLOEXEC, protocol, sv.address(), 0, 0);
            if (r < 0) return r;
            if (domain != AF_UNIX) {
                HostPosix.close(sv.get(ValueLayout.JAVA_INT, 0));
                HostPosix.close(sv.get(ValueLayout.JAVA_INT, 4));
                return -Errno.EOPNOTSUPP;
            }
            int h0 = sv.get(ValueLayout.JAVA_INT, 0), h1 = sv.get(ValueLayout.JAVA_INT, 4);
            UnixPeers.created(t, h0);
            UnixPeers.created(t, h1);
            boolean cloexec = (type & SOCK_CLOEXEC) != 0;
            long g0 = HostSocket.install(t, h0, cloexec);
            if (g0 < 0) {
                HostPosix.close(h1);
                return g0;
            }
            long g1 = HostSocket.install(t, h1, cloexec);
            if (g1 < 0) {
                t.process.fds.close((int) g0);
                return g1;
            }
            t.process.mm.writeInt(svAddr, (int) g0);
            t.process.mm.writeInt(svAddr + 4, (int) g1);
            return 0;
        }
    }

    static long bind(Task t, int fd, long addr, long len) {
        int h = hostFd(t, fd);
        if (h < 0) return h;
        HostSocket s = HostSocket.of(t, fd);
        return SockAddr.withBind(t, addr, len, (a, l) -> {
            long r = HostSyscall.call(SYS_BIND, h, a, l);
            if (r != 0 || s == null || !s.isUnix()) return r;
            // While a directory link in the host path is still open: datagrams sent to this name reach s.
            UnixPeers.bound(s, ReceiverKey.of(a, l));
            byte[] raw = t.process.mm.read(addr, (int) len);
            if (SockAddr.rewritten(t, raw)) s.boundAs(SockAddr.boundForm(raw));
            return r;
        });
    }

    static long connect(Task t, int fd, long addr, long len) {
        int h = hostFd(t, fd);
        if (h < 0) return h;
        long r = SockAddr.with(t, addr, len, (a, l) -> HostSyscall.call(SYS_CONNECT, h, a, l));
        HostSocket s = HostSocket.of(t, fd);
        if (r == 0 && s != null) {
            UnixPeers.connected(t, s);
            Sending.learnAutobind(s, r);
        }
        return r;
    }

    /**
     * The smallest TCP accept queue lxrun asks the host for. A server that forks per connection
     * (busybox httpd asks for 9) accepts far more slowly under lxrun than on Linux, and a small
     * queue then overflows: the host drops SYNs and clients wait seconds for retransmits. A
     * longer TCP queue only lets more clients in early; AF_UNIX keeps the guest's number, since
     * there a full queue is visible (EAGAIN from a nonblocking connect).
     */
    static final int MIN_TCP_BACKLOG = 128;

    static long listen(Task t, int fd, int backlog) {
        int h = hostFd(t, fd);
        if (h < 0) return h;
        long domain = HostSockets.domain(h);
        boolean tcp = domain == 2 /* AF_INET */ || domain == 10 /* AF_INET6 */;
        long r = HostSyscall.call(SYS_LISTEN, h, tcp ? Math.max(backlog, MIN_TCP_BACKLOG) : backlog, 0);
        HostSocket s = HostSocket.of(t, fd);
        if (r == 0 && s != null) UnixPeers.listening(t, s);
        return r;
    }

    static long accept4(Task t, int fd, long addr, long lenAddr, int flags) {
        int h = hostFd(t, fd);
        if (h < 0) return h;
        if ((flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) return -Errno.EINVAL;
        // A socket nobody can connect to would never become readable: answer as Linux does.
        long acceptable = HostSockets.acceptable(h);
        if (acceptable != 0) return acceptable;
        long ready = GuestIo.waitReady(t, t.process.fds.get(fd), GuestIo.POLLIN);
        if (ready != 0) return ready;
        long len = lenAddr == 0 ? 0 : t.process.mm.readInt(lenAddr);
        long r = HostSyscall.call(SYS_ACCEPT4, h, host(t, addr, len, PROT_WRITE), host(t, lenAddr, 4, PROT_READ | PROT_WRITE),
                flags | SOCK_CLOEXEC, 0, 0);
        if (r < 0) return r;
        HostSocket accepted = new HostSocket((int) r);
        UnixPeers.accepted(accepted);
        int g = t.process.fds.install(accepted, (flags & SOCK_CLOEXEC) != 0, 0);
        if (g < 0) HostPosix.close((int) r);
        return g;
    }

    /** getsockname (nr SYS_GETSOCKNAME) or getpeername. */
    static long name(Task t, int nr, int fd, long addr, long lenAddr) {
        int h = hostFd(t, fd);
        if (h < 0) return h;
        long len = t.process.mm.readInt(lenAddr);
        HostSocket s = HostSocket.of(t, fd);
        byte[] own = nr == HostSockets.SYS_GETSOCKNAME && s != null ? s.guestName() : null;
        if (own != null) { // the name the guest bound, not the path the host was given for it
            if (len < 0) return -Errno.EINVAL;
            t.process.mm.writeBytes(addr, java.util.Arrays.copyOf(own, (int) Math.min(len, own.length)));
            t.process.mm.writeInt(lenAddr, own.length);
            return 0;
        }
        return HostSyscall.call(nr, h, host(t, addr, len, PROT_WRITE), host(t, lenAddr, 4, PROT_READ | PROT_WRITE));
    }

    static long shutdown(Task t, int fd, int how) {
        int h = hostFd(t, fd);
        return h < 0 ? h : HostSyscall.call(SYS_SHUTDOWN, h, how, 0);
    }

    static long setsockopt(Task t, int fd, int level, int name, long val, int len) {
        int h = hostFd(t, fd);
        if (h < 0) return h;
        return HostSyscall.call(SYS_SETSOCKOPT, h, level, name, host(t, val, len, PROT_READ), len, 0);
    }

    static long getsockopt(Task t, int fd, int level, int name, long val, long lenAddr) {
        int h = hostFd(t, fd);
        if (h < 0) return h;
        long len = lenAddr == 0 ? 0 : t.process.mm.readInt(lenAddr);
        long r = HostSyscall.call(HostSockets.SYS_GETSOCKOPT, h, level, name, host(t, val, len, PROT_WRITE),
                host(t, lenAddr, 4, PROT_READ | PROT_WRITE), 0);
        HostSocket s = HostSocket.of(t, fd);
        if (r == 0 && level == HostSockets.SOL_SOCKET && name == SO_PEERCRED && len >= 12 && s != null
                && t.process.mm.readInt(val) == UnixPeers.HOST_PID && s.isUnix()) {
            // The host saw the JVM as the peer: a guest process is on the other end.
            UnixPeers.Cred c = UnixPeers.peerCred(h);
            if (c != null) {
                t.process.mm.writeInt(val, c.pid());
                t.process.mm.writeInt(val + 4, c.uid());
                t.process.mm.writeInt(val + 8, c.gid());
            }
        }
        return r;
    }
}
