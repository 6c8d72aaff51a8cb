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
        return cacheDir().resolve("compat").resolve("last-run.json");
    }

    /** lxrun's cache directory (also holds Unicorn and the bench programs). */
    public static Path cacheDir() {
        return dev.lxrun.vm.VmSetup.lxrunCache();
    }
}
