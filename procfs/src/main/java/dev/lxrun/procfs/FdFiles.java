package dev.lxrun.procfs;

import dev.lxrun.kernel.Kernel;
import dev.lxrun.kernel.Process;
import dev.lxrun.kernel.pseudo.PseudoFile;
import dev.lxrun.kernel.pseudo.PseudoNode;
import dev.lxrun.kernel.pseudo.PseudoNode.Entry;
import dev.lxrun.vfs.FileDescription;
import dev.lxrun.vfs.HostFile;
import dev.lxrun.vfs.host.HostPosix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * /proc/PID/fd and /proc/PID/fdinfo: the guest's descriptor table. A guest fd backed by a host
 * descriptor is described by the host (what it names, its position, mount and inode), with the
 * guest's own close-on-exec bit; lxrun's own files (procfs) by their PseudoFile.
 */
final class FdFiles {
    private static final int O_CLOEXEC = 02000000, O_LARGEFILE = 0100000;
    /** Open flags Linux drops after open (fs/open.c: they act only during the open). */
    private static final int OPEN_ONLY = 0100 | 0200 | 0400 | 01000; // O_CREAT O_EXCL O_NOCTTY O_TRUNC

    private FdFiles() {}

    static List<Entry> entries(Process p, int type) {
        List<Entry> out = new ArrayList<>();
        for (int fd : p.fds.openFds()) out.add(new Entry(Integer.toString(fd), type));
        return out;
    }

    /** fd/N: readlink shows what the descriptor is; opening it reaches the same open file. */
    static PseudoNode link(Kernel kernel, Process p, String n) {
        FileDescription f = file(p, n);
        if (f == null) return null;
        if (f instanceof PseudoFile pf) return new PseudoNode.Link(pf.guestPath(), null);
        String via = "/proc/self/fd/" + f.hostFd();
        dev.lxrun.vfs.mount.Mount mount = f instanceof HostFile h ? h.mount() : null;
        return new PseudoNode.Link(name(kernel, p, f, mount), via, mount);
    }

    /**
     * What the link shows: a file opened through lxrun's mounts by where it is now; pipes,
     * sockets and anonymous inodes as the host names them; a host file outside the guest's
     * tree (stdio redirected by the host) by its last name only, as a file of a detached mount
     * shows, never by its host path; host devices (a terminal) by their /dev name.
     */
    private static String name(Kernel kernel, Process p, FileDescription f, dev.lxrun.vfs.mount.Mount mount) {
        var ns = p.fs.root() != null ? p.fs.root() : kernel.rooted;
        if (ns != null && mount != null) return ns.nameOf(f.hostFd(), mount);
        String target = HostPosix.fdPath(f.hostFd());
        if (target == null) return "anon_inode:[unknown]";
        if (ns == null || !target.startsWith("/") || !kernel.config.confined()) return kernel.guestPathOf(target);
        String inside = ns.toGuest(target);
        if (inside != null) return inside;
        if (target.startsWith("/dev/")) return target;
        return "/" + target.substring(target.lastIndexOf('/') + 1);
    }

    /** fdinfo/N: pos, flags (octal, with the guest's O_CLOEXEC), mnt_id, ino, then type-specific lines. */
    static PseudoNode info(Process p, String n) {
        FileDescription f = file(p, n);
        if (f == null) return null;
        int fd = Integer.parseInt(n);
        boolean cloexec = p.fds.closeOnExec(fd);
        return new PseudoNode.File(() -> {
            String text = f instanceof PseudoFile pf ? pseudoInfo(pf) : hostInfo(f);
            return withGuestFlags(text, f.statusFlags(), cloexec).getBytes(StandardCharsets.ISO_8859_1);
        });
    }

    private static FileDescription file(Process p, String n) {
        if (!ProcFs.isNumber(n)) return null;
        return p.fds.get(Integer.parseInt(n));
    }

    private static String hostInfo(FileDescription f) {
        if (f.hostFd() < 0) return "pos:\t0\nflags:\t0\nmnt_id:\t0\nino:\t0\n";
        String host = new String(ProcessFiles.hostFile("/proc/self/fdinfo/" + f.hostFd()), StandardCharsets.ISO_8859_1);
        StringBuilder out = new StringBuilder();
        for (String line : host.split("\n")) {
            // epoll's "tfd:" lines name host descriptor numbers, which mean nothing to the guest.
            if (line.isEmpty() || line.startsWith("tfd:")) continue;
            out.append(line).append('\n');
        }
        return out.toString();
    }

    private static String pseudoInfo(PseudoFile pf) {
        long ino;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(144);
            pf.stat(st);
            ino = st.get(ValueLayout.JAVA_LONG, 8);
        }
        return "pos:\t" + pf.position() + "\nflags:\t0\nmnt_id:\t" + ProcMount.id() + "\nino:\t" + ino + "\n";
    }

    /** Replaces the flags line: the file's status flags as the guest opened it. */
    private static String withGuestFlags(String text, int statusFlags, boolean cloexec) {
        int flags = (statusFlags & ~(O_CLOEXEC | OPEN_ONLY)) | O_LARGEFILE | (cloexec ? O_CLOEXEC : 0);
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n")) {
            out.append(line.startsWith("flags:") ? "flags:\t0" + Integer.toOctalString(flags) : line).append('\n');
        }
        return out.toString();
    }
}
