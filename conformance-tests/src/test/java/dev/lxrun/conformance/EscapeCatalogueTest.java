package dev.lxrun.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The escape catalogue (issue 19): escape_routes.c tries every known route out of a --root with
 * a writable --tmpfs and a read-only --mount (renamed cwd and dirfd, magic links, symlinks,
 * openat2's own confinement, reopening through /proc/self/fd, chroot into the read-only mount,
 * links and renames across mounts, a symlink to a host UNIX socket, a directory received over
 * SCM_RIGHTS from a host process) and prints each answer.
 * Linux itself is the oracle: the same program runs chrooted into the same tree with the same
 * mounts (unshare -m, as root), and both must print the same lines. Around every run: a canary
 * outside the root is never read, and nothing outside the root (the canary, the read-only
 * mount's host directory, a sentinel directory) changes. New routes go into escape_routes.c.
 */
class EscapeCatalogueTest {
    private static final String SECRET = "CATALOGUE-CANARY-51d2";

    @TempDir
    Path base;

    private Path root, host, sentinel, hostSocket;

    private void layout() throws IOException {
        root = Files.createDirectories(base.resolve("root"));
        for (String d : List.of("mnt", "tm", "proc")) Files.createDirectories(root.resolve(d));
        host = Files.createDirectories(base.resolve("host"));
        Files.writeString(host.resolve("file"), "data\n");
        sentinel = Files.createDirectories(base.resolve("sentinel"));
        Files.createDirectories(sentinel.resolve("deeper"));
        Files.writeString(sentinel.resolve("keep"), "sentinel\n");
        Files.writeString(base.resolve("canary"), SECRET + "\n");
        hostSocket = base.resolve("host.sock");
    }

    private static boolean nativeChrootWorks() {
        RunResult r = Runner.runNative(List.of("unshare", "-m", "sh", "-c", "mount -t tmpfs tmpfs /mnt"), Path.of("/"),
                Runner.baseEnvironment(), new byte[0]);
        return r.exitStatus() == 0;
    }

    private RunResult runNative(Path program) throws IOException {
        Files.copy(program, root.resolve("escape_routes"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<String> cmd = List.of("unshare", "-m", "sh", "-c",
                "mount --bind -o ro \"$1\" \"$2/mnt\" && mount -t tmpfs tmpfs \"$2/tm\" && mount -t proc proc \"$2/proc\""
                        + " && exec /usr/sbin/chroot \"$2\" /escape_routes \"$3\" \"$4\" /mnt/fdsock",
                "sh", host.toString(), root.toString(), hostSocket.toString(), base.resolve("canary").toString());
        return Runner.runNative(cmd, base, Runner.baseEnvironment(), new byte[0]);
    }

    private RunResult runLxrun(Path program) throws IOException {
        Files.copy(program, root.resolve("escape_routes"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<String> cmd = List.of("--root", root.toString(), "--tmpfs", "/tm", "--mount", host + ":/mnt:ro",
                "/escape_routes", hostSocket.toString(), base.resolve("canary").toString(), "/mnt/fdsock");
        return Runner.runLxrun(cmd, base, Runner.baseEnvironment(), new byte[0]);
    }

    /** Everything outside the root: the canary, the read-only mount's directory, the sentinel. */
    private String outside() throws IOException {
        return Files.readString(base.resolve("canary")) + TreeSnapshot.of(host) + TreeSnapshot.of(sentinel);
    }

    @ParameterizedTest
    @ValueSource(strings = {"glibc", "musl"})
    void everyRouteAnswersAsLinuxDoes(String variant) throws Exception {
        Assumptions.assumeTrue(nativeChrootWorks(), "needs unshare -m and mount (root)");
        layout();
        Path program = CPrograms.binary(variant, "escape_routes");
        Process fdServer = startFdServer();
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(hostSocket));
            String before = outside();
            RunResult lx = runLxrun(program);
            assertEquals(before, outside(), "a host file outside the root changed under lxrun:\n" + lx);
            RunResult nat = runNative(program);
            assertEquals(before, outside(), "a host file outside the root changed natively:\n" + nat);
            assertEquals(0, nat.exitStatus(), nat.toString());
            String expected = nat.out().replace(root + "/", "/").replace(root.toString(), "/");
            assertFalse(lx.out().contains(SECRET) || lx.err().contains(SECRET), "canary read:\n" + lx);
            assertFalse(lx.out().contains(base.toString()), "host path shown to the guest:\n" + lx);
            assertTrue(lx.out().lines().count() >= 60, "routes missing:\n" + lx);
            assertEquals(expected, lx.out(), "native:\n" + nat + "\nlxrun:\n" + lx);
            assertEquals(0, lx.exitStatus(), lx.toString());
        } finally {
            fdServer.destroyForcibly();
        }
    }

    /**
     * A host process that hands the sentinel directory (outside the root) to whoever connects
     * to host/fdsock (the guest's /mnt/fdsock), over SCM_RIGHTS. Java cannot send descriptors;
     * Python can.
     */
    private Process startFdServer() throws IOException {
        String code = "import os,socket,sys\n"
                + "s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen()\n"
                + "fd=os.open(sys.argv[2], os.O_RDONLY|os.O_DIRECTORY)\n"
                + "print('ready', flush=True)\n"
                + "while True:\n"
                + "    c,_=s.accept(); socket.send_fds(c,[b'x'],[fd]); c.close()\n";
        Process p = new ProcessBuilder("python3", "-c", code, host.resolve("fdsock").toString(), sentinel.toString())
                .redirectErrorStream(true).start();
        String first = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine();
        assertEquals("ready", first, "fd server did not start");
        return p;
    }

    /** Item 7: nothing the guest can read names the host's directories or its kernel internals. */
    @Test
    void noHostNamesLeak() throws Exception {
        layout();
        Files.copy(Path.of("/bin/busybox"), root.resolve("busybox"));
        Path out = base.resolve("stdout-file");
        String script = "/busybox cat /proc/mounts /proc/self/mountinfo; /busybox ls /proc; /busybox readlink /proc/self/fd/1;"
                + " cd /tm && /busybox mkdir -p a/b && cd a/b && /busybox mv /tm/a /tm/z && /busybox pwd -P"
                + " && /busybox readlink /proc/self/cwd; /busybox readlink /proc/self/root; cd /mnt && /busybox pwd -P";
        List<String> cmd = new ArrayList<>(List.of("--root", root.toString(), "--tmpfs", "/tm", "--mount", host + ":/mnt:ro",
                "/busybox", "sh", "-c", "{ " + script + "; } > /dev/stderr; exec /busybox readlink /proc/self/fd/1"));
        RunResult r = runLxrunTo(cmd, out);
        String seen = r.err() + Files.readString(out);
        for (String hostName : List.of(base.toString(), "kallsyms", "kmsg", "kpagecount", "kpageflags", "kcore")) {
            assertFalse(seen.contains(hostName), hostName + " visible to the guest:\n" + seen);
        }
        assertTrue(seen.contains(" /mnt ") && seen.contains(" /tm "), seen);
        assertTrue(seen.contains("\n/tm/z/b\n/tm/z/b\n/\n/mnt\n"), seen);
        assertEquals("/stdout-file\n", Files.readString(out), seen);
    }

    /** A mount point is a directory, not a path: renaming its parent moves the mount along, as on Linux. */
    @Test
    void mountFollowsItsRenamedParent() throws Exception {
        layout();
        Files.createDirectories(root.resolve("data/m"));
        Files.copy(Path.of("/bin/busybox"), root.resolve("busybox"));
        RunResult r = Runner.runLxrun(List.of("--root", root.toString(), "--mount", host + ":/data/m:ro", "/busybox", "sh", "-c",
                "/busybox mv /data /data2 && /busybox grep -c ' /data2/m ' /proc/mounts && /busybox cat /data2/m/file"
                        + " && cd /data2/m && /busybox pwd -P && /busybox grep -c ' /data/m ' /proc/mounts"),
                base, Runner.baseEnvironment(), new byte[0]);
        assertEquals("1\ndata\n/data2/m\n0\n", r.out(), r.toString());
    }

    /** Runs lxrun with its stdout sent to a host file outside the root (as a shell redirection would). */
    private static RunResult runLxrunTo(List<String> lxrunArgs, Path stdoutFile) {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "out=$1; shift; exec \"$@\" > \"$out\"", "sh", stdoutFile.toString()));
        cmd.addAll(Runner.lxrunCommand(lxrunArgs));
        return Runner.runNative(cmd, stdoutFile.getParent(), Runner.baseEnvironment(), new byte[0]);
    }
}
