package dev.lxrun.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** `lxrun compat-db list|forget|clear`: the programs --mode auto sends straight to the VM. */
@Command(name = "compat-db", description = "List, forget or clear the programs --mode auto runs in the VM (and why).",
        subcommands = {CompatDbCommand.ListEntries.class, CompatDbCommand.Forget.class, CompatDbCommand.Clear.class})
final class CompatDbCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("lxrun compat-db: expected list, forget or clear");
        return 2;
    }

    @Command(name = "list", description = "One line per program: key, the untranslated syscall, when, the command run.")
    static final class ListEntries implements Callable<Integer> {
        @Override
        public Integer call() {
            CompatDatabase db = CompatDatabase.standard();
            List<CompatDatabase.Entry> entries = db.entries();
            if (entries.isEmpty()) {
                System.out.println("no programs recorded (" + db.file() + "): --mode auto translates every program first");
                return 0;
            }
            for (CompatDatabase.Entry e : entries) {
                System.out.println(e.key().substring(0, Math.min(16, e.key().length())) + "  " + e.syscall() + "  " + e.recorded() + "  " + e.command());
            }
            return 0;
        }
    }

    @Command(name = "forget", description = "Forget a program: KEY (as list shows it) or the program's path; it is translated again next time.")
    static final class Forget implements Callable<Integer> {
        @Parameters(paramLabel = "KEY|PROGRAM", description = "A key prefix from list, or the program's path.")
        String what;

        @Override
        public Integer call() {
            CompatDatabase db = CompatDatabase.standard();
            try {
                List<CompatDatabase.Entry> gone = db.forget(what, Path.of(System.getProperty("user.dir")));
                if (gone.isEmpty()) {
                    System.err.println("lxrun compat-db: " + what + ": no such program or key in " + db.file() + " (see lxrun compat-db list)");
                    return 1;
                }
                for (CompatDatabase.Entry e : gone) System.out.println("forgot " + e.command() + " (" + e.syscall() + ")");
                return 0;
            } catch (IOException e) {
                System.err.println("lxrun compat-db: " + e.getMessage());
                return 1;
            }
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
