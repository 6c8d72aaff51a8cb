package dev.lxrun.procfs;

import dev.lxrun.kernel.Kernel;
import dev.lxrun.vfs.mount.Mount;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * /proc/PID/mounts and mountinfo. Without a root or mounts of its own the guest lives in the
 * JVM's mount namespace, so the host's files are its truth. Otherwise lxrun's mount table is:
 * inside a --root the guest sees only its root, /proc, /sys, /dev and its mounts; on the host's
 * root it sees the host's mounts with its own added on top. The device numbers, types and
 * sources of the root and bind mounts are those of the host filesystems underneath.
 */
final class MountFiles {
    private static final int FIRST_ID = 1000;

    private MountFiles() {}

    /** One line of the host's mountinfo. */
    private record HostMount(String majorMinor, String root, String point, String options, String type, String source,
            String superOptions) {
        static HostMount parse(String line) {
            String[] halves = line.split(" - ", 2);
            String[] f = halves[0].split(" ");
            String[] g = halves.length > 1 ? halves[1].split(" ") : new String[0];
            return new HostMount(f[2], unescape(f[3]), unescape(f[4]), f[5], g.length > 0 ? g[0] : "none",
                    g.length > 1 ? g[1] : "none", g.length > 2 ? g[2] : "rw");
        }
    }

    private record Line(String source, String point, String type, String options, String majorMinor, String root,
            String superOptions) {}

    static byte[] mounts(Kernel kernel) {
        if (kernel.rooted == null) return ProcessFiles.hostFile("/proc/self/mounts");
        StringBuilder out = new StringBuilder();
        if (!kernel.config.confined()) out.append(new String(ProcessFiles.hostFile("/proc/self/mounts"), StandardCharsets.ISO_8859_1));
        for (Line l : lines(kernel, hostMountinfo())) {
            out.append(l.source).append(' ').append(escape(l.point)).append(' ').append(l.type).append(' ')
                    .append(l.options).append(" 0 0\n");
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] mountinfo(Kernel kernel) {
        if (kernel.rooted == null) return ProcessFiles.hostFile("/proc/self/mountinfo");
        StringBuilder out = new StringBuilder();
        int parentOfOurs = 1;
        String host = hostMountinfo();
        if (!kernel.config.confined()) {
            out.append(host);
            for (String line : host.split("\n")) {
                String[] f = line.split(" ");
                if (f.length > 4 && f[4].equals("/")) parentOfOurs = Integer.parseInt(f[0]);
            }
        }
        int id = FIRST_ID;
        for (Line l : lines(kernel, host)) {
            int parent = l.point.equals("/") ? 1 : (kernel.config.confined() ? FIRST_ID : parentOfOurs);
            out.append(id++).append(' ').append(parent).append(' ').append(l.majorMinor).append(' ')
                    .append(escape(l.root)).append(' ').append(escape(l.point)).append(' ').append(l.options)
                    .append(" - ").append(l.type).append(' ').append(l.source).append(' ').append(l.superOptions).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<Line> lines(Kernel kernel, String hostMountinfo) {
        List<HostMount> host = hostMounts(hostMountinfo);
        List<Line> out = new ArrayList<>();
        for (Mount m : kernel.rooted.mounts().all()) {
            if (m.kind() == Mount.Kind.ROOT && !kernel.config.confined()) continue;
            HostMount under = containing(host, m.hostDir());
            String rw = m.readOnly() || under.options.startsWith("ro") ? "ro" : "rw";
            String options = rw + under.options.replaceFirst("^r[ow]", "");
            // Where the mount stands now (its mount point by identity: a renamed parent moves it).
            String point = kernel.rooted.nameOf(m.hostFd(), m);
            if (point.startsWith(dev.lxrun.vfs.mount.GuestNames.UNREACHABLE)) continue;
            // Inside a --root the host's directory names are not the guest's to see.
            String within = kernel.config.confined() ? "/" : rootWithin(under, m.hostDir());
            switch (m.kind()) {
                case TMPFS -> out.add(new Line("tmpfs", point, "tmpfs", rw + ",nosuid,nodev,relatime", under.majorMinor,
                        "/", rw + ",inode64"));
                default -> out.add(new Line(under.source, point, m.fsType(under.type), options, under.majorMinor,
                        within, under.superOptions));
            }
            if (m.kind() == Mount.Kind.ROOT) {
                out.add(new Line("proc", "/proc", "proc", "rw,nosuid,nodev,noexec,relatime", "0:0", "/", "rw"));
                out.add(new Line("sysfs", "/sys", "sysfs", "ro,nosuid,nodev,noexec,relatime", "0:0", "/", "ro"));
                out.add(new Line("devtmpfs", "/dev", "devtmpfs", "rw,nosuid,relatime", "0:0", "/", "rw,mode=755"));
            }
        }
        return out;
    }

    private static String hostMountinfo() {
        return new String(ProcessFiles.hostFile("/proc/self/mountinfo"), StandardCharsets.ISO_8859_1);
    }

    private static List<HostMount> hostMounts(String info) {
        List<HostMount> out = new ArrayList<>();
        for (String line : info.split("\n")) {
            if (!line.isBlank()) out.add(HostMount.parse(line));
        }
        return out;
    }

    /** The host mount a host directory lies on: the last-mounted one with the longest matching mount point. */
    private static HostMount containing(List<HostMount> host, String dir) {
        HostMount best = new HostMount("0:0", "/", "/", "rw", "none", "none", "rw");
        int bestLength = -1;
        for (HostMount h : host) {
            boolean inside = h.point.equals("/") || dir.equals(h.point) || dir.startsWith(h.point + "/");
            if (inside && h.point.length() >= bestLength) {
                best = h;
                bestLength = h.point.length();
            }
        }
        return best;
    }

    /** The directory's path inside its host filesystem, as mountinfo's root field says for bind mounts. */
    private static String rootWithin(HostMount h, String dir) {
        String rest = h.point.equals("/") ? dir : dir.substring(h.point.length());
        String joined = (h.root.equals("/") ? "" : h.root) + rest;
        return joined.isEmpty() ? "/" : joined;
    }

    private static String escape(String path) {
        return path.replace("\\", "\\134").replace(" ", "\\040").replace("\t", "\\011").replace("\n", "\\012");
    }

    private static String unescape(String field) {
        return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
