package dev.lxrun.cli.distro;

import dev.lxrun.kernel.Credentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How lxrun -d NAME runs a program, as wsl -d does: the distro's root with its metadata on, as
 * the distro's default user, in the host cwd when that lies inside the distro and otherwise in
 * the user's home, with HOME, USER, LOGNAME and SHELL set for that user.
 *
 * @param root the distro's root directory (real path)
 * @param cwd the host path of the initial working directory
 */
public record DistroLaunch(Path root, String cwd, Credentials credentials, String shell, List<String> environment) {
    public static DistroLaunch resolve(String name, String hostCwd) throws ImportException {
        DistroStore.Distro d = DistroStore.ofUser().find(name);
        if (d == null) throw new ImportException("no distro named " + name + " (see lxrun list)");
        Path root;
        try {
            root = d.root().toRealPath();
        } catch (IOException e) {
            throw new ImportException("distro " + name + ": its root " + d.root() + " is gone (lxrun unregister " + name + ")");
        }
        DistroUsers.User u = DistroUsers.lookup(root, d.user());
        if (u == null) throw new ImportException("distro " + name + ": its default user " + d.user() + " is not in its /etc/passwd");
        String cwd = hostCwd;
        Path here;
        try {
            here = Path.of(hostCwd).toRealPath();
        } catch (IOException | RuntimeException e) {
            here = null;
        }
        if (here == null || !here.startsWith(root)) {
            Path home = root.resolve(u.home().replaceFirst("^/+", ""));
            // The home is looked up inside the root: a symlinked home that leads out is not followed.
            cwd = Files.isDirectory(home, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? home.toString() : root.toString();
        }
        Credentials creds = new Credentials(u.uid(), u.uid(), u.uid(), u.gid(), u.gid(), u.gid(), u.groups());
        String shell = u.shell().isEmpty() ? "/bin/sh" : u.shell();
        return new DistroLaunch(root, cwd, creds, shell,
                List.of("HOME=" + u.home(), "USER=" + u.name(), "LOGNAME=" + u.name(), "SHELL=" + shell));
    }
}
