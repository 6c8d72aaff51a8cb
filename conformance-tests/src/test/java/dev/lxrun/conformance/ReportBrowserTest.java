package dev.lxrun.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the compat and bench HTML reports in headless Chromium and checks the screenshots show
 * a rendered page: a real PNG of the window's size, many colours (text, table, chart) and the
 * chart's own bar colours. The PNGs stay in target/browser/ for a person to look at.
 */
class ReportBrowserTest {
    static final Path SHOTS = Path.of("target", "browser");

    @TempDir
    Path dir;

    @Test
    void compatReportRendersTableAndChart() throws Exception {
        CompatHarness.compat(dir, "browser.suite", "--modes", "translate");
        Path png = screenshot(dir.resolve("report.html"), "compat-report.png");
        BufferedImage img = decode(png);
        assertTrue(colours(img) > 100, "a rendered page has many colours, got " + colours(img));
        // The outcome bar's pass green and fail red, and the ratio chart's translate blue.
        assertTrue(has(img, 0x2e7d32), "no pass-green bar in the screenshot");
        assertTrue(has(img, 0xc62828), "no fail-red bar in the screenshot");
        assertTrue(has(img, 0x1565c0), "no translate-blue ratio bar in the screenshot");
        // The failing test's table cell background.
        assertTrue(has(img, 0xffcdd2), "no failed cell in the table");
    }

    @Test
    void benchReportRendersChart() throws Exception {
        var r = CompatHarness.lxrun("bench", "--quick", "--runs", "1", "--workloads", "startup,syscall", "--modes", "translate",
                "--out", dir.toString());
        assertEquals(0, r.status(), r.out());
        Map<String, Object> bench = CompatHarness.json(dir.resolve("bench.json"));
        @SuppressWarnings("unchecked")
        List<Object> workloads = (List<Object>) bench.get("workloads");
        assertEquals(2, workloads.size());
        for (Object w : workloads) {
            Map<String, Object> t = CompatHarness.obj(w, "results", "translate");
            assertTrue(((Number) t.get("ratioToNative")).doubleValue() > 1, "translation is slower than native: " + t);
        }
        BufferedImage img = decode(screenshot(dir.resolve("bench.html"), "bench-report.png"));
        assertTrue(colours(img) > 100, "a rendered page has many colours, got " + colours(img));
        assertTrue(has(img, 0x1565c0), "no translate-blue bar in the bench chart");
    }

    private static Path screenshot(Path html, String name) throws IOException, InterruptedException {
        Files.createDirectories(SHOTS);
        Path png = SHOTS.resolve(name).toAbsolutePath();
        Files.deleteIfExists(png);
        Path profile = Files.createTempDirectory("chromium-profile");
        String browser = Files.isExecutable(Path.of("/usr/bin/chromium")) ? "/usr/bin/chromium" : "chromium";
        Process p = new ProcessBuilder(browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--window-size=1280,1600", "--screenshot=" + png, html.toUri().toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "chromium did not finish");
        assertTrue(Files.exists(png), "chromium wrote no screenshot (install chromium; exit " + p.exitValue() + "): " + log);
        return png;
    }

    private static BufferedImage decode(Path png) throws IOException {
        assertTrue(Files.size(png) > 20_000, "screenshot is suspiciously small: " + Files.size(png) + " bytes");
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1280, img.getWidth());
        assertEquals(1600, img.getHeight());
        return img;
    }

    private static int colours(BufferedImage img) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) seen.add(img.getRGB(x, y) & 0xffffff);
        }
        return seen.size();
    }

    /** Whether at least 50 pixels have this colour (within a small tolerance for colour management). */
    private static boolean has(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int c = img.getRGB(x, y);
                if (Math.abs(((c >> 16) & 255) - ((rgb >> 16) & 255)) <= 6 && Math.abs(((c >> 8) & 255) - ((rgb >> 8) & 255)) <= 6
                        && Math.abs((c & 255) - (rgb & 255)) <= 6 && ++n >= 50) return true;
            }
        }
        return false;
    }
}
