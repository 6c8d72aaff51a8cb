package dev.lxrun.net;

import dev.lxrun.vfs.host.HostPosix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Names the AF_UNIX socket a datagram is addressed to, the same way for the address a receiver
 * bound and for the address a sender gives: abstract names by their bytes; paths by the socket
 * file's device and inode, since one file has many paths (relative, through symlinks, through
 * the /proc/self/fd link a confined guest's path is resolved to).
 */
final class ReceiverKey {
    private static final int AF_UNIX = 1, PATH_OFFSET = 2;

    private ReceiverKey() {}

    /** The key for a host sockaddr of len bytes at hostAddr; null when not AF_UNIX or not (yet) a socket file. */
    static String of(long hostAddr, long len) {
        if (hostAddr == 0 || len <= PATH_OFFSET) return null;
        MemorySegment sa = MemorySegment.ofAddress(hostAddr).reinterpret(len);
        return of(sa.toArray(ValueLayout.JAVA_BYTE));
    }

    /** The key for sockaddr bytes (as bind took them or getsockname gives them). */
    static String of(byte[] sa) {
        if (sa == null || sa.length <= PATH_OFFSET || (sa[0] & 0xff) != AF_UNIX || sa[1] != 0) return null;
        if (sa[PATH_OFFSET] == 0) return "abstract " + Arrays.toString(Arrays.copyOfRange(sa, PATH_OFFSET + 1, sa.length));
        int end = PATH_OFFSET;
        while (end < sa.length && sa[end] != 0) end++;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(144, 8);
            byte[] path = Arrays.copyOfRange(sa, PATH_OFFSET, end);
            if (HostPosix.fstatat(HostPosix.AT_FDCWD, HostPosix.cString(a, path), st, 0) != 0) return null;
            return "file " + st.get(ValueLayout.JAVA_LONG, 0) + ":" + st.get(ValueLayout.JAVA_LONG, 8);
        }
    }
}
