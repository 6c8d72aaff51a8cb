package dev.lxrun.cli;

import java.nio.file.Files;
import java.nio.file.Path;

public final class Hostname {
    private Hostname() {}

    public static String get() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (Exception e) {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (Exception e2) {
                return "localhost";
            }
        }
    }
}
