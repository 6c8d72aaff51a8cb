package dev.lxrun.cli.instance;

import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * The few host socket calls the resident instance needs that Java's own UNIX-domain channels
 * lack: descriptors received with SCM_RIGHTS and the peer's credentials (SO_PEERCRED). Raw system
 * calls, each returning the result or -errno.
 */
final class HostSockets {
    private HostSockets() {}

    private static final int READ = 0, WRITE = 1, CLOSE = 3, SOCKET = 41, CONNECT = 42, RECVMSG = 47, BIND = 49,
            LISTEN = 50, GETSOCKOPT = 55, ACCEPT4 = 288, UNLINK = 87;
    private static final int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_CLOEXEC = 0x80000, SOL_SOCKET = 1, SO_PEERCRED = 17,
            SCM_RIGHTS = 1, MSG_CMSG_CLOEXEC = 0x40000000;
    static final int EINTR = 4, ENOENT = 2, ECONNREFUSED = 111;

    static int unixStreamSocket() {
        return (int) HostSyscall.call(SOCKET, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    }

    private static MemorySegment sockaddr(Arena a, String path) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        if (p.length >= 108) throw new IllegalArgumentException("socket path too long: " + path);
        MemorySegment sa = a.allocate(110);
        sa.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(p, 0, sa, ValueLayout.JAVA_BYTE, 2, p.length);
        return sa;
    }

    /** A listening socket bound at path (which must not exist), or -errno. */
    static int listen(String path, int backlog) {
        int s = unixStreamSocket();
        if (s < 0) return s;
        try (Arena a = Arena.ofConfined()) {
            long r = HostSyscall.call(BIND, s, sockaddr(a, path).address(), 110);
            if (r == 0) r = HostSyscall.call(LISTEN, s, backlog, 0);
            if (r < 0) {
                close(s);
                return (int) r;
            }
        }
        return s;
    }

    /** A socket connected to path, or -errno (ENOENT: nobody ever listened; ECONNREFUSED: a stale socket). */
    static int connect(String path) {
        int s = unixStreamSocket();
        if (s < 0) return s;
        try (Arena a = Arena.ofConfined()) {
            long r = HostSyscall.call(CONNECT, s, sockaddr(a, path).address(), 110);
            if (r < 0) {
                close(s);
                return (int) r;
            }
        }
        return s;
    }

    static int accept(int listener) {
        long r;
        do r = HostSyscall.call(ACCEPT4, listener, 0, 0, SOCK_CLOEXEC, 0, 0); while (r == -EINTR);
        return (int) r;
    }

    /** The peer's uid (SO_PEERCRED), or -1. */
    static long peerUid(int s) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cred = a.allocate(12);
            MemorySegment len = a.allocate(4);
            len.set(ValueLayout.JAVA_INT, 0, 12);
            long r = HostSyscall.call(GETSOCKOPT, s, SOL_SOCKET, SO_PEERCRED, cred.address(), len.address(), 0);
            return r < 0 ? -1 : Integer.toUnsignedLong(cred.get(ValueLayout.JAVA_INT, 4));
        }
    }

    /** Bytes read into buf and up to fds.length descriptors received with them (others -1); -errno, 0 at EOF. */
    static int receive(int s, byte[] buf, int[] fds) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment data = a.allocate(buf.length);
            MemorySegment iov = a.allocate(16);
            iov.set(ValueLayout.JAVA_LONG, 0, data.address());
            iov.set(ValueLayout.JAVA_LONG, 8, buf.length);
            int controlLen = 16 + ((4 * fds.length + 7) & ~7);
            MemorySegment control = a.allocate(controlLen);
            MemorySegment msg = a.allocate(56);
            msg.set(ValueLayout.JAVA_LONG, 16, iov.address());
            msg.set(ValueLayout.JAVA_LONG, 24, 1);
            msg.set(ValueLayout.JAVA_LONG, 32, control.address());
            msg.set(ValueLayout.JAVA_LONG, 40, controlLen);
            long r;
            do r = HostSyscall.call(RECVMSG, s, msg.address(), MSG_CMSG_CLOEXEC); while (r == -EINTR);
            java.util.Arrays.fill(fds, -1);
            if (r < 0) return (int) r;
            long got = msg.get(ValueLayout.JAVA_LONG, 40);
            if (got >= 16 && control.get(ValueLayout.JAVA_INT, 8) == SOL_SOCKET && control.get(ValueLayout.JAVA_INT, 12) == SCM_RIGHTS) {
                int n = (int) ((control.get(ValueLayout.JAVA_LONG, 0) - 16) / 4);
                for (int i = 0; i < n; i++) {
                    int fd = control.get(ValueLayout.JAVA_INT, 16 + 4L * i);
                    if (i < fds.length) fds[i] = fd;
                    else close(fd);
                }
            }
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, 0, buf, 0, (int) r);
            return (int) r;
        }
    }

    /** Reads exactly buf.length bytes; false at EOF or on an error first. */
    static boolean readFully(int fd, byte[] buf) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(Math.max(1, buf.length));
            int off = 0;
            while (off < buf.length) {
                long r = HostSyscall.call(READ, fd, m.address() + off, buf.length - off);
                if (r == -EINTR) continue;
                if (r <= 0) return false;
                off += (int) r;
            }
            MemorySegment.copy(m, ValueLayout.JAVA_BYTE, 0, buf, 0, buf.length);
            return true;
        }
    }

    /** Writes all of buf; false when the peer is gone. */
    static boolean writeFully(int fd, byte[] buf) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(Math.max(1, buf.length));
            MemorySegment.copy(buf, 0, m, ValueLayout.JAVA_BYTE, 0, buf.length);
            int off = 0;
            while (off < buf.length) {
                long r = HostSyscall.call(WRITE, fd, m.address() + off, buf.length - off);
                if (r == -EINTR) continue;
                if (r <= 0) return false;
                off += (int) r;
            }
            return true;
        }
    }

    /** shutdown(SHUT_RDWR): wakes a thread blocked reading s, which close alone would not. */
    static void shutdown(int s) {
        if (s >= 0) HostSyscall.call(48, s, 2, 0);
    }

    static long getuid() {
        return HostSyscall.call(102, 0, 0, 0);
    }

    static void close(int fd) {
        if (fd >= 0) HostSyscall.call(CLOSE, fd, 0, 0);
    }

    static void unlink(String path) {
        try (Arena a = Arena.ofConfined()) {
            HostSyscall.call(UNLINK, a.allocateFrom(path).address(), 0, 0);
        }
    }
}
