package dev.lxrun.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** `lxrun compat-db list|clear`: the programs --mode auto sends straight to the VM. */
@Command(name = "compat-db", description = "List or clear the programs --mode auto runs in the VM (and why).",
        subcommands = {CompatDbCommand.ListEntries.class, CompatDbCommand.Clear.class})
final class CompatDbCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("lxrun compat-db: expected list or clear");
        return 2;
    }

    @Command(name = "list", description = "One line per program: SHA-256, the untranslated syscall, when, the path run.")
    static final class ListEntries implements Callable<Integer> {
        @Override
        public Integer call() {
            for (CompatDatabase.Entry e : CompatDatabase.standard().entries()) {
                System.out.println(e.sha256().substring(0, 16) + "  " + e.syscall() + "  " + e.recorded() + "  " + e.program());
            }
            return 0;
        }
    }

    @Command(name = "clear", description = "Forget every program.")
    static final class Clear implements Callable<Integer> {
        @Override
        public Integer call() {
            try {
                int n = CompatDatabase.standard().clear();
                System.out.println("cleared " + n + (n == 1 ? " program" : " programs"));
                return 0;
            } catch (IOException e) {
                System.err.println("lxrun compat-db: " + e.getMessage());
                return 1;
            }
        }
    }
}
