package dev.lxrun.cli.distro;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** lxrun unregister NAME: deletes the distro's files and forgets it, as wsl --unregister. */
@Command(name = "unregister", mixinStandardHelpOptions = true, description = "Delete the distro NAME and all its files.")
public final class UnregisterCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    public Integer call() {
        try {
            DistroStore.ofUser().unregister(name);
            return 0;
        } catch (ImportException e) {
            System.err.println("lxrun unregister: " + e.getMessage());
            return 1;
        }
    }
}
