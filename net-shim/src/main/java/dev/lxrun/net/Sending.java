package dev.lxrun.net;

import dev.lxrun.kernel.Task;

/**
 * The bookkeeping around a send on a socket, so an AF_UNIX receiver with SO_PASSCRED learns
 * which guest sent (the host only knows it was the JVM).
 */
final class Sending {
    private Sending() {}

    /**
     * Before the host send: records the sender (explicit: the credentials the guest named, or
     * null) for the receiver, found by the destination address when one is given (host sockaddr
     * at hostAddr, hostAddr 0 for none), else as the connected peer.
     */
    static void before(Task t, HostSocket s, long hostAddr, long len, UnixPeers.Cred explicit) {
        if (s == null || !s.isUnix()) return;
        autobindFirst(s);
        if (hostAddr != 0 && len > 0) UnixPeers.sendingTo(t, ReceiverKey.of(hostAddr, len), explicit);
        else UnixPeers.sendingConnected(t, s, explicit);
    }

    /**
     * Before an unbound datagram socket with SO_PASSCRED sends: binds it to a host-chosen
     * abstract name now, which the host would do during the send anyway (Linux autobinds such a
     * sender). Learning the name only after the send returns is too late: the receiver may
     * already have woken and replied to that name, and the reply would not find the socket's
     * guest (its SCM_CREDENTIALS would name the wrong process).
     */
    private static void autobindFirst(HostSocket s) {
        if (!s.unnamedDatagram() || HostSockets.intOption(s.hostFd(), HostSockets.SO_PASSCRED) != 1) return;
        if (HostSockets.address(s.hostFd(), HostSockets.SYS_GETSOCKNAME) == null) HostSockets.autobind(s.hostFd());
        learnAutobind(s, 0);
    }

    /**
     * After a send or connect by a datagram socket whose address is not recorded: the host may
     * have autobound it (an unbound socket with SO_PASSCRED gets an abstract name), and datagrams
     * addressed to that name, replies above all, must find it.
     */
    static void learnAutobind(HostSocket s, long result) {
        if (result < 0 || s == null || !s.unnamedDatagram()) return;
        byte[] name = HostSockets.address(s.hostFd(), HostSockets.SYS_GETSOCKNAME);
        if (name != null) UnixPeers.bound(s, ReceiverKey.of(name));
    }
}
