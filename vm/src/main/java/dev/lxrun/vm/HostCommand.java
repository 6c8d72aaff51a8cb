package dev.lxrun.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs a host tool (apt-get, dpkg-deb, tar) to completion, for the one-time setup of VM mode. */
final class HostCommand {
    private HostCommand() {}

    /** Runs the command in dir; returns its stdout; on failure the message carries the tail of its stderr. */
    static String run(Path dir, List<String> command) throws VmException {
        try {
            Path errFile = Files.createTempFile("lxrun-cmd", ".err");
            try {
                Process p = new ProcessBuilder(command).directory(dir.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                        .redirectError(errFile.toFile()).start();
                byte[] out = p.getInputStream().readAllBytes();
                int rc = p.waitFor();
                if (rc != 0) {
                    String err = Files.readString(errFile, StandardCharsets.ISO_8859_1).strip();
                    int cut = err.lastIndexOf('\n', Math.max(0, err.length() - 300));
                    throw new VmException(String.join(" ", command) + " failed (status " + rc + "): " + err.substring(cut + 1).replace('\n', ' '));
                }
                return new String(out, StandardCharsets.ISO_8859_1);
            } finally {
                Files.deleteIfExists(errFile);
            }
        } catch (IOException e) {
            throw new VmException("cannot run " + command.getFirst() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmException("interrupted while running " + command.getFirst());
        }
    }

    static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
