package dev.lxrun.vm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A bootable x86 Linux kernel (bzImage) and, if it has them, the directory of its modules.
 * The release string comes from the image's own setup header, so any bzImage can be checked
 * before QEMU is started.
 */
public record KernelImage(Path image, Path modules, String release) {

    /** Reads and validates the setup header of a bzImage ("HdrS" at 0x202, version string pointer at 0x20e). */
    public static KernelImage of(Path image, Path modules) throws VmException {
        if (!Files.isRegularFile(image)) throw new VmException(image + ": kernel image not found");
        try (FileChannel ch = FileChannel.open(image)) {
            ByteBuffer head = ByteBuffer.allocate(0x1000).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(head, 0);
            if (head.position() < 0x264 || head.getInt(0x202) != 0x53726448 || (head.get(0x1fe) & 0xff) != 0x55
                    || (head.get(0x1ff) & 0xff) != 0xaa) {
                throw new VmException(image + ": not a bootable x86 Linux kernel image (no bzImage setup header)");
            }
            int version = head.getShort(0x206) & 0xffff;
            if (version < 0x020c) throw new VmException(image + ": kernel boot protocol " + Integer.toHexString(version) + " is too old (2.12 needed)");
            int xloadflags = head.getShort(0x236) & 0xffff;
            if ((xloadflags & 1) == 0) throw new VmException(image + ": not a 64-bit kernel (XLF_KERNEL_64 unset)");
            // setup_sects (0 means 4) 512-byte sectors after the boot sector, then syssize 16-byte
            // paragraphs of protected-mode code: a shorter file was cut off (an interrupted copy)
            // and QEMU would only exit without a word.
            int setupSects = head.get(0x1f1) & 0xff;
            long expected = ((setupSects == 0 ? 4 : setupSects) + 1) * 512L + (head.getInt(0x1f4) & 0xffffffffL) * 16;
            long size = ch.size();
            if (size < expected) {
                throw new VmException(image + ": truncated kernel image (" + size + " bytes, its header says " + expected + ")");
            }
            String release = readRelease(ch, (head.getShort(0x20e) & 0xffff) + 0x200);
            Path moduleDir = modules;
            if (moduleDir == null && release != null) {
                Path beside = image.toAbsolutePath().getParent().resolveSibling("lib/modules/" + release);
                Path host = Path.of("/lib/modules", release);
                moduleDir = Files.isDirectory(beside) ? beside : Files.isDirectory(host) ? host : null;
            }
            return new KernelImage(image, moduleDir, release);
        } catch (IOException e) {
            throw new VmException(image + ": cannot read kernel image: " + e.getMessage());
        }
    }

    private static String readRelease(FileChannel ch, long offset) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(256);
        ch.read(buf, offset);
        byte[] b = buf.array();
        int end = 0;
        while (end < buf.position() && b[end] != 0 && b[end] != ' ') end++;
        return end == 0 ? null : new String(b, 0, end, StandardCharsets.US_ASCII);
    }
}
