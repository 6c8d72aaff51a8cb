package dev.lxrun.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds PROGRAM like a shell does: a name with '/' is used as is, else the first executable in PATH. */
public final class ProgramSearch {
    private ProgramSearch() {}

    static String resolve(String program, String pathVar) {
        return resolve(program, pathVar, "/");
    }

    /** As above, with PATH's directories taken inside root (a confined guest's "/"); returns the guest path. */
    public static String resolve(String program, String pathVar, String root) {
        if (program.contains("/")) return program;
        String path = pathVar != null ? pathVar : "/usr/local/bin:/usr/bin:/bin";
        for (String dir : path.split(":", -1)) {
            String guestDir = dir.isEmpty() ? "." : dir;
            Path candidate = root.equals("/") || !guestDir.startsWith("/")
                    ? Path.of(guestDir, program) : Path.of(root, guestDir.substring(1), program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return Path.of(guestDir, program).toString();
        }
        return null;
    }
}
