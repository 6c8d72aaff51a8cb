package dev.lxrun.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the kernel VM mode boots: LXRUN_KERNEL (any bzImage; LXRUN_KERNEL_MODULES for its
 * modules), else the one cached by an earlier run, else Debian's linux-image-amd64 fetched once
 * through the host's apt into the cache. Debian's cloud kernel would boot faster but is built
 * without 9P, which VM mode needs for the shared root.
 */
public final class KernelLocator {
    static final String PACKAGE = "linux-image-amd64";

    private KernelLocator() {}

    public static KernelImage locate(Path cacheDir, Progress progress) throws VmException {
        String explicit = System.getenv("LXRUN_KERNEL");
        if (explicit != null && !explicit.isEmpty()) {
            String mods = System.getenv("LXRUN_KERNEL_MODULES");
            return KernelImage.of(Path.of(explicit), mods == null || mods.isEmpty() ? null : Path.of(mods));
        }
        Path dir = cacheDir.resolve("kernel");
        KernelImage cached = findIn(dir);
        if (cached != null) return cached;
        fetch(dir, progress);
        KernelImage fetched = findIn(dir);
        if (fetched == null) throw new VmException("the " + PACKAGE + " package held no kernel image");
        return fetched;
    }

    private static KernelImage findIn(Path dir) throws VmException {
        Path boot = dir.resolve("boot");
        if (!Files.isDirectory(boot)) return null;
        try (Stream<Path> s = Files.list(boot)) {
            Path image = s.filter(p -> p.getFileName().toString().startsWith("vmlinuz-"))
                    .max(Comparator.comparing(Path::toString)).orElse(null);
            return image == null ? null : KernelImage.of(image, null);
        } catch (IOException e) {
            throw new VmException("cannot read " + boot + ": " + e.getMessage());
        }
    }

    /** apt-get download of the meta package's kernel, then only the boot image and the modules VM mode loads. */
    private static void fetch(Path dir, Progress progress) throws VmException {
        if (!HostCommand.onPath("apt-get") || !HostCommand.onPath("dpkg-deb")) {
            throw new VmException("no kernel for VM mode: set LXRUN_KERNEL to a bzImage (or run on Debian, where lxrun fetches " + PACKAGE + ")");
        }
        progress.say("fetching the VM kernel (Debian " + PACKAGE + ", once)");
        try {
            Path work = Files.createTempDirectory("lxrun-kernel");
            try {
                HostCommand.run(work, List.of("apt-get", "download", "-q", PACKAGE));
                Path meta = onlyDeb(work);
                String depends = HostCommand.run(work, List.of("dpkg-deb", "-f", meta.toString(), "Depends")).strip();
                String image = depends.split("[ ,(]")[0];
                HostCommand.run(work, List.of("apt-get", "download", "-q", image));
                Path deb = work.resolve(Files.list(work).filter(p -> p.getFileName().toString().startsWith(image + "_"))
                        .findFirst().orElseThrow(() -> new IOException("apt-get download " + image + " left no .deb")).getFileName());
                Path staging = Files.createTempDirectory(dir.getParent() == null ? work : Files.createDirectories(dir.getParent()), "kernel-");
                HostCommand.run(work, List.of("sh", "-c",
                        "dpkg-deb --fsys-tarfile \"$1\" | tar -x -C \"$2\" --wildcards './boot/vmlinuz-*' '*/kernel/drivers/virtio/*' "
                                + "'*/kernel/drivers/char/virtio_console.ko*' '*/kernel/net/9p/*' '*/kernel/fs/9p/*' '*/kernel/fs/netfs/*' "
                                + "'*/kernel/fs/fscache/*' './lib/modules/*/modules.*'",
                        "sh", deb.toString(), staging.toString()));
                try {
                    Files.move(staging, dir);
                } catch (IOException raced) {
                    if (findIn(dir) == null) throw raced; // another lxrun fetched it meanwhile: use theirs
                    deleteTree(staging);
                }
            } finally {
                deleteTree(work);
            }
        } catch (IOException e) {
            throw new VmException("cannot fetch the VM kernel: " + e.getMessage());
        }
    }

    private static Path onlyDeb(Path work) throws IOException {
        try (Stream<Path> s = Files.list(work)) {
            return s.filter(p -> p.toString().endsWith(".deb")).findFirst().orElseThrow(() -> new IOException("apt-get download left no .deb"));
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temp dir left behind is harmless
        }
    }
}
