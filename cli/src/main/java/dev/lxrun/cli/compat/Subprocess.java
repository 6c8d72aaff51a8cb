package dev.lxrun.cli.compat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs one command with a fixed environment, empty stdin and a timeout, capturing its output. */
public final class Subprocess {
    /** Output beyond this is dropped: a runaway program must not exhaust the harness's heap. */
    static final int MAX_CAPTURE = 16 << 20;

    private Subprocess() {}

    public static Execution run(List<String> command, Path cwd, Map<String, String> env, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        if (env != null) {
            pb.environment().clear();
            pb.environment().putAll(env);
        }
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        long start = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return Execution.failedToStart(e.getMessage());
        }
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        boolean done;
        try {
            done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done = false;
        }
        long nanos = System.nanoTime() - start;
        if (!done) {
            // Children of the program (a shell's pipeline) would keep the pipes open: kill them too.
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int status = done ? p.exitValue() : 124;
        return new Execution(out.join(), err.join(), status, nanos, !done, null);
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        // A platform thread of its own: the common pool has one worker on a 2-core machine and
        // stdout and stderr must be read at the same time.
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            byte[] buf = new byte[65536];
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (b.size() < MAX_CAPTURE) b.write(buf, 0, Math.min(n, MAX_CAPTURE - b.size()));
                }
            } catch (IOException ignored) {
                // the process was killed; keep what was read
            }
            f.complete(b.toByteArray());
        }, "compat-drain");
        t.setDaemon(true);
        t.start();
        return f;
    }
}
