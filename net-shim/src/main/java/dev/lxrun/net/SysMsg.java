package dev.lxrun.net;

import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.mm.GuestFault;
import dev.lxrun.kernel.syscalls.GuestIo;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.host.HostSyscall;

/** sendmsg and recvmsg: the msghdr rebuilt with host addresses (HostMsghdr), control data translated. */
final class SysMsg {
    private static final int SYS_SENDMSG = 46, SYS_RECVMSG = 47;
    private static final int MSG_CTRUNC = 0x8, MSG_NOSIGNAL = 0x4000, MSG_CMSG_CLOEXEC = 0x40000000;

    private SysMsg() {}

    static long msg(Task t, int fd, long msgAddr, int flags, boolean send) {
        int h = SysSocket.hostFd(t, fd);
        if (h < 0) return h;
        long ready = SysTransfer.waitUnlessDontwait(t, fd, flags, send ? GuestIo.POLLOUT : GuestIo.POLLIN);
        if (ready != 0) return ready;
        long[] err = new long[1];
        try (HostMsghdr m = readHeader(t, h, msgAddr, send, err)) {
            if (m == null) return notSocket(h) ? -Errno.ENOTSOCK : err[0];
            return send ? send(t, fd, h, m, flags) : receive(t, h, m, flags);
        }
    }

    /**
     * Linux finds the socket before it reads the header, so a file that is no socket is ENOTSOCK
     * whatever the header holds; asked of the host only when the header is bad, off the path of
     * good calls.
     */
    private static HostMsghdr readHeader(Task t, int h, long msgAddr, boolean send, long[] err) {
        try {
            return HostMsghdr.read(t, msgAddr, send, err);
        } catch (GuestFault f) {
            if (notSocket(h)) {
                err[0] = -Errno.ENOTSOCK;
                return null;
            }
            throw f;
        }
    }

    private static boolean notSocket(int h) {
        return HostSockets.type(h) == -Errno.ENOTSOCK;
    }

    private static long send(Task t, int fd, int h, HostMsghdr m, int flags) {
        ControlMessages.Outgoing out = ControlMessages.outgoing(t, m.control(), m.controlLength());
        if (out.error() < 0) return out.error();
        HostSocket s = HostSocket.of(t, fd);
        long r = SockAddr.with(t, m.guestName, m.guestNameLen, (a, l) -> {
            Sending.before(t, s, a, l, out.credentials());
            m.name(a, l);
            return HostSyscall.call(SYS_SENDMSG, h, m.address(), flags | MSG_NOSIGNAL);
        });
        Sending.learnAutobind(s, r);
        return SysTransfer.epipe(t, r, flags);
    }

    /**
     * The host receives with MSG_CMSG_CLOEXEC whatever the guest asked: the JVM's copies of
     * passed descriptors must not leak into host programs it starts. The guest's flag decides
     * its own close-on-exec for them.
     */
    private static long receive(Task t, int h, HostMsghdr m, int flags) {
        long r = HostSyscall.call(SYS_RECVMSG, h, m.address(), flags | MSG_CMSG_CLOEXEC);
        if (r < 0) return r;
        int msgFlags = m.flags();
        long controlLen = m.controlLength();
        if (controlLen > 0) {
            boolean[] truncated = {false};
            controlLen = ControlMessages.incoming(t, h, m.control(), controlLen, (flags & MSG_CMSG_CLOEXEC) != 0, truncated);
            if (truncated[0]) msgFlags |= MSG_CTRUNC;
        }
        m.completeReceive(r, controlLen, msgFlags);
        return r;
    }
}
