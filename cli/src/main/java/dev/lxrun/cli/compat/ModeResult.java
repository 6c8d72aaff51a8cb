package dev.lxrun.cli.compat;

import java.util.List;

/**
 * One test in one non-native mode: the outcome, what differed (names such as "stdout"), a
 * unified diff of each differing stream, the time relative to native and, in translation,
 * the not-fully-implemented syscalls the program made.
 */
public record ModeResult(String mode, Outcome outcome, Execution run, List<String> differences, String diff,
                         double ratio, SyscallHits hits, String note) {
    public static ModeResult unavailable(String mode, String reason) {
        return new ModeResult(mode, Outcome.UNAVAILABLE, null, List.of(), "", Double.NaN, SyscallHits.NONE, reason);
    }
}
