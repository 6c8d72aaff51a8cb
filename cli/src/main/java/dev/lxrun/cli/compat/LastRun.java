package dev.lxrun.cli.compat;

import java.nio.file.Path;

/**
 * Where a compat run leaves a copy of its report.json for `lxrun syscalls --report` and the
 * README generator: $LXRUN_CACHE/compat/last-run.json (default ~/.cache/lxrun), the cache the
 * launcher already uses for Unicorn.
 */
public final class LastRun {
    private LastRun() {}

    public static Path defaultFile() {
        String cache = System.getenv("LXRUN_CACHE");
        Path dir = cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache", "lxrun");
        return dir.resolve("compat").resolve("last-run.json");
    }
}
