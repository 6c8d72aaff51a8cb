package dev.lxrun.cli.compat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Compares a mode's run with the native one. Each mode runs in its own scratch directory, so
 * the directory's path is replaced by "$CWD" in both outputs before comparing; everything else
 * must match byte for byte.
 */
final class Comparison {
    private Comparison() {}

    static ModeResult compare(String mode, Execution nat, Path nativeCwd, Execution run, Path runCwd, SyscallHits hits) {
        return compare(mode, nat, nativeCwd, run, runCwd, hits, false);
    }

    /** statusOnly: only the exit statuses must match (the outputs still show in the diff when they differ). */
    static ModeResult compare(String mode, Execution nat, Path nativeCwd, Execution run, Path runCwd, SyscallHits hits, boolean statusOnly) {
        double ratio = nat.nanos() > 0 ? (double) run.nanos() / nat.nanos() : Double.NaN;
        if (!run.ran()) {
            String why = run.timedOut() ? String.format("timed out after %.0f s", run.seconds()) : "could not start: " + run.startError();
            return new ModeResult(mode, Outcome.ERROR, run, List.of(), stderrTail(run), ratio, hits, why);
        }
        List<String> differences = new ArrayList<>();
        StringBuilder diff = new StringBuilder();
        byte[] no = normalise(nat.stdout(), nativeCwd), ro = normalise(run.stdout(), runCwd);
        if (!statusOnly && !Arrays.equals(no, ro)) {
            differences.add("stdout");
            diff.append(LineDiff.unified(text(no), text(ro), "native stdout", mode + " stdout"));
        }
        byte[] ne = normalise(nat.stderr(), nativeCwd), re = withoutShellMessage(normalise(run.stderr(), runCwd), nat, run);
        if (!statusOnly && !Arrays.equals(ne, re)) {
            differences.add("stderr");
            diff.append(LineDiff.unified(text(ne), text(re), "native stderr", mode + " stderr"));
        }
        if (nat.exitStatus() != run.exitStatus()) {
            differences.add("exit status");
            diff.append("exit status: native ").append(nat.exitStatus()).append(", ").append(mode).append(' ')
                .append(run.exitStatus()).append('\n');
            if (statusOnly) diff.append(mode).append(" output:\n").append(tail(text(ro) + text(re)));
        }
        Outcome outcome = differences.isEmpty() ? Outcome.PASS : Outcome.FAIL;
        String note = differences.isEmpty() ? "" : String.join(", ", differences) + (differences.size() == 1 ? " differs" : " differ");
        return new ModeResult(mode, outcome, run, List.copyOf(differences), diff.toString(), ratio, hits, note);
    }

    /**
     * lxrun stands in for the program before a shell, so when the program dies by a signal it
     * prints what a shell would ("Terminated", "Segmentation fault"). The native reference run
     * has no shell between it and the harness and prints nothing: like is compared with like by
     * dropping that last line when both died by the same signal (the exit statuses still compare).
     */
    static byte[] withoutShellMessage(byte[] stderr, Execution nat, Execution run) {
        int status = run.exitStatus();
        if (status <= 128 || status >= 128 + 65 || nat.exitStatus() != status) return stderr;
        String message = dev.lxrun.kernel.Signals.shellMessage(status - 128);
        if (message == null) return stderr;
        byte[] line = (message + "\n").getBytes(StandardCharsets.ISO_8859_1);
        if (stderr.length < line.length) return stderr;
        byte[] tail = Arrays.copyOfRange(stderr, stderr.length - line.length, stderr.length);
        boolean atLineStart = stderr.length == line.length || stderr[stderr.length - line.length - 1] == '\n';
        return Arrays.equals(tail, line) && atLineStart ? Arrays.copyOf(stderr, stderr.length - line.length) : stderr;
    }

    private static String tail(String s) {
        return s.length() > 4000 ? "…" + s.substring(s.length() - 4000) : s;
    }

    private static String stderrTail(Execution run) {
        String err = run.err();
        return err.length() > 4000 ? "…" + err.substring(err.length() - 4000) : err;
    }

    private static byte[] normalise(byte[] output, Path cwd) {
        String s = new String(output, StandardCharsets.ISO_8859_1); // byte-preserving
        String dir = new String(cwd.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        return s.replace(dir, "$CWD").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
