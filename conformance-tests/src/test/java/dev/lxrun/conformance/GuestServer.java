package dev.lxrun.conformance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;

/**
 * A long-running program (a server under lxrun, or a host one) started by a test: waits until
 * its loopback port accepts, and on close kills it with its descendants.
 */
final class GuestServer implements AutoCloseable {
    final Process process;
    final Path log;

    private GuestServer(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static GuestServer underLxrun(List<String> guestCommand, Path dir) throws IOException {
        return host(Runner.lxrunCommand(guestCommand), dir);
    }

    static GuestServer host(List<String> command, Path dir) throws IOException {
        Path log = java.nio.file.Files.createTempFile(dir, "server", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(Runner.baseEnvironment());
        return new GuestServer(pb.start(), log);
    }

    /** Waits (up to 90 s: a guest interpreter starts slowly) until the port accepts a connection. */
    GuestServer awaitPort(String host, int port) throws Exception {
        for (int i = 0; i < 360; i++) {
            if (!process.isAlive()) throw new AssertionError("server exited " + process.exitValue() + ":\n" + logText());
            try (Socket s = new Socket(host, port)) {
                return this;
            } catch (IOException notYet) {
                Thread.sleep(250);
            }
        }
        throw new AssertionError("server never listened on " + host + ":" + port + ":\n" + logText());
    }

    String logText() {
        try {
            return java.nio.file.Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
