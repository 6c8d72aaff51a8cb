package dev.lxrun.cli.distro;

import dev.lxrun.vfs.host.HostPosix;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Users and groups as a distro's own /etc/passwd and /etc/group define them. The files are read
 * through the distro's root descriptor without following symlinks, so a distro whose /etc/passwd
 * is a symlink to an absolute path never makes lxrun read the host's.
 */
public final class DistroUsers {
    /** A passwd entry with the supplementary groups /etc/group gives the user. */
    public record User(String name, int uid, int gid, String home, String shell, int[] groups) {}

    private DistroUsers() {}

    /** The user (a name or a number) in the distro rooted at root, or null. */
    public static User lookup(Path root, String user) {
        int rootFd = DistroStore.openDir(root);
        if (rootFd < 0) return null;
        try {
            for (String line : lines(rootFd, "etc/passwd")) {
                String[] f = line.split(":", -1);
                if (f.length < 7) continue;
                if (!f[0].equals(user) && !f[2].equals(user)) continue;
                try {
                    int uid = Integer.parseInt(f[2]), gid = Integer.parseInt(f[3]);
                    return new User(f[0], uid, gid, f[5], f[6], groupsOf(rootFd, f[0], gid));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            if (user.equals("root") || user.equals("0")) return new User("root", 0, 0, "/root", "/bin/sh", new int[] {0});
            return null;
        } finally {
            HostPosix.close(rootFd);
        }
    }

    private static int[] groupsOf(int rootFd, String name, int primary) {
        List<Integer> gs = new ArrayList<>();
        gs.add(primary);
        for (String line : lines(rootFd, "etc/group")) {
            String[] f = line.split(":", -1);
            if (f.length < 4) continue;
            for (String member : f[3].split(",")) {
                if (member.equals(name)) {
                    try {
                        int g = Integer.parseInt(f[2]);
                        if (!gs.contains(g)) gs.add(g);
                    } catch (NumberFormatException ignored) {
                        // A damaged line names no group.
                    }
                }
            }
        }
        return gs.stream().mapToInt(Integer::intValue).toArray();
    }

    /** id -> name from a passwd or group file of the distro (for tar's uname/gname fields). */
    static Map<Integer, String> names(int rootFd, String file) {
        Map<Integer, String> m = new HashMap<>();
        for (String line : lines(rootFd, file)) {
            String[] f = line.split(":", -1);
            if (f.length < 3) continue;
            try {
                m.putIfAbsent(Integer.parseInt(f[2]), f[0]);
            } catch (NumberFormatException ignored) {
                // Skipped.
            }
        }
        return m;
    }

    /** The lines of a small file at a relative path, each component opened without following symlinks. */
    private static List<String> lines(int rootFd, String rel) {
        List<String> out = new ArrayList<>();
        try (HostTree.Scratch s = new HostTree.Scratch()) {
            String[] parts = rel.split("/");
            int dir = rootFd;
            for (int i = 0; i < parts.length; i++) {
                boolean last = i == parts.length - 1;
                int fd = HostTree.open(s, dir, parts[i].getBytes(StandardCharsets.ISO_8859_1),
                        HostTree.O_RDONLY | HostTree.O_NOFOLLOW | (last ? 0 : HostTree.O_DIRECTORY), 0);
                if (dir != rootFd) HostPosix.close(dir);
                if (fd < 0) return out;
                dir = fd;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try {
                while (bytes.size() < (16 << 20)) {
                    long n = HostPosix.read(dir, s.buf);
                    if (n <= 0) break;
                    bytes.write(s.buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
                }
            } catch (java.io.IOException e) {
                return out;
            } finally {
                HostPosix.close(dir);
            }
            for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) out.add(line);
        }
        return out;
    }
}
