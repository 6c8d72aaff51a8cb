package dev.lxrun.vm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

/**
 * The initramfs VM mode boots with: lxrun's static init as /init and the kernel modules it loads
 * (listed in /lib/modules/order). Uncompressed newc cpio: the kernel unpacks it faster than a
 * compressed one and it is only a few MB. Cached by content, so an unchanged init and kernel reuse it.
 */
public final class Initramfs {
    private Initramfs() {}

    public static Path build(Path cacheDir, List<KernelModules.Module> modules) throws VmException {
        byte[] init = initProgram();
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(init);
            for (KernelModules.Module m : modules) {
                sha.update(m.file().toString().getBytes(StandardCharsets.UTF_8));
                sha.update(Long.toString(Files.size(m.file())).getBytes(StandardCharsets.US_ASCII));
            }
            String key = HexFormat.of().formatHex(sha.digest(), 0, 12);
            Files.createDirectories(cacheDir);
            Path out = cacheDir.resolve("initramfs-" + key + ".cpio");
            if (Files.isRegularFile(out)) return out;
            Path tmp = Files.createTempFile(cacheDir, "initramfs", ".tmp");
            try (OutputStream os = Files.newOutputStream(tmp);
                 CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(os, CpioConstants.FORMAT_NEW)) {
                directory(cpio, "dev");
                directory(cpio, "proc");
                directory(cpio, "sys");
                directory(cpio, "newroot");
                directory(cpio, "lib");
                directory(cpio, "lib/modules");
                file(cpio, "init", 0755, init);
                StringBuilder order = new StringBuilder();
                for (KernelModules.Module m : modules) {
                    String name = m.file().getFileName().toString();
                    file(cpio, "lib/modules/" + name, 0644, Files.readAllBytes(m.file()));
                    order.append(name).append('\n');
                }
                file(cpio, "lib/modules/order", 0644, order.toString().getBytes(StandardCharsets.US_ASCII));
                cpio.finish();
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return out;
        } catch (IOException e) {
            throw new VmException("cannot build the initramfs: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] initProgram() throws VmException {
        try (InputStream in = Initramfs.class.getResourceAsStream("lxinit")) {
            if (in == null) throw new VmException("this lxrun build lacks the VM init program (built from vm/src/main/c/lxinit.c)");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new VmException("cannot read the VM init program: " + e.getMessage());
        }
    }

    private static void directory(CpioArchiveOutputStream cpio, String name) throws IOException {
        CpioArchiveEntry e = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, name, 0);
        e.setMode(CpioConstants.C_ISDIR | 0755);
        e.setNumberOfLinks(2);
        cpio.putArchiveEntry(e);
        cpio.closeArchiveEntry();
    }

    private static void file(CpioArchiveOutputStream cpio, String name, int mode, byte[] data) throws IOException {
        CpioArchiveEntry e = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, name, data.length);
        e.setMode(CpioConstants.C_ISREG | mode);
        e.setNumberOfLinks(1);
        cpio.putArchiveEntry(e);
        cpio.write(data);
        cpio.closeArchiveEntry();
    }
}
