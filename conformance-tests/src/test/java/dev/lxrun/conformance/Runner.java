package dev.lxrun.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

    /** `lxrun PROGRAM ARGS…` on the given Unicorn library instead of the run's own (the packaged CLI). */
    static RunResult runLxrunOn(Path unicornLibrary, List<String> command, Path cwd, Map<String, String> env, byte[] stdin) {
        List<String> cmd = new ArrayList<>(Jvm.options());
        cmd.add("-Dlxrun.unicorn=" + unicornLibrary);
        cmd.addAll(Jvm.program());
        cmd.addAll(command);
        return run(cmd, cwd, env, stdin);
    }

    /**
     * `lxrun PROGRAM ARGS…`: the lxrun.command property if set, else the packaged CLI run as the
     * ./lxrun launcher runs it (same JVM options, an AOT cache made once for the test run), else
     * the CLI from this JVM's classpath (`mvn test` without a package phase).
     */
    static List<String> lxrunCommand(List<String> guestCommand) {
        List<String> cmd = new ArrayList<>();
        String custom = System.getProperty("lxrun.command");
        if (custom != null && !custom.isBlank()) {
            cmd.addAll(List.of(custom.trim().split("\\s+")));
        } else {
            cmd.addAll(Jvm.options());
            cmd.addAll(Jvm.program());
        }
        cmd.addAll(guestCommand);
        return cmd;
    }

    /** The Unicorn library lxrun is told to use (-Dlxrun.unicorn or LXRUN_UNICORN), or null for its own default. */
    static String unicornLibrary() {
        return System.getProperty("lxrun.unicorn", System.getenv("LXRUN_UNICORN"));
    }

    /** The JVM that runs lxrun, with the launcher's options (tools/jvm-options). */
    static final class Jvm {
        private static final Path OPTIONS = Path.of(System.getProperty("lxrun.home", "..")).toAbsolutePath().normalize()
                .resolve("tools/jvm-options");
        private static final Path JAR = Path.of(System.getProperty("lxrun.jar", "../cli/target/lxrun.jar")).toAbsolutePath();
        private static final Path AOT = Path.of(System.getProperty("lxrun.aot", "target/lxrun-tests.aot")).toAbsolutePath();
        private static volatile Boolean aotReady;

        private Jvm() {}

        /** The java command with the launcher's options and the Unicorn library this test run uses. */
        static List<String> options() {
            List<String> o = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "@" + OPTIONS));
            String lib = unicornLibrary();
            if (lib != null) o.add("-Dlxrun.unicorn=" + lib);
            return o;
        }

        static List<String> program() {
            if (!Files.isRegularFile(JAR)) return List.of("-cp", System.getProperty("java.class.path"), "dev.lxrun.cli.Main");
            List<String> p = new ArrayList<>();
            if (aotCache()) p.add("-XX:AOTCache=" + AOT);
            p.addAll(List.of("-jar", JAR.toString()));
            return p;
        }

        /** One training run per test JVM when the cache is older than the jar; without a cache lxrun only starts slower. */
        private static synchronized boolean aotCache() {
            if (aotReady != null) return aotReady;
            try {
                if (!Files.isRegularFile(AOT) || Files.getLastModifiedTime(AOT).compareTo(Files.getLastModifiedTime(JAR)) < 0) {
                    Path tmp = AOT.resolveSibling(AOT.getFileName() + ".tmp");
                    List<String> train = options();
                    train.addAll(List.of("-XX:AOTCacheOutput=" + tmp, "-jar", JAR.toString(),
                            "/bin/sh", "-c", "echo lxrun | cat >/dev/null; ls / >/dev/null"));
                    RunResult r = run(train, Path.of("/"), baseEnvironment(), new byte[0]);
                    if (r.exitStatus() == 0 && Files.size(tmp) > 0) Files.move(tmp, AOT, StandardCopyOption.REPLACE_EXISTING);
                }
                aotReady = Files.isRegularFile(AOT);
            } catch (IOException | AssertionError e) {
                aotReady = false;
            }
            return aotReady;
        }
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
