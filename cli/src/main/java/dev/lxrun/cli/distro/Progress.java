package dev.lxrun.cli.distro;

import dev.lxrun.vfs.host.HostPosix;
import java.io.PrintStream;
import java.lang.foreign.Arena;

/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal (a log file or a
 * pipe gets nothing), redrawn at most ten times a second.
 */
final class Progress {
    private final PrintStream err;
    private final String what;
    private final long total;
    private long done, lastDraw;
    private boolean drawn;

    private Progress(PrintStream err, String what, long total) {
        this.err = err;
        this.what = what;
        this.total = total;
    }

    /** A bar for total units (bytes when total > 0), or null when stderr is not a terminal. */
    static Progress onTerminal(PrintStream err, String what, long total) {
        return stderrIsTerminal() ? new Progress(err, what, total) : null;
    }

    static boolean stderrIsTerminal() {
        try (Arena a = Arena.ofConfined()) {
            return HostPosix.ioctl(2, 0x5401 /* TCGETS */, a.allocate(64)) >= 0;
        }
    }

    void set(long value) {
        done = value;
        draw(false);
    }

    void add(long n) {
        done += n;
        draw(false);
    }

    private void draw(boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastDraw < 100_000_000L) return;
        lastDraw = now;
        drawn = true;
        if (total > 0) {
            int pct = (int) Math.min(100, done * 100 / total);
            int bar = pct * 30 / 100;
            err.print("\r" + what + " [" + "#".repeat(bar) + " ".repeat(30 - bar) + "] " + pct + "% " + (done >> 20) + "/" + (total >> 20) + " MiB");
        } else {
            err.print("\r" + what + " " + done + " files");
        }
        err.flush();
    }

    /** Draws the final state and ends the line. */
    void finish() {
        draw(true);
        if (drawn) err.println();
    }
}
