package dev.lxrun.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command-line arguments as the exact bytes the shell passed. The JVM decodes argv with the
 * host charset (ASCII under LC_ALL=C), which loses any other byte; a guest must get them intact.
 * Guest byte strings travel through lxrun one byte per char (ISO-8859-1).
 */
final class RawArguments {
    private RawArguments() {}

    static String[] of(String[] decoded) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc/self/cmdline"));
            List<String> all = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    all.add(new String(raw, start, i - start, StandardCharsets.ISO_8859_1));
                    start = i + 1;
                }
            }
            if (all.size() < decoded.length) return decoded;
            String[] tail = all.subList(all.size() - decoded.length, all.size()).toArray(String[]::new);
            for (int i = 0; i < decoded.length; i++) {
                // The JVM's own options come first; the tail must line up with what it decoded.
                if (isAscii(decoded[i]) && !decoded[i].equals(tail[i])) return decoded;
            }
            return tail;
        } catch (IOException | RuntimeException e) {
            return decoded;
        }
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 0x80) return false;
        return true;
    }
}
