package dev.lxrun.cli.compat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Runs one command with a fixed environment, empty stdin and a timeout, capturing its output. */
public final class Subprocess {
    /** Output beyond this is dropped: a runaway program must not exhaust the harness's heap. */
    static final int MAX_CAPTURE = 16 << 20;

    /** The processes running now, so a harness that is told to stop can end them (and theirs). */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile boolean stopped;

    private Subprocess() {}

    /**
     * Ends every running process with its descendants (a `lxrun --mode vm` child's QEMU is one)
     * and refuses to start more, except through {@link #runWhileStopping}: for a harness that
     * received SIGTERM.
     */
    public static void stopAll() {
        stopped = true;
        List<ProcessHandle> ending = new ArrayList<>();
        for (Process p : LIVE) {
            p.descendants().forEach(d -> {
                d.destroyForcibly();
                ending.add(d);
            });
            p.destroyForcibly();
            ending.add(p.toHandle());
        }
        // Wait until they are gone: a dying run could otherwise still create files (its $HOME's
        // cache) in the scratch directory the caller removes next.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (ProcessHandle h : ending) {
            try {
                h.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception notYet) {
                // left to the operating system; the caller's clean-up retries
            }
        }
    }

    public static Execution run(List<String> command, Path cwd, Map<String, String> env, Duration timeout) {
        if (stopped) return Execution.failedToStart("stopping");
        return execute(command, cwd, env, timeout, false);
    }

    /** Runs even after {@link #stopAll}: the clean-up commands of a harness being stopped (`lxrun vm stop`). */
    public static Execution runWhileStopping(List<String> command, Path cwd, Map<String, String> env, Duration timeout) {
        return execute(command, cwd, env, timeout, true);
    }

    private static Execution execute(List<String> command, Path cwd, Map<String, String> env, Duration timeout, boolean cleanUp) {
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
        LIVE.add(p);
        if (stopped && !cleanUp) {
            // stopAll ran between the check in run() and start(): this one must not outlive it
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
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
        LIVE.remove(p);
        int status = done ? p.exitValue() : 124;
        return new Execution(out.join(), err.join(), status, nanos, !done, null);
    }

    /** An I/O error in a few words: NoSuchFileException's message is only the path. */
    public static String reason(Exception e) {
        if (e instanceof java.nio.file.FileSystemException f) {
            if (f.getReason() != null) return f.getReason();
            if (f instanceof java.nio.file.NoSuchFileException) return "no such file or directory";
            if (f instanceof java.nio.file.AccessDeniedException) return "permission denied";
            if (f instanceof java.nio.file.FileAlreadyExistsException) return "a file is in the way";
        }
        return String.valueOf(e.getMessage());
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
