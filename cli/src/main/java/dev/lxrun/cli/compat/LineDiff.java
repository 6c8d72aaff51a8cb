package dev.lxrun.cli.compat;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two texts by lines (longest common subsequence), for showing how a mode's
 * output differs from the native one. Long outputs are trimmed to their differing middle first,
 * and a middle too large for the quadratic table is shown as removed-then-added.
 */
final class LineDiff {
    private static final long MAX_CELLS = 4_000_000;
    private static final int CONTEXT = 3;
    private static final int MAX_LINES = 400;

    private LineDiff() {}

    static String unified(String expected, String actual, String expectedLabel, String actualLabel) {
        List<String> a = expected.lines().toList(), b = actual.lines().toList();
        int prefix = 0;
        while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) prefix++;
        int suffix = 0;
        while (suffix < a.size() - prefix && suffix < b.size() - prefix
                && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) suffix++;
        List<String> am = a.subList(prefix, a.size() - suffix), bm = b.subList(prefix, b.size() - suffix);
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < prefix; i++) ops.add(new Op(' ', a.get(i)));
        ops.addAll(middle(am, bm));
        for (int i = a.size() - suffix; i < a.size(); i++) ops.add(new Op(' ', a.get(i)));
        StringBuilder sb = new StringBuilder("--- " + expectedLabel + "\n+++ " + actualLabel + "\n");
        if (a.isEmpty() == b.isEmpty() && am.isEmpty() && bm.isEmpty() && !expected.equals(actual)) {
            sb.append("(texts differ only in line endings or a final newline)\n");
            return sb.toString();
        }
        int shown = 0;
        int lastPrinted = -1;
        for (int i = 0; i < ops.size(); i++) {
            if (!near(ops, i)) continue;
            if (lastPrinted >= 0 && i > lastPrinted + 1) sb.append("@@\n");
            if (lastPrinted < 0) sb.append("@@\n");
            if (++shown > MAX_LINES) {
                sb.append("… (diff truncated)\n");
                break;
            }
            sb.append(ops.get(i).kind).append(ops.get(i).line).append('\n');
            lastPrinted = i;
        }
        return sb.toString();
    }

    private record Op(char kind, String line) {}

    /** Whether op i is a change or within CONTEXT lines of one. */
    private static boolean near(List<Op> ops, int i) {
        for (int j = Math.max(0, i - CONTEXT); j <= Math.min(ops.size() - 1, i + CONTEXT); j++) {
            if (ops.get(j).kind != ' ') return true;
        }
        return false;
    }

    private static List<Op> middle(List<String> a, List<String> b) {
        List<Op> ops = new ArrayList<>();
        if ((long) a.size() * b.size() > MAX_CELLS) {
            a.forEach(l -> ops.add(new Op('-', l)));
            b.forEach(l -> ops.add(new Op('+', l)));
            return ops;
        }
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0, j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                ops.add(new Op(' ', a.get(i++)));
                j++;
            } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                ops.add(new Op('-', a.get(i++)));
            } else {
                ops.add(new Op('+', b.get(j++)));
            }
        }
        return ops;
    }
}
