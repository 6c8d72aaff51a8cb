package dev.lxrun.conformance;

import java.nio.charset.StandardCharsets;

/** What a program run produced: both output streams and the exit status as a shell reports it. */
record RunResult(byte[] stdout, byte[] stderr, int exitStatus) {
    String out() { return new String(stdout, StandardCharsets.UTF_8); }
    String err() { return new String(stderr, StandardCharsets.UTF_8); }

    @Override
    public String toString() {
        return "exit " + exitStatus + "\n--- stdout ---\n" + out() + "--- stderr ---\n" + err();
    }
}
