package dev.lxrun.kernel;

import dev.lxrun.vfs.host.HostPosix;
import dev.lxrun.vfs.host.HostSyscall;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The host directory behind a guest tmpfs: a fresh directory on the host's own memory-backed
 * filesystem (/dev/shm on Linux, so statfs says TMPFS_MAGIC and nothing reaches a disk), mode
 * 1777 like a new tmpfs, removed with everything in it when lxrun exits. Where the host has no
 * /dev/shm it falls back to the JVM's temporary directory.
 */
final class TmpfsDirectory {
    private TmpfsDirectory() {}

    static String create() {
        try {
            Path shm = Path.of("/dev/shm");
            Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
            Path dir = Files.createTempDirectory(base, "lxrun-tmpfs-");
            try (Arena a = Arena.ofConfined()) { // NIO cannot set the sticky bit
                final int chmod = 90;
                HostSyscall.call(chmod, HostPosix.cString(a, dir.toString().getBytes(StandardCharsets.UTF_8)).address(), 01777, 0);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> removeTree(dir), "lxrun-tmpfs-cleanup"));
            return dir.toString();
        } catch (IOException e) {
            throw new IllegalArgumentException("tmpfs: cannot create its directory: " + e.getMessage());
        }
    }

    private static void removeTree(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | RuntimeException ignored) {
            // Best effort at exit: a guest may have made a directory the host user cannot enter.
        }
    }
}
