package dev.lxrun.cli.compat;

import java.util.List;
import java.util.Locale;

/**
 * Inline SVG bar charts for the compat and bench HTML pages: no scripts and no external files,
 * so a report opens the same from disk, from a CI artifact or in a headless browser.
 */
public final class SvgChart {
    /** One row of bars: a label and one value per series (NaN where a series has none). */
    public record Group(String label, double[] values) {}

    /** A series' name and fill colour. */
    public record Series(String name, String color) {}

    private static final int LABEL_W = 220, BAR_W = 520, BAR_H = 14, GAP = 10, VALUE_W = 90;

    private SvgChart() {}

    /**
     * Grouped horizontal bars. With log scale (time ratios span 1x to 1000x) the axis starts at
     * the smallest value's power of ten; reference draws a dashed line at that value (1x = native).
     */
    public static String groupedBars(String title, List<Series> series, List<Group> groups, boolean log,
                                     double reference, String unit) {
        double max = 0, min = Double.MAX_VALUE;
        for (Group g : groups) {
            for (double v : g.values()) {
                if (Double.isNaN(v) || v <= 0) continue;
                max = Math.max(max, v);
                min = Math.min(min, v);
            }
        }
        if (max == 0) { max = 1; min = 1; }
        double lo = log ? Math.pow(10, Math.floor(Math.log10(Math.min(min, reference > 0 ? reference : min)))) : 0;
        double hi = log ? Math.pow(10, Math.ceil(Math.log10(max * 1.0001))) : max * 1.05;
        if (log && hi <= lo) hi = lo * 10;
        int groupH = series.size() * BAR_H + GAP;
        int legendH = 24;
        int height = 30 + legendH + groups.size() * groupH + 30;
        int width = LABEL_W + BAR_W + VALUE_W;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">%n",
                width, height, width, height, esc(title)));
        sb.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"18\" font-size=\"15\" font-weight=\"bold\">%s</text>%n", esc(title)));
        int lx = LABEL_W;
        for (Series s : series) {
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"28\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"39\" font-size=\"12\">%s</text>%n",
                    lx, s.color(), lx + 16, esc(s.name())));
            lx += 24 + 8 * s.name().length();
        }
        int top = 30 + legendH;
        for (int gi = 0; gi < groups.size(); gi++) {
            Group g = groups.get(gi);
            int y0 = top + gi * groupH;
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">%s</text>%n",
                    LABEL_W - 6, y0 + series.size() * BAR_H / 2 + 4, esc(shorten(g.label()))));
            for (int si = 0; si < series.size() && si < g.values().length; si++) {
                double v = g.values()[si];
                int y = y0 + si * BAR_H;
                if (Double.isNaN(v)) {
                    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\" fill=\"#888\">n/a</text>%n", LABEL_W + 4, y + BAR_H - 3));
                    continue;
                }
                double w = scale(v, lo, hi, log);
                sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s %s: %s</title></rect>%n",
                        LABEL_W, y, Math.max(1, w), BAR_H - 2, series.get(si).color(), esc(g.label()), esc(series.get(si).name()), format(v, unit)));
                sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\">%s</text>%n",
                        LABEL_W + Math.max(1, w) + 4, y + BAR_H - 3, esc(format(v, unit))));
            }
        }
        int axisY = top + groups.size() * groupH;
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>%n", LABEL_W, top - 4, LABEL_W, axisY));
        if (log) {
            for (double t = lo; t <= hi * 1.0001; t *= 10) tick(sb, scale(t, lo, hi, true), axisY, format(t, unit));
        } else {
            for (int i = 0; i <= 4; i++) tick(sb, BAR_W * i / 4.0, axisY, format(hi * i / 4, unit));
        }
        if (reference > 0 && reference >= lo && reference <= hi) {
            double x = LABEL_W + scale(reference, lo, hi, log);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#000\" stroke-dasharray=\"4 3\"/>%n", x, top - 4, x, axisY));
        }
        return sb.append("</svg>\n").toString();
    }

    /** One horizontal bar split into coloured parts (e.g. pass / fail / error / unavailable counts). */
    public static String stackedBar(String label, List<Series> parts, int[] counts) {
        int total = 0;
        for (int c : counts) total += c;
        int width = LABEL_W + BAR_W + VALUE_W, height = 28;
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">%n", width, height, width, height));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"13\" text-anchor=\"end\">%s</text>%n", LABEL_W - 6, esc(label)));
        double x = LABEL_W;
        for (int i = 0; i < parts.size(); i++) {
            if (counts[i] == 0 || total == 0) continue;
            double w = BAR_W * (double) counts[i] / total;
            sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"4\" width=\"%.1f\" height=\"20\" fill=\"%s\"><title>%s: %d</title></rect>%n",
                    x, w, parts.get(i).color(), esc(parts.get(i).name()), counts[i]));
            if (w > 30) sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"18\" font-size=\"12\" fill=\"#fff\">%d %s</text>%n", x + 4, counts[i], esc(parts.get(i).name())));
            x += w;
        }
        return sb.append("</svg>\n").toString();
    }

    private static void tick(StringBuilder sb, double x, int axisY, String label) {
        sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#444\"/><text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%s</text>%n",
                LABEL_W + x, axisY, LABEL_W + x, axisY + 4, LABEL_W + x, axisY + 16, esc(label)));
    }

    private static double scale(double v, double lo, double hi, boolean log) {
        if (log) return BAR_W * (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
        return BAR_W * v / hi;
    }

    static String format(double v, String unit) {
        // Three significant digits at most: 1234, 12.3, 1.23, 0.00123.
        String n = v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : v >= 1 ? String.format(Locale.ROOT, "%.2f", v)
                : new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
        return n + unit;
    }

    private static String shorten(String s) {
        return s.length() > 32 ? s.substring(0, 31) + "…" : s;
    }

    static String esc(String s) {
        return JUnitReport.esc(s);
    }
}
