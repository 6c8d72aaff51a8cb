package dev.lxrun.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rmdir and rename of a --tmpfs or --mount target, /proc, /dev or the root under --root: Linux
 * refuses them with EBUSY (EXDEV when the new name is in another mount), as mount_busy.c's
 * expected lines say. lxrun used to try them on the host directory (EINVAL, EXDEV, EPERM).
 */
class MountBusyTest {
    @TempDir
    Path dir;

    @Test
    void mountPointsAreBusy() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("scratch"));
        Files.createDirectories(root.resolve("mnt"));
        Files.createDirectories(root.resolve("dir"));
        Path mounted = Files.createDirectories(dir.resolve("mounted"));
        Files.copy(CPrograms.binary("glibc", "mount_busy"), root.resolve("mount_busy"));
        root.resolve("mount_busy").toFile().setExecutable(true);
        RunResult r = Runner.runLxrun(List.of("--root", root.toString(), "--tmpfs", "/scratch", "--mount", mounted + ":/mnt", "/mount_busy"),
                dir, Runner.baseEnvironment(), new byte[0]);
        assertEquals("""
                rmdir /mnt: Device or resource busy
                rmdir /mnt/: Device or resource busy
                rmdir /scratch: Device or resource busy
                rmdir /proc: Device or resource busy
                rmdir /dev: Device or resource busy
                rmdir /: Device or resource busy
                rename /mnt /mnt2: Device or resource busy
                rename /scratch /s2: Device or resource busy
                rename /proc /p2: Device or resource busy
                rename /dir /mnt: Device or resource busy
                rename /mnt /scratch/x: Invalid cross-device link
                rename /mnt/../mnt /x: Device or resource busy
                rmdir ../mnt: Device or resource busy
                rmdir ../dir (no mount point): OK
                """, r.out(), r.err());
        assertEquals(0, r.exitStatus());
    }
}
