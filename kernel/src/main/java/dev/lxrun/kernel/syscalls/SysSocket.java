package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.SignalPosting;
import dev.lxrun.kernel.Signals;
import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.FileDescription;
import dev.lxrun.vfs.HostFile;
import dev.lxrun.vfs.host.HostPosix;
import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Sockets as host sockets: a guest socket is a host socket descriptor, so TCP/UDP/UNIX traffic,
 * loopback between guest and host, options and readiness are the host's own. Guest buffers are
 * handed over as the host memory they are; structures holding guest pointers (msghdr, iovec)
 * are rebuilt with host addresses, and SCM_RIGHTS descriptors are translated both ways.
 */
final class SysSocket {
    static final int SOCKET = 41, CONNECT = 42, ACCEPT = 43, SENDTO = 44, RECVFROM = 45, SENDMSG = 46, RECVMSG = 47,
            SHUTDOWN = 48, BIND = 49, LISTEN = 50, GETSOCKNAME = 51, GETPEERNAME = 52, SOCKETPAIR = 53,
            SETSOCKOPT = 54, GETSOCKOPT = 55, ACCEPT4 = 288;
    private static final int AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10, AF_NETLINK = 16;
    private static final int SOCK_NONBLOCK = 04000, SOCK_CLOEXEC = 02000000;
    private static final int MSG_DONTWAIT = 0x40, MSG_NOSIGNAL = 0x4000;
    private static final int SOL_SOCKET = 1, SCM_RIGHTS = 1, SCM_CREDENTIALS = 2, SO_PEERCRED = 17;
    private static final int PROT_READ = 1, PROT_WRITE = 2;
    private static final short POLLIN = 1, POLLOUT = 4;

    private SysSocket() {}

    private static long host(Task t, long addr, long len, int prot) {
        return HostArgs.address(t, addr, len, prot);
    }

    private static FileDescription sock(Task t, int fd) {
        return t.process.fds.get(fd);
    }

    private static long install(Task t, long hostFd, boolean cloexec) {
        if (hostFd < 0) return hostFd;
        int fd = t.process.fds.install(new HostFile((int) hostFd), cloexec, 0);
        if (fd < 0) HostPosix.close((int) hostFd);
        return fd;
    }

    static long socket(Task t, int domain, int type, int protocol) {
        if (domain != AF_UNIX && domain != AF_INET && domain != AF_INET6 && domain != AF_NETLINK) return -Errno.EAFNOSUPPORT;
        long r = HostSyscall.call(SOCKET, domain, type | SOCK_CLOEXEC, protocol);
        return install(t, r, (type & SOCK_CLOEXEC) != 0);
    }

    static long socketpair(Task t, int domain, int type, int protocol, long svAddr) {
        if (domain != AF_UNIX) return -Errno.EOPNOTSUPP;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sv = a.allocate(8);
            long r = HostSyscall.call(SOCKETPAIR, domain, type | SOCK_CLOEXEC, protocol, sv.address(), 0, 0);
            if (r < 0) return r;
            boolean cloexec = (type & SOCK_CLOEXEC) != 0;
            long a0 = install(t, sv.get(ValueLayout.JAVA_INT, 0), cloexec);
            long a1 = install(t, sv.get(ValueLayout.JAVA_INT, 4), cloexec);
            if (a0 < 0 || a1 < 0) return a0 < 0 ? a0 : a1;
            UnixPeers.created(t, sv.get(ValueLayout.JAVA_INT, 0));
            UnixPeers.created(t, sv.get(ValueLayout.JAVA_INT, 4));
            t.process.mm.writeInt(svAddr, (int) a0);
            t.process.mm.writeInt(svAddr + 4, (int) a1);
            return 0;
        }
    }

    /**
     * A sockaddr for bind/connect/sendto, copied to host memory. A confined guest's AF_UNIX path
     * is resolved inside its root (through the parent directory's /proc/self/fd link).
     */
    private interface AddrOp {
        long apply(long hostAddr, long len);
    }

    private static long withAddr(Task t, long addr, long len, AddrOp op) {
        if (addr == 0) return op.apply(0, 0);
        if (len < 0 || len > 128) return -Errno.EINVAL;
        byte[] raw = t.process.mm.read(addr, (int) len);
        try (Arena a = Arena.ofConfined()) {
            if (t.kernel().rooted != null && len > 2 && (raw[0] & 0xff) == AF_UNIX && raw[2] != 0) {
                return withConfinedUnixPath(t, raw, a, op);
            }
            MemorySegment h = a.allocate(Math.max(len, 1));
            MemorySegment.copy(MemorySegment.ofArray(raw), 0, h, 0, len);
            return op.apply(h.address(), len);
        }
    }

    private static long withConfinedUnixPath(Task t, byte[] raw, Arena a, AddrOp op) {
        int end = 2;
        while (end < raw.length && raw[end] != 0) end++;
        String path = new String(raw, 2, end - 2, StandardCharsets.ISO_8859_1);
        long[] err = new long[1];
        String abs = GuestPaths.guestAbsolute(t, GuestPaths.AT_FDCWD, path.getBytes(StandardCharsets.ISO_8859_1), err);
        if (abs == null) return err[0];
        int slash = abs.lastIndexOf('/');
        int dir = t.kernel().rooted.open(slash <= 0 ? "/" : abs.substring(0, slash),
                dev.lxrun.kernel.RootedPaths.O_PATH | dev.lxrun.kernel.RootedPaths.O_DIRECTORY, 0);
        if (dir < 0) return dir;
        try {
            byte[] via = ("/proc/self/fd/" + dir + "/" + abs.substring(slash + 1)).getBytes(StandardCharsets.ISO_8859_1);
            if (via.length >= 108) return -Errno.ENAMETOOLONG;
            MemorySegment h = a.allocate(110);
            h.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(MemorySegment.ofArray(via), 0, h, 2, via.length);
            return op.apply(h.address(), 2 + via.length + 1);
        } finally {
            HostPosix.close(dir);
        }
    }

    private static int hostFd(Task t, int fd) {
        return HostArgs.fd(t, fd, Errno.ENOTSOCK);
    }

    static long bind(Task t, int fd, long addr, long len) {
        int h = hostFd(t, fd);
        if (h < 0) return h;
        return withAddr(t, addr, len, (a, l) -> HostSyscall.call(BIND, h, a, l));
    }

    static long connect(Task t, int fd, long addr, long len) {
        int h = hostFd(t, fd);
        if (h < 0) return h;
        long r = withAddr(t, addr, len, (a, l) -> HostSyscall.call(CONNECT, h, a, l));
        if (r == 0) UnixPeers.connected(t, sock(t, fd), h);
        return r;
    }

    static long listen(Task t, int fd, int backlog) {
        int h = hostFd(t, fd);
        if (h < 0) return h;
        long r = HostSyscall.call(LISTEN, h, backlog, 0);
        if (r == 0) UnixPeers.listening(t, h);
        return r;
    }

    static long accept4(Task t, int fd, long addr, long lenAddr, int flags) {
        int h = hostFd(t, fd);
        if (h < 0) return h;
        if ((flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) return -Errno.EINVAL;
        long ready = SysFile.waitReady(t, sock(t, fd), POLLIN);
        if (ready != 0) return ready;
        long len = lenAddr == 0 ? 0 : t.process.mm.readInt(lenAddr);
        long r = HostSyscall.call(ACCEPT4, h, host(t, addr, len, PROT_WRITE), host(t, lenAddr, 4, PROT_READ | PROT_WRITE),
                flags | SOCK_CLOEXEC, 0, 0);
        if (r >= 0) UnixPeers.accepted((int) r);
        return install(t, r, (flags & SOCK_CLOEXEC) != 0);
    }

    static long name(Task t, int nr, int fd, long addr, long lenAddr) {
        int h = hostFd(t, fd);
        if (h < 0) return h;
        long len = t.process.mm.readInt(lenAddr);
        return HostSyscall.call(nr, h, host(t, addr, len, PROT_WRITE), host(t, lenAddr, 4, PROT_READ | PROT_WRITE));
    }

    static long shutdown(Task t, int fd, int how) {
        int h = hostFd(t, fd);
        return h < 0 ? h : HostSyscall.call(SHUTDOWN, h, how, 0);
    }

    /**
     * A socket's SO_RCVTIMEO (receiving) or SO_SNDTIMEO in milliseconds, 0 for none or not a
     * socket: the guest's blocking wait happens in lxrun's poll loop, not in the host call that
     * would apply it.
     */
    static long timeoutMillis(int hostFd, boolean receive) {
        final int SO_RCVTIMEO = 20, SO_SNDTIMEO = 21;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment tv = a.allocate(16, 8), len = a.allocate(4);
            len.set(ValueLayout.JAVA_INT, 0, 16);
            long r = HostSyscall.call(GETSOCKOPT, hostFd, SOL_SOCKET, receive ? SO_RCVTIMEO : SO_SNDTIMEO,
                    tv.address(), len.address(), 0);
            if (r < 0) return 0;
            long ms = tv.get(ValueLayout.JAVA_LONG, 0) * 1000 + tv.get(ValueLayout.JAVA_LONG, 8) / 1000;
            return ms == 0 && tv.get(ValueLayout.JAVA_LONG, 8) > 0 ? 1 : ms;
        }
    }

    /** A blocking transfer first waits (interruptibly) until the socket is ready; MSG_DONTWAIT does not. */
    private static long waitUnlessDontwait(Task t, int fd, int flags, short events) {
        return (flags & MSG_DONTWAIT) != 0 ? 0 : SysFile.waitReady(t, sock(t, fd), events);
    }

    static long sendto(Task t, int fd, long buf, long len, int flags, long addr, long addrlen) {
        int h = hostFd(t, fd);
        if (h < 0) return h;
        long ready = waitUnlessDontwait(t, fd, flags, POLLOUT);
        if (ready != 0) return ready;
        UnixPeers.sending(t, sock(t, fd), h);
        // A buffer spanning guest mappings (a grown heap) goes through a bounce copy.
        long r = withAddr(t, addr, addrlen, (a, l) -> SysFile.transfer(t, buf, len, PROT_READ,
                seg -> HostSyscall.call(SENDTO, h, seg.address(), seg.byteSize(), flags | MSG_NOSIGNAL, a, l)));
        return epipe(t, r, flags);
    }

    private static long epipe(Task t, long r, int flags) {
        if (r == -Errno.EPIPE && (flags & MSG_NOSIGNAL) == 0) SignalPosting.post(t.process, Signals.SIGPIPE);
        return r;
    }

    static long recvfrom(Task t, int fd, long buf, long len, int flags, long addr, long lenAddr) {
        int h = hostFd(t, fd);
        if (h < 0) return h;
        long ready = waitUnlessDontwait(t, fd, flags, POLLIN);
        if (ready != 0) return ready;
        long alen = lenAddr == 0 ? 0 : t.process.mm.readInt(lenAddr);
        long from = host(t, addr, alen, PROT_WRITE), fromLen = host(t, lenAddr, 4, PROT_READ | PROT_WRITE);
        return SysFile.transfer(t, buf, len, PROT_WRITE,
                seg -> HostSyscall.call(RECVFROM, h, seg.address(), seg.byteSize(), flags, from, fromLen));
    }

    static long setsockopt(Task t, int fd, int level, int name, long val, int len) {
        int h = hostFd(t, fd);
        if (h < 0) return h;
        return HostSyscall.call(SETSOCKOPT, h, level, name, host(t, val, len, PROT_READ), len, 0);
    }

    static long getsockopt(Task t, int fd, int level, int name, long val, long lenAddr) {
        int h = hostFd(t, fd);
        if (h < 0) return h;
        long len = lenAddr == 0 ? 0 : t.process.mm.readInt(lenAddr);
        long r = HostSyscall.call(GETSOCKOPT, h, level, name, host(t, val, len, PROT_WRITE),
                host(t, lenAddr, 4, PROT_READ | PROT_WRITE), 0);
        if (r == 0 && level == SOL_SOCKET && name == SO_PEERCRED && len >= 12
                && t.process.mm.readInt(val) == UnixPeers.HOST_PID && UnixPeers.isUnix(h)) {
            // The host saw the JVM as the peer: a guest process is on the other end.
            UnixPeers.Cred c = UnixPeers.peerCred(h);
            if (c != null) writeCred(t, val, c);
        }
        return r;
    }

    private static void writeCred(Task t, long addr, UnixPeers.Cred c) {
        t.process.mm.writeInt(addr, c.pid());
        t.process.mm.writeInt(addr + 4, c.uid());
        t.process.mm.writeInt(addr + 8, c.gid());
    }

    /** sendmsg/recvmsg: the msghdr and iovecs rebuilt with host addresses; SCM_RIGHTS translated. */
    static long msg(Task t, int fd, long msgAddr, int flags, boolean send) {
        int h = hostFd(t, fd);
        if (h < 0) return h;
        long ready = waitUnlessDontwait(t, fd, flags, send ? POLLOUT : POLLIN);
        if (ready != 0) return ready;
        if (send) UnixPeers.sending(t, sock(t, fd), h);
        var mm = t.process.mm;
        long name = mm.readLong(msgAddr), iov = mm.readLong(msgAddr + 16), iovlen = mm.readLong(msgAddr + 24);
        long control = mm.readLong(msgAddr + 32), controllen = mm.readLong(msgAddr + 40);
        int namelen = mm.readInt(msgAddr + 8);
        if (iovlen < 0 || iovlen > 1024 || controllen < 0 || controllen > 65536) return -Errno.EINVAL;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment hdr = a.allocate(56, 8);
            MemorySegment vec = a.allocate(16 * Math.max(iovlen, 1), 8);
            long[] bases = new long[(int) iovlen];
            MemorySegment[] bounce = new MemorySegment[(int) iovlen];
            for (int i = 0; i < iovlen; i++) {
                long base = mm.readLong(iov + 16L * i), len = mm.readLong(iov + 16L * i + 8);
                if (len < 0) return -Errno.EINVAL;
                bases[i] = base;
                MemorySegment direct = len == 0 ? null : mm.direct(base, len, send ? PROT_READ : PROT_WRITE);
                if (direct == null && len > 0) { // spans guest mappings: a host copy stands in
                    bounce[i] = a.allocate(len);
                    if (send) mm.copyOut(base, bounce[i], false);
                }
                vec.set(ValueLayout.JAVA_LONG, 16L * i, len == 0 ? 0 : (bounce[i] != null ? bounce[i] : direct).address());
                vec.set(ValueLayout.JAVA_LONG, 16L * i + 8, len);
            }
            MemorySegment ctl = a.allocate(Math.max(controllen, 1), 8);
            if (send && controllen > 0) {
                MemorySegment.copy(MemorySegment.ofArray(mm.read(control, (int) controllen)), 0, ctl, 0, controllen);
                long bad = translateRights(t, h, ctl, controllen, true);
                if (bad < 0) return bad;
            }
            hdr.set(ValueLayout.JAVA_LONG, 0, host(t, name, namelen, send ? PROT_READ : PROT_WRITE));
            hdr.set(ValueLayout.JAVA_INT, 8, namelen);
            hdr.set(ValueLayout.JAVA_LONG, 16, vec.address());
            hdr.set(ValueLayout.JAVA_LONG, 24, iovlen);
            hdr.set(ValueLayout.JAVA_LONG, 32, controllen == 0 ? 0 : ctl.address());
            hdr.set(ValueLayout.JAVA_LONG, 40, controllen);
            long r = HostSyscall.call(send ? SENDMSG : RECVMSG, h, hdr.address(), send ? flags | MSG_NOSIGNAL : flags | 0x40000000);
            if (send) return epipe(t, r, flags);
            if (r < 0) return r;
            long left = r;
            for (int i = 0; i < iovlen && left > 0; i++) {
                long len = vec.get(ValueLayout.JAVA_LONG, 16L * i + 8), got = Math.min(len, left);
                if (bounce[i] != null && got > 0) mm.copyIn(bases[i], bounce[i].asSlice(0, got), true);
                left -= got;
            }
            long gotControl = hdr.get(ValueLayout.JAVA_LONG, 40);
            if (gotControl > 0) {
                translateRights(t, h, ctl, gotControl, false);
                mm.writeBytes(control, ctl.asSlice(0, gotControl).toArray(ValueLayout.JAVA_BYTE));
            }
            mm.writeInt(msgAddr + 8, hdr.get(ValueLayout.JAVA_INT, 8));
            mm.writeLong(msgAddr + 40, gotControl);
            mm.writeInt(msgAddr + 48, hdr.get(ValueLayout.JAVA_INT, 48));
            return r;
        }
    }

    /**
     * Rewrites the descriptors of SCM_RIGHTS messages: guest fds to host fds when sending, received
     * host fds to new guest fds (close-on-exec per MSG_CMSG_CLOEXEC is not distinguished) when receiving.
     */
    private static long translateRights(Task t, int h, MemorySegment ctl, long len, boolean sending) {
        long off = 0;
        while (off + 16 <= len) {
            long cmsgLen = ctl.get(ValueLayout.JAVA_LONG, off);
            int level = ctl.get(ValueLayout.JAVA_INT, off + 8), type = ctl.get(ValueLayout.JAVA_INT, off + 12);
            if (cmsgLen < 16 || off + cmsgLen > len) break;
            if (level == SOL_SOCKET && type == SCM_CREDENTIALS && cmsgLen >= 28) {
                long bad = translateCredentials(t, h, ctl, off + 16, sending);
                if (bad < 0) return bad;
            }
            if (level == SOL_SOCKET && type == SCM_RIGHTS) {
                for (long p = off + 16; p + 4 <= off + cmsgLen; p += 4) {
                    int v = ctl.get(ValueLayout.JAVA_INT, p);
                    if (sending) {
                        FileDescription f = t.process.fds.get(v);
                        if (f == null || f.hostFd() < 0) return -Errno.EBADF;
                        ctl.set(ValueLayout.JAVA_INT, p, f.hostFd());
                    } else {
                        ctl.set(ValueLayout.JAVA_INT, p, (int) install(t, v, false));
                    }
                }
            }
            off += (cmsgLen + 7) & ~7L;
        }
        return 0;
    }

    /**
     * SCM_CREDENTIALS: a guest names itself by its guest pid, which the host only accepts as the
     * JVM's pid; a received message carries the JVM's pid, replaced by the guest holding the
     * peer end (the sender). A guest may only name itself unless privileged, as on Linux.
     */
    private static long translateCredentials(Task t, int h, MemorySegment ctl, long at, boolean sending) {
        int pid = ctl.get(ValueLayout.JAVA_INT, at);
        if (sending) {
            var c = t.process.creds;
            if (pid != t.process.pid && !c.privileged()) return -Errno.EPERM;
            var p = t.kernel().process(pid);
            if (p == null) return -Errno.ESRCH;
            var host = HOST_CREDS;
            ctl.set(ValueLayout.JAVA_INT, at, (int) UnixPeers.HOST_PID);
            ctl.set(ValueLayout.JAVA_INT, at + 4, host.uid());
            ctl.set(ValueLayout.JAVA_INT, at + 8, host.gid());
        } else if (pid == UnixPeers.HOST_PID) {
            UnixPeers.Cred c = UnixPeers.sender(h);
            if (c != null) {
                ctl.set(ValueLayout.JAVA_INT, at, c.pid());
                ctl.set(ValueLayout.JAVA_INT, at + 4, c.uid());
                ctl.set(ValueLayout.JAVA_INT, at + 8, c.gid());
            }
        }
        return 0;
    }

    private static final dev.lxrun.kernel.Credentials HOST_CREDS = dev.lxrun.kernel.Credentials.ofHost();
}
