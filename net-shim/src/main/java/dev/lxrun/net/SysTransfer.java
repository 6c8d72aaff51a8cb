package dev.lxrun.net;

import dev.lxrun.kernel.SignalPosting;
import dev.lxrun.kernel.Signals;
import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.syscalls.GuestIo;
import dev.lxrun.kernel.syscalls.HostArgs;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.host.HostSyscall;

/** sendto and recvfrom: the guest buffer handed to the host as the host memory it is. */
final class SysTransfer {
    private static final int MSG_DONTWAIT = 0x40, MSG_NOSIGNAL = 0x4000;
    private static final int PROT_READ = 1, PROT_WRITE = 2;

    private SysTransfer() {}

    /** A blocking transfer first waits (interruptibly) until the socket is ready; MSG_DONTWAIT does not. */
    static long waitUnlessDontwait(Task t, int fd, int flags, short events) {
        return (flags & MSG_DONTWAIT) != 0 ? 0 : GuestIo.waitReady(t, t.process.fds.get(fd), events);
    }

    /**
     * The host never raises SIGPIPE in the JVM (every send has MSG_NOSIGNAL); the guest gets it
     * unless it asked for MSG_NOSIGNAL itself.
     */
    static long epipe(Task t, long r, int flags) {
        if (r == -Errno.EPIPE && (flags & MSG_NOSIGNAL) == 0) SignalPosting.post(t.process, Signals.SIGPIPE);
        return r;
    }

    static long sendto(Task t, int fd, long buf, long len, int flags, long addr, long addrlen) {
        int h = SysSocket.hostFd(t, fd);
        if (h < 0) return h;
        long ready = waitUnlessDontwait(t, fd, flags, GuestIo.POLLOUT);
        if (ready != 0) return ready;
        HostSocket s = HostSocket.of(t, fd);
        long r = SockAddr.with(t, addr, addrlen, (a, l) -> {
            Sending.before(t, s, a, l, null);
            return GuestIo.transfer(t, buf, len, PROT_READ,
                    seg -> HostSyscall.call(HostSockets.SYS_SENDTO, h, seg.address(), seg.byteSize(), flags | MSG_NOSIGNAL, a, l));
        });
        Sending.learnAutobind(s, r);
        return epipe(t, r, flags);
    }

    static long recvfrom(Task t, int fd, long buf, long len, int flags, long addr, long lenAddr) {
        int h = SysSocket.hostFd(t, fd);
        if (h < 0) return h;
        long ready = waitUnlessDontwait(t, fd, flags, GuestIo.POLLIN);
        if (ready != 0) return ready;
        long alen = lenAddr == 0 ? 0 : t.process.mm.readInt(lenAddr);
        long from = HostArgs.address(t, addr, alen, PROT_WRITE), fromLen = HostArgs.address(t, lenAddr, 4, PROT_READ | PROT_WRITE);
        return GuestIo.transfer(t, buf, len, PROT_WRITE,
                seg -> HostSyscall.call(HostSockets.SYS_RECVFROM, h, seg.address(), seg.byteSize(), flags, from, fromLen));
    }
}
