package dev.lxrun.cli;

import dev.lxrun.vm.PersistentVm;
import dev.lxrun.vm.VmException;
import dev.lxrun.vm.VmSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `lxrun vm start|stop|status`: the persistent VM that later `--mode vm` runs use. */
@Command(name = "vm", description = "Manage the persistent VM used by --mode vm.",
        subcommands = {VmCommand.Start.class, VmCommand.Stop.class, VmCommand.Status.class})
final class VmCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("lxrun vm: expected start, stop or status");
        return 2;
    }

    @Command(name = "start", description = "Boot a VM and keep it running.")
    static final class Start implements Callable<Integer> {
        @Option(names = {"--root", "-d"}, paramLabel = "DIR", description = "The root directory shared with the VM (default /).")
        String root = "/";

        @Override
        public Integer call() {
            try {
                Path r = Path.of(root);
                if (!Files.isDirectory(r)) {
                    System.err.println("lxrun: " + root + ": root directory " + (Files.exists(r) ? "is not a directory" : "does not exist"));
                    return 2;
                }
                dev.lxrun.vm.Progress progress = m -> System.err.println("lxrun: vm: " + m);
                var status = PersistentVm.start(VmSetup.config(r.toRealPath(), progress), progress);
                System.out.println(status.describe());
                return 0;
            } catch (VmException e) {
                System.err.println("lxrun: vm: " + e.getMessage());
                return 1;
            } catch (java.io.IOException e) {
                System.err.println("lxrun: " + root + ": " + e.getMessage());
                return 2;
            }
        }
    }

    @Command(name = "stop", description = "Power the persistent VM off.")
    static final class Stop implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.println(PersistentVm.stop() ? "stopped" : "not running");
            return 0;
        }
    }

    @Command(name = "status", description = "Say whether the persistent VM runs, and how (exit status 3 if not).")
    static final class Status implements Callable<Integer> {
        @Override
        public Integer call() {
            var s = PersistentVm.status();
            System.out.println(s.map(PersistentVm.Status::describe).orElse("not running"));
            return s.isPresent() ? 0 : 3;
        }
    }
}
