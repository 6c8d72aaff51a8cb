package dev.lxrun.cli.distro;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** lxrun list: the registered distros, the default one marked with '*', as wsl --list --verbose. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the imported distros (* marks the default).")
public final class ListCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        DistroStore store = DistroStore.ofUser();
        List<DistroStore.Distro> all = store.all();
        if (all.isEmpty()) {
            System.out.println("no distros (lxrun import NAME ROOTFS.tar adds one)");
            return 0;
        }
        String def = store.defaultName();
        int w = Math.max(4, all.stream().mapToInt(d -> d.name().length()).max().orElse(4));
        System.out.printf("  %-" + w + "s  %-8s  %s%n", "NAME", "USER", "DIRECTORY");
        for (DistroStore.Distro d : all) {
            System.out.printf("%s %-" + w + "s  %-8s  %s%n", d.name().equals(def) ? "*" : " ", d.name(), d.user(), d.root());
        }
        return 0;
    }
}
