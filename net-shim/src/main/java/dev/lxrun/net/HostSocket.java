package dev.lxrun.net;

import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.net.GuestSocket;
import dev.lxrun.vfs.FileDescription;
import dev.lxrun.vfs.HostFile;
import dev.lxrun.vfs.host.HostPosix;

/**
 * A guest socket: a host socket descriptor (all I/O is the host's) plus what lxrun remembers
 * about it to give AF_UNIX peers guest identities. Shared by every guest fd dup() and fork()
 * derive from it, as a Linux socket's file is.
 */
final class HostSocket extends HostFile implements GuestSocket {
    private static final int S_IFSOCK = 0140000, SOCK_DGRAM = 2;
    private static final long UNKNOWN = -1;
    /** unixType of an AF_UNIX socket whose type the host did not tell. */
    private static final int TYPE_UNKNOWN = 0x100;

    /** For AF_UNIX its SOCK_* type, 0 for another family, -1 not asked yet. */
    private volatile int unixType = -1;
    /** The connected peer's inode (AF_UNIX), 0 for none; UNKNOWN until asked. connect() resets it. */
    private volatile long peerInode = UNKNOWN;
    /** Whether this socket's own address is recorded, so that senders to it can be found (see UnixPeers). */
    private volatile boolean nameRecorded;
    /** The AF_UNIX address the guest bound when the host was given another path (see SockAddr), else null. */
    private volatile byte[] guestName;

    HostSocket(int hostFd) {
        super(hostFd);
    }

    /** A host descriptor handed to the guest: a socket description for sockets, else a plain host file. */
    static FileDescription describe(int hostFd) {
        return HostPosix.fileType(hostFd) == S_IFSOCK ? new HostSocket(hostFd) : new HostFile(hostFd);
    }

    /** Installs host descriptor hostFd (or passes an -errno through) as a new guest fd; closes it on failure. */
    static long install(Task t, long hostFd, boolean cloexec) {
        if (hostFd < 0) return hostFd;
        int fd = t.process.fds.install(describe((int) hostFd), cloexec, 0);
        if (fd < 0) HostPosix.close((int) hostFd);
        return fd;
    }

    /** The socket description behind a guest fd, or null when it is none of ours. */
    static HostSocket of(Task t, int fd) {
        return t.process.fds.get(fd) instanceof HostSocket s ? s : null;
    }

    private int unixType() {
        int u = unixType;
        if (u < 0) {
            long type = HostSockets.domain(hostFd()) == HostSockets.AF_UNIX ? HostSockets.type(hostFd()) : 0;
            u = type < 0 ? TYPE_UNKNOWN : (int) type;
            unixType = u;
        }
        return u;
    }

    boolean isUnix() {
        return unixType() != 0;
    }

    /**
     * An AF_UNIX datagram socket whose address is not recorded yet: the host gives one to an
     * unbound sender with SO_PASSCRED (autobind), which replies are then addressed to.
     */
    boolean unnamedDatagram() {
        return !nameRecorded && unixType() == SOCK_DGRAM;
    }

    void nameRecorded() {
        nameRecorded = true;
    }

    void boundAs(byte[] address) {
        guestName = address;
    }

    /** What getsockname reports when the host knows this socket by another path than the guest; null otherwise. */
    byte[] guestName() {
        return guestName;
    }

    /**
     * The connected AF_UNIX peer's inode, 0 for none, another family or unknown to the host;
     * asked of the host once per connection, or until a peer waiting to be accepted has an inode.
     */
    long peerInode() {
        long p = peerInode;
        if (p == UNKNOWN) {
            p = isUnix() ? SockDiag.peerInode(HostSockets.inode(hostFd())) : 0;
            if (p == SockDiag.PENDING) return 0;
            p = Math.max(p, 0);
            peerInode = p;
        }
        return p;
    }

    /** connect() made (or dissolved) a peer relation: ask again at the next send. */
    void peerChanged() {
        peerInode = UNKNOWN;
    }

    @Override
    public boolean mayBlock() {
        return true;
    }

    @Override
    public long timeoutMillis(boolean receive) {
        return HostSockets.timeoutMillis(hostFd(), receive);
    }

    @Override
    public void sending(Task t) {
        UnixPeers.sendingConnected(t, this);
    }
}
