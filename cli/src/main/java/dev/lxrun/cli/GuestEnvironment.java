package dev.lxrun.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The program's environment: lxrun's own, in its original order, edited by -E and -U (as qemu-user
 * does), without lxrun's own configuration (LXRUN_*): the program must see what it would natively.
 */
final class GuestEnvironment {
    private GuestEnvironment() {}

    static List<String> build(List<String> set, List<String> unset) {
        List<String> env = original();
        env.removeIf(e -> e.startsWith("LXRUN_"));
        for (String u : unset) env.removeIf(e -> e.startsWith(u + "=") || e.equals(u));
        for (String s : set) {
            int eq = s.indexOf('=');
            String name = eq < 0 ? s : s.substring(0, eq);
            String entry = eq < 0 ? s + "=" : s;
            boolean replaced = false;
            for (int i = 0; i < env.size(); i++) {
                if (env.get(i).startsWith(name + "=")) {
                    env.set(i, entry);
                    replaced = true;
                    break;
                }
            }
            if (!replaced) env.add(entry);
        }
        return env;
    }

    /**
     * /proc/self/environ keeps the order and the exact bytes the parent passed (System.getenv() is a
     * hash map decoded with the host charset); each byte becomes one char, see {@link RawArguments}.
     */
    private static List<String> original() {
        List<String> env = new ArrayList<>();
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc/self/environ"));
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    if (i > start) env.add(new String(raw, start, i - start, StandardCharsets.ISO_8859_1));
                    start = i + 1;
                }
            }
            return env;
        } catch (IOException | RuntimeException e) {
            for (Map.Entry<String, String> e2 : System.getenv().entrySet()) env.add(e2.getKey() + "=" + e2.getValue());
            return env;
        }
    }

    static String value(List<String> env, String name) {
        for (String e : env) if (e.startsWith(name + "=")) return e.substring(name.length() + 1);
        return null;
    }
}
