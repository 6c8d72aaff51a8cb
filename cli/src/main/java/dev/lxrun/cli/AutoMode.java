package dev.lxrun.cli;

import dev.lxrun.kernel.auto.VmFallbackWatch;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * `--mode auto`'s decisions: a program the compatibility database knows goes straight to the VM;
 * a translated run whose watch fired records the program, and restarts in the VM if nothing
 * visible had happened yet; if something had, it says so once, since the program then saw ENOSYS.
 */
final class AutoMode {
    private final CompatDatabase db;
    private final String program;
    private final List<String> args;
    private final String rootDir;
    private final String cwd;
    private final Path file;
    private final PrintStream err;
    private String key;

    AutoMode(String program, List<String> args, String rootDir, String guestPath, String cwd, PrintStream err) {
        this(CompatDatabase.standard(), program, args, rootDir, guestPath, cwd, err);
    }

    AutoMode(CompatDatabase db, String program, List<String> args, String rootDir, String guestPath, String cwd, PrintStream err) {
        this.db = db;
        this.program = program;
        this.args = List.copyOf(args);
        this.rootDir = rootDir;
        this.cwd = cwd;
        this.err = err;
        this.file = (guestPath.startsWith("/") ? Path.of(rootDir, guestPath.substring(1)) : Path.of(cwd).resolve(guestPath)).normalize();
    }

    private String key() {
        if (key == null) key = ProgramKey.of(file, args, rootDir, cwd);
        return key;
    }

    /** True when an earlier run found this program needs the VM (and says so once). */
    boolean knownToNeedVm() {
        if (key().isEmpty()) return false;
        Optional<CompatDatabase.Entry> e = db.find(key());
        e.ifPresent(entry -> err.println("lxrun: " + program + " needs " + entry.syscall()
                + ", which lxrun does not translate (lxrun compat-db): running it in the VM"));
        return e.isPresent();
    }

    /** After a translated run: true when it must be redone in the VM. */
    boolean restartInVm(VmFallbackWatch.Trigger t) {
        if (t == null) return false;
        boolean recorded = false;
        if (!key().isEmpty()) {
            try {
                db.record(key(), t.name(), file.toString(), String.join(" ", args));
                recorded = true;
            } catch (IOException e) {
                err.println("lxrun: cannot record in " + db.file() + ": " + e.getMessage());
            }
        }
        if (!t.clean()) {
            // Too late to move: the program's effects (output, files) would happen twice.
            err.println("lxrun: " + program + " called " + t.name() + ", which lxrun does not translate; the VM could not take over"
                    + " because the program had already made a visible change (" + t.firstEffect() + "), so it got ENOSYS"
                    + (recorded ? "; the next run of this command goes to the VM (lxrun compat-db)" : ""));
            return false;
        }
        err.println("lxrun: " + program + " called " + t.name() + ", which lxrun does not translate: restarting it in the VM");
        return true;
    }
}
