package dev.lxrun.cli.compat;

import java.util.List;

/** A test's native run and its result in every other mode, in mode order. */
public record CaseResult(SuiteCase test, Execution nativeRun, List<ModeResult> modes) {
    public ModeResult mode(String name) {
        return modes.stream().filter(m -> m.mode().equals(name)).findFirst().orElse(null);
    }
}
