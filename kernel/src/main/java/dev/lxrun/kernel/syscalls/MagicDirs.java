package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.RootedPaths;
import dev.lxrun.kernel.Task;
import dev.lxrun.vfs.mount.PathWalk;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The magic directory links /proc/PID/cwd, /proc/PID/root and /proc/PID/fd/N (PID a guest
 * process or "self"), walked through rather than named: in a confined namespace a path such as
 * /proc/self/cwd/../x continues from the cwd's open directory with the ordinary walk, so ".."
 * and mount options (read-only) are decided by identity there as anywhere else, never by the
 * path the directory once had. The bare fd/N link (reopening the same file) stays procfs's.
 */
final class MagicDirs {
    private MagicDirs() {}

    /** Where the rest of the path is walked from: start (null: the root) and the rest ("." for the directory itself). */
    record Via(PathWalk.Start start, String rest) {
        RootedPaths.Target target(Task t, boolean follow, long[] err) {
            RootedPaths.Target target = t.rooted().target(rest, follow, start);
            if (target.dirFd() < 0) {
                err[0] = target.dirFd();
                return null;
            }
            return target;
        }

        RootedPaths.Opened open(Task t, int flags, int mode) {
            return t.rooted().openFile(rest, flags, mode, start);
        }

        RootedPaths.Opened openHow(Task t, long flags, long mode, long resolve) {
            return t.rooted().openHow(rest, flags, mode, resolve, start);
        }
    }

    /**
     * The walk a path through one of the caller's magic directory links stands for, or null
     * when the path is not one (or names the link itself: not followed, or a bare fd/N).
     */
    static Via rewrite(Task t, int dirfd, byte[] raw, boolean followLast) {
        if (t.rooted() == null || raw.length < 6 || raw[0] != '/') return null;
        String p = new String(raw, StandardCharsets.ISO_8859_1);
        List<String> parts = new ArrayList<>();
        for (String s : p.split("/")) if (!s.isEmpty()) parts.add(s);
        if (parts.size() < 3 || !parts.get(0).equals("proc")) return null;
        String who = parts.get(1);
        dev.lxrun.kernel.Process owner;
        if (who.equals("self")) {
            owner = t.process;
        } else {
            int id;
            try {
                id = Integer.parseInt(who);
            } catch (NumberFormatException e) {
                return null;
            }
            dev.lxrun.kernel.Task task = t.kernel().task(id);
            if (task == null) return null; // procfs answers ENOENT
            owner = task.process;
        }
        boolean trailingSlash = p.endsWith("/");
        PathWalk.Start start;
        int restFrom;
        switch (parts.get(2)) {
            case "cwd" -> {
                start = new PathWalk.Start(owner.fs.cwdFd(), owner.fs.cwdMount());
                restFrom = 3;
            }
            case "root" -> {
                // The process's own root (another process may be chrooted elsewhere).
                RootedPaths own = owner.fs.root();
                if (own == null && t.kernel().rooted == null) return null;
                start = owner == t.process || own == null && t.process.fs.root() == null ? null
                        : new PathWalk.Start(own != null ? own.top().fd() : t.kernel().rooted.top().fd(),
                                own != null ? own.top().mount() : t.kernel().rooted.top().mount());
                restFrom = 3;
            }
            case "fd" -> {
                if (parts.size() < 4 || (parts.size() == 4 && !trailingSlash)) return null;
                int fd;
                try {
                    fd = Integer.parseInt(parts.get(3));
                } catch (NumberFormatException e) {
                    return null;
                }
                var f = owner.fds.get(fd);
                if (f == null || f.hostFd() < 0) return null; // procfs answers for a closed or pseudo descriptor
                start = new PathWalk.Start(f.hostFd(), f instanceof dev.lxrun.vfs.HostFile h ? h.mount() : null);
                restFrom = 4;
            }
            default -> {
                return null;
            }
        }
        List<String> rest = parts.subList(restFrom, parts.size());
        if (rest.isEmpty() && !trailingSlash && !followLast) return null;
        String joined = String.join("/", rest);
        String walked;
        if (start == null) walked = "/" + joined;
        else walked = joined.isEmpty() ? "." : joined;
        if (trailingSlash && !joined.isEmpty()) walked += "/";
        return new Via(start, walked);
    }
}
