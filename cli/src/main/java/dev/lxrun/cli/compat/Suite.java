package dev.lxrun.cli.compat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A compat suite, loaded from either
 * <ul>
 *   <li>a list file: one command line per line, optionally prefixed by "NAME: "; blank lines and
 *       lines starting with # are skipped; $VAR expands from the environment; or</li>
 *   <li>a directory: every executable regular file in it is a test run without arguments, and
 *       every *.suite file in it is read as a list file.</li>
 * </ul>
 * A relative program path with a '/' (./prog, bin/prog) is relative to the list file's
 * directory, so a suite can carry its own scripts and stay runnable from anywhere. Every
 * test's expected outcome is "the same as the native run": stdout, stderr and exit status, or
 * only the exit status for the lines after a directive line "%compare status" ("%compare all"
 * switches back). A name "FAMILY/TEST" puts the test in a family for the per-family pass rates.
 */
public record Suite(String name, List<SuiteCase> cases) {
    private static final Pattern NAMED = Pattern.compile("^([A-Za-z0-9_.+/-]+):\\s+(.+)$");

    public static Suite load(Path path, Map<String, String> vars) throws IOException {
        if (Files.isDirectory(path)) return loadDirectory(path, vars);
        if (!Files.isRegularFile(path)) throw new IOException(path + ": no such suite file or directory");
        return new Suite(path.getFileName().toString(), loadList(path, vars));
    }

    private static Suite loadDirectory(Path dir, Map<String, String> vars) throws IOException {
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.sorted().toList();
        }
        List<SuiteCase> cases = new ArrayList<>();
        for (Path p : entries) {
            String file = p.getFileName().toString();
            if (!Files.isRegularFile(p)) continue;
            if (file.endsWith(".suite")) cases.addAll(loadList(p, vars));
            else if (Files.isExecutable(p)) cases.add(new SuiteCase(file, List.of(p.toAbsolutePath().toString())));
        }
        return new Suite(dir.getFileName().toString(), cases);
    }

    /** The PATH every compat run gets (CompatCommand.environment): where a bare program name is looked up. */
    static final String RUN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /**
     * Why a suite line's program cannot run, or null: said when the suite is loaded, since every
     * mode would only fail the same way (a "translate FAIL" with a NaN ratio told nothing).
     */
    static String missingProgram(String program) {
        if (program.contains("/")) {
            Path p = Path.of(program);
            if (!Files.exists(p)) return "no such program";
            if (Files.isDirectory(p)) return "is a directory, not a program";
            return Files.isExecutable(p) ? null : "not executable";
        }
        for (String dir : RUN_PATH.split(":")) {
            Path p = Path.of(dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return null;
        }
        return "command not found (PATH " + RUN_PATH + ")";
    }

    static List<SuiteCase> loadList(Path file, Map<String, String> vars) throws IOException {
        List<SuiteCase> cases = new ArrayList<>();
        Path base = file.toAbsolutePath().getParent();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        boolean statusOnly = false;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.startsWith("%")) {
                switch (line) {
                    case "%compare status" -> statusOnly = true;
                    case "%compare all" -> statusOnly = false;
                    default -> throw new IOException(file + ":" + (n + 1) + ": unknown directive " + line + " (%compare status, %compare all)");
                }
                continue;
            }
            String name = null;
            Matcher m = NAMED.matcher(line);
            if (m.matches()) {
                name = m.group(1);
                line = m.group(2);
            }
            List<String> argv;
            try {
                argv = new ArrayList<>(CommandLines.split(line, vars));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ":" + (n + 1) + ": " + e.getMessage());
            }
            if (argv.isEmpty()) continue;
            String prog = argv.getFirst();
            if (prog.contains("/") && !prog.startsWith("/")) argv.set(0, base.resolve(prog).normalize().toString());
            String missing = missingProgram(argv.getFirst());
            if (missing != null) throw new IOException(file + ":" + (n + 1) + ": " + prog + ": " + missing);
            cases.add(new SuiteCase(name != null ? name : line, argv, statusOnly));
        }
        return cases;
    }
}
