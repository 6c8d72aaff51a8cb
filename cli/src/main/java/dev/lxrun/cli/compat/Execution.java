package dev.lxrun.cli.compat;

import java.nio.charset.StandardCharsets;

/** What one run of a program produced. exitStatus is a shell's (128+n when killed by signal n). */
public record Execution(byte[] stdout, byte[] stderr, int exitStatus, long nanos, boolean timedOut, String startError) {
    public static Execution failedToStart(String why) {
        return new Execution(new byte[0], new byte[0], 127, 0, false, why);
    }

    public double seconds() {
        return nanos / 1e9;
    }

    public String out() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public String err() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    public boolean ran() {
        return startError == null && !timedOut;
    }
}
