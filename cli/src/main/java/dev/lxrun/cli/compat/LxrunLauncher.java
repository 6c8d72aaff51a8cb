package dev.lxrun.cli.compat;

import dev.lxrun.cli.Main;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command that starts this very lxrun in a fresh JVM with the JVM flags ./lxrun uses.
 * The lxrun.command system
 * property overrides it (a whitespace-separated command, e.g. "/path/to/lxrun").
 */
public final class LxrunLauncher {
    private LxrunLauncher() {}

    public static List<String> command() {
        List<String> cmd = new ArrayList<>();
        String custom = System.getProperty("lxrun.command");
        if (custom != null && !custom.isBlank()) {
            cmd.addAll(List.of(custom.trim().split("\\s+")));
            return cmd;
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The same JVM flags as the ./lxrun script, so timings match what users see.
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Xss8m");
        String lib = System.getProperty("lxrun.unicorn", System.getenv("LXRUN_UNICORN"));
        if (lib != null) cmd.add("-Dlxrun.unicorn=" + lib);
        // -cp and the main class rather than -jar: the class path may be lxrun.jar, Maven's
        // target/classes directories or Surefire's manifest-only booter jar, and -cp runs all three.
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        return cmd;
    }
}
