package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Credentials;
import dev.lxrun.kernel.Process;
import dev.lxrun.kernel.Task;
import dev.lxrun.vfs.FileDescription;
import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Guest identities behind AF_UNIX peers. Every guest process lives in this JVM, so the host
 * kernel reports the JVM's pid for any guest peer (SO_PEERCRED, SCM_CREDENTIALS). The guest
 * identity is recorded here, keyed by the inode of the socket that will ask, at the moment the
 * peer relation is made (socketpair, connect) or a message is sent: both ends are alive then,
 * while afterwards the peer may have exited (sock_diag no longer names a closed peer). A peer
 * that is a host process keeps the host's answer. Inode numbers are reused, but a socket is
 * recorded anew whenever it gets a guest peer, so a stale entry is overwritten first.
 */
final class UnixPeers {
    /** What SO_PEERCRED/SCM_CREDENTIALS report: a guest pid and ids. */
    record Cred(int pid, int uid, int gid) {}

    static final long HOST_PID = ProcessHandle.current().pid();
    private static final int SYS_FSTAT = 5, SYS_GETSOCKOPT = 55, SYS_GETSOCKNAME = 51, SYS_GETPEERNAME = 52;
    private static final int AF_UNIX = 1, SOL_SOCKET = 1, SO_DOMAIN = 39;
    private static final int AF_NETLINK = 16, SOCK_RAW = 3, SOCK_CLOEXEC = 02000000, NETLINK_SOCK_DIAG = 4;
    private static final int SOCK_DIAG_BY_FAMILY = 20, NLM_F_REQUEST = 1, UDIAG_SHOW_PEER = 4, UNIX_DIAG_PEER = 2;
    private static final int MAX_ENTRIES = 1 << 16;

    /** SO_PEERCRED answers, by the inode of the asking socket. */
    private static final Map<Long, Cred> peerCred = bounded();
    /** Connectors' credentials by the connecting socket's inode, for the socket that accepts them. */
    private static final Map<Long, Cred> connectors = bounded();
    /** Credentials of listening sockets (captured at listen), keyed by their bound address. */
    private static final Map<String, Cred> listeners = bounded();
    /** SCM_CREDENTIALS answers: the guest that last sent to a socket, by the receiving socket's inode. */
    private static final Map<Long, Cred> lastSender = bounded();
    /** Per open socket: its peer's inode if it is a connected AF_UNIX socket, else 0 (one lookup per socket). */
    private static final Map<FileDescription, Long> peerInode =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    private UnixPeers() {}

    private static <K> Map<K, Cred> bounded() {
        return java.util.Collections.synchronizedMap(new LinkedHashMap<K, Cred>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Cred> e) {
                return size() > MAX_ENTRIES; // closed sockets are never reported; old entries just age out
            }
        });
    }

    /** SO_PEERCRED reports effective ids; SCM_CREDENTIALS real ones (as Linux does). */
    static Cred of(Process p, boolean effective) {
        Credentials c = p.creds;
        return new Cred(p.pid, effective ? c.euid() : c.uid(), effective ? c.egid() : c.gid());
    }

    static boolean isUnix(int hostFd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(4), len = a.allocate(4);
            len.set(ValueLayout.JAVA_INT, 0, 4);
            long r = HostSyscall.call(SYS_GETSOCKOPT, hostFd, SOL_SOCKET, SO_DOMAIN, v.address(), len.address(), 0);
            return r == 0 && v.get(ValueLayout.JAVA_INT, 0) == AF_UNIX;
        }
    }

    /** socketpair: each end's peer is the creator. */
    static void created(Task t, int hostFd) {
        long ino = inode(hostFd);
        if (ino > 0) peerCred.put(ino, of(t.process, true));
    }

    /**
     * connect: the other side sees the connector (a connection still waiting in the listen queue
     * has no inode yet, so it is recorded again at accept); the connector sees the listener,
     * captured at listen.
     */
    static void connected(Task t, FileDescription f, int hostFd) {
        peerInode.remove(f);
        if (!isUnix(hostFd)) return;
        Cred me = of(t.process, true);
        connectors.put(inode(hostFd), me);
        long[] own = diag(inode(hostFd));
        if (own != null && own[1] != 0) peerCred.put(own[1], me);
        String key = address(hostFd, SYS_GETPEERNAME);
        Cred listener = key == null ? null : listeners.get(key);
        if (listener != null) peerCred.put(inode(hostFd), listener);
    }

    /** accept: the accepted socket sees its connector, if a guest. */
    static void accepted(int acceptedFd) {
        if (!isUnix(acceptedFd)) return;
        long ino = inode(acceptedFd);
        long[] own = diag(ino);
        Cred c = own == null || own[1] == 0 ? null : connectors.get(own[1]);
        if (c != null) peerCred.put(ino, c);
        else peerCred.remove(ino); // a host connector, or one gone already: the host answers
    }

    /** listen: connections accepted later present the listener's credentials to their connector. */
    static void listening(Task t, int hostFd) {
        if (!isUnix(hostFd)) return;
        String key = address(hostFd, SYS_GETSOCKNAME);
        if (key != null) listeners.put(key, of(t.process, true));
    }

    /** The recorded SO_PEERCRED answer of a socket whose host answer was the JVM itself; null if unknown. */
    static Cred peerCred(int hostFd) {
        return peerCred.get(inode(hostFd));
    }

    /** Records the sending guest for the receiving end before a send on a connected unix socket. */
    static void sending(Task t, FileDescription f, int hostFd) {
        Long peer = peerInode.get(f);
        if (peer == null) {
            long[] own = isUnix(hostFd) ? diag(inode(hostFd)) : null;
            peer = own == null ? 0L : own[1];
            if (peer != 0) peerInode.put(f, peer); // unconnected ones may still connect: asked again
            else if (own == null) peerInode.put(f, 0L);
        }
        if (peer <= 0) return;
        Cred c = of(t.process, false);
        if (!c.equals(lastSender.get(peer))) lastSender.put(peer, c);
    }

    /** The SCM_CREDENTIALS sender for a receiving unix socket: the last guest that sent to it, else its peer. */
    static Cred sender(int hostFd) {
        long ino = inode(hostFd);
        Cred c = lastSender.get(ino);
        return c != null ? c : peerCred.get(ino);
    }

    private static long inode(int hostFd) {
        return stat(hostFd, 8);
    }

    private static long stat(int hostFd, int offset) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(144, 8);
            return HostSyscall.call(SYS_FSTAT, hostFd, st.address(), 0) < 0 ? -1 : st.get(ValueLayout.JAVA_LONG, offset);
        }
    }

    /** A socket address as a map key (the bytes getsockname/getpeername give). */
    private static String address(int hostFd, int nr) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(128), len = a.allocate(4);
            len.set(ValueLayout.JAVA_INT, 0, 128);
            if (HostSyscall.call(nr, hostFd, buf.address(), len.address()) < 0) return null;
            int n = Math.min(len.get(ValueLayout.JAVA_INT, 0), 128);
            if (n <= 2) return null; // unnamed
            return Arrays.toString(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    /** sock_diag for one AF_UNIX inode: {cookie, peer inode (0: none)}, or null if unknown. */
    private static long[] diag(long inode) {
        if (inode <= 0) return null;
        int nl = (int) HostSyscall.call(41, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
        if (nl < 0) return null;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment req = a.allocate(40, 8);
            req.set(ValueLayout.JAVA_INT, 0, 40); // nlmsghdr: length, type, flags, seq, pid
            req.set(ValueLayout.JAVA_SHORT, 4, (short) SOCK_DIAG_BY_FAMILY);
            req.set(ValueLayout.JAVA_SHORT, 6, (short) NLM_F_REQUEST);
            req.set(ValueLayout.JAVA_BYTE, 16, (byte) AF_UNIX); // unix_diag_req
            req.set(ValueLayout.JAVA_INT, 20, -1); // all states
            req.set(ValueLayout.JAVA_INT, 24, (int) inode);
            req.set(ValueLayout.JAVA_INT, 28, UDIAG_SHOW_PEER);
            req.set(ValueLayout.JAVA_LONG, 32, -1L); // no cookie to match
            if (HostSyscall.call(44, nl, req.address(), 40, 0, 0, 0) != 40) return null;
            MemorySegment resp = a.allocate(1024, 8);
            long n = HostSyscall.call(45, nl, resp.address(), 1024, 0, 0, 0);
            if (n < 32 || resp.get(ValueLayout.JAVA_SHORT, 4) != SOCK_DIAG_BY_FAMILY) return null;
            long cookie = resp.get(ValueLayout.JAVA_LONG, 24), peer = 0;
            int msgLen = Math.min(resp.get(ValueLayout.JAVA_INT, 0), (int) n);
            for (int off = 32; off + 4 <= msgLen; ) {
                int rtaLen = resp.get(ValueLayout.JAVA_SHORT, off) & 0xffff, type = resp.get(ValueLayout.JAVA_SHORT, off + 2);
                if (rtaLen < 4) break;
                if (type == UNIX_DIAG_PEER && rtaLen >= 8) peer = resp.get(ValueLayout.JAVA_INT, off + 4) & 0xffffffffL;
                off += (rtaLen + 3) & ~3;
            }
            return new long[] {cookie, peer};
        } finally {
            HostSyscall.call(3, nl, 0, 0);
        }
    }
}
