package dev.lxrun.cli.distro;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** lxrun config NAME [--user USER] [--default]: a distro's settings, as wsl --set-default / wsl.conf's default user. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Set the distro's default user, or make it the default distro.")
public final class ConfigCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Option(names = "--user", paramLabel = "USER", description = "The user lxrun -d NAME runs as.") String user;
    @Option(names = "--default", description = "Make NAME the default distro.") boolean makeDefault;

    @Override
    public Integer call() {
        if (user == null && !makeDefault) {
            System.err.println("lxrun config: nothing to change (--user USER or --default)");
            return 2;
        }
        try {
            DistroStore.ofUser().configure(name, user, makeDefault);
            return 0;
        } catch (ImportException e) {
            System.err.println("lxrun config: " + e.getMessage());
            return 1;
        }
    }
}
