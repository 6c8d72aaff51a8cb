package dev.lxrun.kernel.pseudo;

import dev.lxrun.kernel.Task;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * /dev/fd, /dev/stdin, /dev/stdout and /dev/stderr when /dev is the host's own directory: on the
 * host they lead into the JVM's /proc/self/fd, so here each is a link into the guest's
 * /proc/self/fd instead (bash's process substitution opens /dev/fd/63). A name below /dev/fd is
 * the guest's fd link itself, so readlink("/dev/fd/0") shows what Linux shows.
 */
public final class DevFdLinks implements PseudoFileSystem {
    private final String mountPoint, target;

    private DevFdLinks(String mountPoint, String target) {
        this.mountPoint = mountPoint;
        this.target = target;
    }

    /** The four links, to be mounted beside the host's /dev. */
    public static List<PseudoFileSystem> all() {
        return List.of(new DevFdLinks("/dev/fd", "/proc/self/fd"), new DevFdLinks("/dev/stdin", "/proc/self/fd/0"),
                new DevFdLinks("/dev/stdout", "/proc/self/fd/1"), new DevFdLinks("/dev/stderr", "/proc/self/fd/2"));
    }

    @Override
    public String mountPoint() {
        return mountPoint;
    }

    @Override
    public PseudoNode lookup(Task caller, String path) {
        if (path.isEmpty()) return new PseudoNode.Link(target, null);
        // Below the link: what the same name below the guest's /proc/self/fd is.
        byte[] inProc = (target + "/" + path).getBytes(StandardCharsets.ISO_8859_1);
        PseudoPaths.Hit hit = PseudoPaths.find(caller, PseudoPaths.AT_FDCWD, inProc, false);
        return hit == null ? null : hit.node();
    }
}
