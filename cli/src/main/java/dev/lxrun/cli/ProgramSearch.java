package dev.lxrun.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds PROGRAM like a shell does: a name with '/' is used as is, else the first executable in PATH. */
final class ProgramSearch {
    private ProgramSearch() {}

    static String resolve(String program, String pathVar) {
        if (program.contains("/")) return program;
        String path = pathVar != null ? pathVar : "/usr/local/bin:/usr/bin:/bin";
        for (String dir : path.split(":", -1)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return candidate.toString();
        }
        return null;
    }
}
