package dev.lxrun.cli;

import dev.lxrun.kernel.auto.VmFallbackWatch;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * `--mode auto`'s decisions: a program the compatibility database knows goes straight to the VM;
 * a translated run whose watch fired records the program, and restarts in the VM if nothing
 * visible had happened yet.
 */
final class AutoMode {
    private final CompatDatabase db = CompatDatabase.standard();
    private final String program;
    private final Path file;
    private final PrintStream err;
    private String sha256;

    AutoMode(String program, String rootDir, String guestPath, String cwd, PrintStream err) {
        this.program = program;
        this.err = err;
        this.file = guestPath.startsWith("/") ? Path.of(rootDir, guestPath.substring(1)) : Path.of(cwd).resolve(guestPath);
    }

    private String hash() {
        if (sha256 == null) {
            try {
                sha256 = CompatDatabase.sha256(file);
            } catch (IOException e) {
                sha256 = ""; // unreadable: translation reports the error
            }
        }
        return sha256;
    }

    /** True when an earlier run found this program needs the VM (and says so once). */
    boolean knownToNeedVm() {
        if (hash().isEmpty()) return false;
        Optional<CompatDatabase.Entry> e = db.find(hash());
        e.ifPresent(entry -> err.println("lxrun: " + program + " needs " + entry.syscall()
                + ", which lxrun does not translate (lxrun compat-db): running it in the VM"));
        return e.isPresent();
    }

    /** After a translated run: true when it must be redone in the VM. */
    boolean restartInVm(VmFallbackWatch.Trigger t) {
        if (t == null) return false;
        if (!hash().isEmpty()) {
            try {
                db.record(hash(), t.name(), file.toString());
            } catch (IOException e) {
                err.println("lxrun: cannot record in " + db.file() + ": " + e.getMessage());
            }
        }
        if (!t.clean()) return false; // already visible effects (first: t.firstEffect()): ENOSYS it was
        err.println("lxrun: " + program + " called " + t.name() + ", which lxrun does not translate: restarting it in the VM");
        return true;
    }
}
