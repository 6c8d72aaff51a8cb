package dev.lxrun.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What identifies a program for `--mode auto`'s memory: the executable's SHA-256 and every
 * argument, where an argument naming a regular file (a script: `python3 app.py`) counts by that
 * file's content. The interpreter alone identified nothing: one `python3 -c …` that needed the VM
 * sent every python3 program there. A rebuilt binary or an edited script is judged afresh.
 */
final class ProgramKey {
    private ProgramKey() {}

    /** The key, or "" when the executable cannot be read (translation then reports the error). */
    static String of(Path executable, List<String> args, String rootDir, String cwd) {
        StringBuilder sb = new StringBuilder();
        try {
            sb.append("exe ").append(CompatDatabase.sha256(executable)).append('\n');
        } catch (IOException e) {
            return "";
        }
        for (String a : args) {
            Path f = guestFile(a, rootDir, cwd);
            String content = null;
            if (f != null && Files.isRegularFile(f)) {
                try {
                    content = CompatDatabase.sha256(f);
                } catch (IOException unreadable) {
                    // the argument counts as text
                }
            }
            sb.append(content != null ? "file " + content : "arg " + a.replace("\n", "\\n")).append('\n');
        }
        return CompatDatabase.sha256(sb.toString());
    }

    /** The host path of a guest path argument (the root's view), or null for an empty argument. */
    static Path guestFile(String arg, String rootDir, String cwd) {
        if (arg.isEmpty() || arg.startsWith("-") || arg.indexOf('\0') >= 0) return null;
        try {
            return (arg.startsWith("/") ? Path.of(rootDir, arg.substring(1)) : Path.of(cwd).resolve(arg)).normalize();
        } catch (RuntimeException invalid) {
            return null;
        }
    }
}
