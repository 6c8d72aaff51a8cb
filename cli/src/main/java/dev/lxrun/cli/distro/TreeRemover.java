package dev.lxrun.cli.distro;

import dev.lxrun.vfs.host.HostPosix;
import java.util.List;

/**
 * Removes everything inside a directory through descriptors, never following a symlink (a
 * distro's absolute symlinks point into the host's own tree), and making read-only directories
 * writable first, as lxrun may not be root.
 */
final class TreeRemover {
    private TreeRemover() {}

    static void removeContents(int dirFd) {
        try (HostTree.Scratch s = new HostTree.Scratch()) {
            removeContents(s, dirFd, 0);
        }
    }

    private static void removeContents(HostTree.Scratch s, int dirFd, int depth) {
        if (depth > 4096) return;
        dev.lxrun.vfs.host.HostSyscall.call(dev.lxrun.vfs.host.HostSyscall.FCHMOD, dirFd, 0700, 0);
        List<byte[]> names = HostTree.list(s, dirFd);
        for (byte[] name : names) {
            if (HostTree.unlink(s, dirFd, name, false) >= 0) continue;
            int fd = HostTree.open(s, dirFd, name, HostTree.O_RDONLY | HostTree.O_DIRECTORY | HostTree.O_NOFOLLOW, 0);
            if (fd < 0) continue;
            try {
                removeContents(s, fd, depth + 1);
            } finally {
                HostPosix.close(fd);
            }
            HostTree.unlink(s, dirFd, name, true);
        }
    }
}
