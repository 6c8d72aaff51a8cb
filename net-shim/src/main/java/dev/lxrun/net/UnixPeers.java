package dev.lxrun.net;

import dev.lxrun.kernel.Credentials;
import dev.lxrun.kernel.Process;
import dev.lxrun.kernel.Task;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Guest identities behind AF_UNIX peers. Every guest process lives in this JVM, so the host
 * kernel reports the JVM's pid for any guest peer (SO_PEERCRED, SCM_CREDENTIALS). The guest
 * identity is recorded here, keyed by the inode of the socket that will ask, at the moment the
 * peer relation is made (socketpair, connect) or data is sent (by any call: send*, write,
 * writev, sendfile): both ends are alive then, while afterwards the peer may have exited
 * (sock_diag no longer names a closed peer). A peer that is a host process keeps the host's
 * answer. Inode numbers are reused, but a socket is recorded anew whenever it gets a guest peer
 * or a guest sends to it, so a stale entry is overwritten before it could be asked for.
 */
final class UnixPeers {
    /** What SO_PEERCRED/SCM_CREDENTIALS report: a guest pid and ids. */
    record Cred(int pid, int uid, int gid) {}

    static final long HOST_PID = ProcessHandle.current().pid();
    private static final int MAX_ENTRIES = 1 << 16;

    /** SO_PEERCRED answers, by the inode of the asking socket. */
    private static final Map<Long, Cred> peerCred = bounded();
    /** Connectors' credentials by the connecting socket's inode, for the socket that accepts them. */
    private static final Map<Long, Cred> connectors = bounded();
    /** Credentials of listening sockets (captured at listen), keyed by their bound address. */
    private static final Map<String, Cred> listeners = bounded();
    /** SCM_CREDENTIALS answers: the guest that last sent to a socket, by the receiving socket's inode. */
    private static final Map<Long, Cred> lastSender = bounded();
    /** Guest sockets that can be sent to by address: receiver key (see ReceiverKey) to socket inode. */
    private static final Map<String, Long> bound = bounded();

    private UnixPeers() {}

    private static <K, V> Map<K, V> bounded() {
        return Collections.synchronizedMap(new LinkedHashMap<K, V>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> e) {
                return size() > MAX_ENTRIES; // closed sockets are never reported; old entries just age out
            }
        });
    }

    /** SO_PEERCRED reports effective ids; SCM_CREDENTIALS real ones (as Linux does). */
    static Cred of(Process p, boolean effective) {
        Credentials c = p.creds;
        return new Cred(p.pid, effective ? c.euid() : c.uid(), effective ? c.egid() : c.gid());
    }

    /** socketpair: each end's peer is the creator. */
    static void created(Task t, int hostFd) {
        long ino = HostSockets.inode(hostFd);
        if (ino > 0) peerCred.put(ino, of(t.process, true));
    }

    /**
     * connect: the other side sees the connector (a connection still waiting in the listen queue
     * has no inode yet, so it is recorded again at accept); the connector sees the listener,
     * captured at listen.
     */
    static void connected(Task t, HostSocket s) {
        s.peerChanged();
        if (!s.isUnix()) return;
        Cred me = of(t.process, true);
        long ino = HostSockets.inode(s.hostFd());
        connectors.put(ino, me);
        long peer = s.peerInode();
        if (peer > 0) peerCred.put(peer, me);
        String key = addressKey(HostSockets.address(s.hostFd(), HostSockets.SYS_GETPEERNAME));
        Cred listener = key == null ? null : listeners.get(key);
        if (listener != null) peerCred.put(ino, listener);
    }

    /** accept: the accepted socket sees its connector, if a guest. */
    static void accepted(HostSocket s) {
        if (!s.isUnix()) return;
        long ino = HostSockets.inode(s.hostFd()), peer = s.peerInode();
        Cred c = peer == 0 ? null : connectors.get(peer);
        if (c != null) peerCred.put(ino, c);
        else peerCred.remove(ino); // a host connector, or one gone already: the host answers
    }

    /** listen: connections accepted later present the listener's credentials to their connector. */
    static void listening(Task t, HostSocket s) {
        if (!s.isUnix()) return;
        String key = addressKey(HostSockets.address(s.hostFd(), HostSockets.SYS_GETSOCKNAME));
        if (key != null) listeners.put(key, of(t.process, true));
    }

    /** bind (or the host's autobind): senders that name receiverKey reach the socket s. */
    static void bound(HostSocket s, String receiverKey) {
        s.nameRecorded();
        long ino = HostSockets.inode(s.hostFd());
        if (receiverKey != null && ino > 0) bound.put(receiverKey, ino);
    }

    /** The recorded SO_PEERCRED answer of a socket whose host answer was the JVM itself; null if unknown. */
    static Cred peerCred(int hostFd) {
        return peerCred.get(HostSockets.inode(hostFd));
    }

    /** Before t sends on connected socket s: its peer's next SCM_CREDENTIALS name t's process (or explicit). */
    static void sendingConnected(Task t, HostSocket s, Cred explicit) {
        long peer = s.peerInode();
        if (peer > 0) sentTo(peer, explicit != null ? explicit : of(t.process, false));
    }

    static void sendingConnected(Task t, HostSocket s) {
        sendingConnected(t, s, null);
    }

    /** Before t sends to an address (an unconnected datagram): the guest socket bound there, if any, learns who sent. */
    static void sendingTo(Task t, String receiverKey, Cred explicit) {
        Long rx = receiverKey == null ? null : bound.get(receiverKey);
        if (rx != null) sentTo(rx, explicit != null ? explicit : of(t.process, false));
    }

    private static void sentTo(long receiver, Cred c) {
        if (!c.equals(lastSender.get(receiver))) lastSender.put(receiver, c);
    }

    /** The SCM_CREDENTIALS sender for a receiving unix socket: the last guest that sent to it, else its peer. */
    static Cred sender(int hostFd) {
        long ino = HostSockets.inode(hostFd);
        Cred c = lastSender.get(ino);
        return c != null ? c : peerCred.get(ino);
    }

    /** A socket address as a map key (the bytes getsockname/getpeername give). */
    private static String addressKey(byte[] address) {
        return address == null ? null : Arrays.toString(address);
    }
}
