package dev.lxrun.vfs.mount;

import dev.lxrun.vfs.host.HostPosix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The identity of a host file: its device and inode number. The walk compares directories by
 * identity ("is this the root of its mount? the guest's root?"), never by the path they were
 * reached by, which a rename makes stale.
 */
public record FileId(long dev, long ino) {
    /** The identity of an open host descriptor, or null when fstat fails. */
    public static FileId of(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(144);
            return HostPosix.fstat(fd, st) < 0 ? null : of(st);
        }
    }

    /** The identity in a filled 144-byte struct stat. */
    public static FileId of(MemorySegment stat) {
        return new FileId(stat.get(ValueLayout.JAVA_LONG, 0), stat.get(ValueLayout.JAVA_LONG, 8));
    }
}
