package dev.lxrun.cli.distro;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** lxrun import NAME ROOTFS.tar[.gz|.xz|.zst] [DIR], as wsl --import. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Unpack a root file system archive (tar, .gz, .xz, .zst, .bz2) as the distro NAME.")
public final class ImportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Parameters(index = "1", paramLabel = "ROOTFS.tar") Path archive;
    @Parameters(index = "2", arity = "0..1", paramLabel = "DIR",
            description = "Where to keep the root (default: $XDG_DATA_HOME/lxrun/distros/NAME); must be new or empty.")
    Path dir;
    @Option(names = "--user", paramLabel = "USER", description = "The distro's default user (default: root).") String user;

    @Override
    public Integer call() {
        try {
            DistroStore.Distro d = DistroStore.ofUser().importDistro(name, archive, dir, user, System.err);
            if (user != null && DistroUsers.lookup(d.root(), user) == null) {
                System.err.println("lxrun import: warning: no user " + user + " in the distro's /etc/passwd yet");
            }
            return 0;
        } catch (ImportException e) {
            System.err.println("lxrun import: " + e.getMessage());
            return 1;
        }
    }
}
