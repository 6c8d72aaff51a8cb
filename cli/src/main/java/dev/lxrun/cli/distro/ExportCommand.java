package dev.lxrun.cli.distro;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** lxrun export NAME FILE.tar[.gz|.xz|.zst], as wsl --export. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write the distro NAME as a tar archive (compressed by the file's extension), owners and devices as the guest sees them.")
public final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Parameters(index = "1", paramLabel = "FILE") Path file;

    @Override
    public Integer call() {
        try {
            DistroStore.ofUser().exportDistro(name, file, System.err);
            return 0;
        } catch (ImportException e) {
            System.err.println("lxrun export: " + e.getMessage());
            return 1;
        }
    }
}
