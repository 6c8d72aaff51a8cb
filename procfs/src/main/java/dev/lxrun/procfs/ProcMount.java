package dev.lxrun.procfs;

import java.nio.charset.StandardCharsets;

/**
 * The mount id fdinfo reports for files of lxrun's /proc: the host's /proc mount, since the
 * guest's mountinfo is the host's and lxrun's procfs stands where the host's is.
 */
final class ProcMount {
    private static volatile String id;

    private ProcMount() {}

    static String id() {
        String cached = id;
        if (cached != null) return cached;
        String found = "0";
        String info = new String(ProcessFiles.hostFile("/proc/self/mountinfo"), StandardCharsets.ISO_8859_1);
        for (String line : info.split("\n")) {
            String[] f = line.split(" ");
            if (f.length > 4 && f[4].equals("/proc")) {
                found = f[0];
                break;
            }
        }
        id = found;
        return found;
    }
}
