package dev.lxrun.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program natively or under lxrun with the same arguments, environment, working
 * directory and stdin, so that the two results can be compared byte for byte.
 */
final class Runner {
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    private Runner() {}

    /** The fixed environment both sides get: no host-specific locale, zone or variables. */
    static Map<String, String> baseEnvironment() {
        Map<String, String> env = new TreeMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LC_ALL", "C");
        env.put("TZ", "UTC");
        env.put("HOME", System.getProperty("java.io.tmpdir"));
        return env;
    }

    static RunResult runNative(List<String> command, Path cwd, Map<String, String> env, byte[] stdin) {
        return run(command, cwd, env, stdin);
    }

    static RunResult runLxrun(List<String> command, Path cwd, Map<String, String> env, byte[] stdin) {
        return run(lxrunCommand(command), cwd, env, stdin);
    }

    /** `lxrun PROGRAM ARGS…`: the lxrun.command property if set, else the CLI from this JVM's classpath. */
    static List<String> lxrunCommand(List<String> guestCommand) {
        List<String> cmd = new ArrayList<>();
        String custom = System.getProperty("lxrun.command");
        if (custom != null && !custom.isBlank()) {
            cmd.addAll(List.of(custom.trim().split("\\s+")));
        } else {
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("--enable-native-access=ALL-UNNAMED");
            cmd.add("-XX:+UseSerialGC");
            cmd.add("-XX:TieredStopAtLevel=1");
            String lib = System.getProperty("lxrun.unicorn", System.getenv("LXRUN_UNICORN"));
            if (lib != null) cmd.add("-Dlxrun.unicorn=" + lib);
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add("dev.lxrun.cli.Main");
        }
        cmd.addAll(guestCommand);
        return cmd;
    }

    static RunResult run(List<String> command, Path cwd, Map<String, String> env, byte[] stdin) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            CompletableFuture<byte[]> out = drain(p.getInputStream());
            CompletableFuture<byte[]> err = drain(p.getErrorStream());
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) in.write(stdin);
            } catch (IOException ignored) {
                // the program exited without reading all of its input, as programs may
            }
            if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out after " + TIMEOUT + ": " + command);
            }
            // A descendant that outlives the program may keep its stdout open: fail, do not hang.
            try {
                return new RunResult(out.get(30, TimeUnit.SECONDS), err.get(30, TimeUnit.SECONDS), p.exitValue());
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                throw new AssertionError("output still open 30 s after exit (a leftover descendant?): " + command);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static CompletableFuture<byte[]> drain(InputStream s) {
        return CompletableFuture.supplyAsync(() -> {
            try (s) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                s.transferTo(b);
                return b.toByteArray();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }
}
