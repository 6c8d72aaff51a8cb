package dev.lxrun.conformance;

import dev.lxrun.cli.Main;
import dev.lxrun.cli.compat.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs lxrun subcommands in this JVM (as `lxrun ARGS…` would) and captures what they print. */
final class CompatHarness {
    record Result(int status, String out) {}

    private CompatHarness() {}

    static synchronized Result lxrun(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int status = Main.run(args);
            return new Result(status, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
        }
    }

    static Path resource(String name) {
        try {
            return Path.of(CompatHarness.class.getResource("/compat/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** `lxrun compat` on a suite from src/test/resources/compat, reports in out; returns the exit status. */
    static int compat(Path out, String suite, String... extra) {
        List<String> args = new ArrayList<>(List.of("compat", "--out", out.toString(), "--record", out.resolve("last-run.json").toString(),
                "--var", "CBIN=" + CPrograms.binDir(), "--timeout", "120"));
        args.addAll(List.of(extra));
        args.add(resource(suite).toString());
        return lxrun(args.toArray(String[]::new)).status();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(Path file) throws IOException {
        return (Map<String, Object>) Json.parse(Files.readString(file));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Object o, String... path) {
        Object cur = o;
        for (String p : path) cur = ((Map<String, Object>) cur).get(p);
        return (Map<String, Object>) cur;
    }
}
