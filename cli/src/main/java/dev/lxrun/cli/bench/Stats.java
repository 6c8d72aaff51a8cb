package dev.lxrun.cli.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The runs of one workload in one mode: wall-clock seconds of each successful run, the median
 * (robust against one slow run on a shared machine) and the spread as min..max. A run that
 * exited non-zero or timed out is counted in failures and left out of the figures.
 */
record Stats(List<Double> seconds, int failures, String lastError) {
    double median() {
        if (seconds.isEmpty()) return Double.NaN;
        List<Double> s = new ArrayList<>(seconds);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    double min() {
        return seconds.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double max() {
        return seconds.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** (max - min) / median: 0.1 means the runs lay within 10% of the median's size. */
    double spread() {
        return seconds.size() < 2 ? 0 : (max() - min()) / median();
    }
}
