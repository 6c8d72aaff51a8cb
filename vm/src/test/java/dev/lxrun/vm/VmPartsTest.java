package dev.lxrun.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The VM mode's pieces that need no QEMU: image checks, module order, protocol encoding. */
class VmPartsTest {
    @TempDir
    Path dir;

    private Path bzImage(boolean valid64, String version) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(0x2000).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0x1fe, (byte) 0x55).put(0x1ff, (byte) 0xaa).putInt(0x202, 0x53726448).putShort(0x206, (short) 0x020f);
        b.putShort(0x236, (short) (valid64 ? 1 : 0));
        b.putShort(0x20e, (short) 0x1000);
        b.put(0x1200, (version + " (builder) #1 SMP").getBytes(StandardCharsets.US_ASCII));
        Path p = dir.resolve("vmlinuz");
        Files.write(p, b.array());
        return p;
    }

    @Test
    void kernelReleaseComesFromTheSetupHeader() throws Exception {
        KernelImage k = KernelImage.of(bzImage(true, "6.1.0-test-amd64"), null);
        assertEquals("6.1.0-test-amd64", k.release());
    }

    @Test
    void notABzImageOrNot64BitIsRefusedWithAReason() throws Exception {
        Path text = dir.resolve("text");
        Files.writeString(text, "hello");
        VmException e = assertThrows(VmException.class, () -> KernelImage.of(text, null));
        assertTrue(e.getMessage().contains("not a bootable x86 Linux kernel image"), e.getMessage());
        VmException e32 = assertThrows(VmException.class, () -> KernelImage.of(bzImage(false, "x"), null));
        assertTrue(e32.getMessage().contains("not a 64-bit kernel"), e32.getMessage());
        assertThrows(VmException.class, () -> KernelImage.of(dir.resolve("missing"), null));
    }

    @Test
    void aTruncatedKernelImageIsRefusedWithAReason() throws Exception {
        Path image = bzImage(true, "6.1.0-test-amd64");
        // The header's sizes: setup_sects 0 (= 4) and 0x100 paragraphs of kernel: 2560 + 4096 bytes.
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(image)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x1f4, 0x100);
        Files.write(image, java.util.Arrays.copyOf(b.array(), 5000));
        VmException e = assertThrows(VmException.class, () -> KernelImage.of(image, null));
        assertTrue(e.getMessage().endsWith("truncated kernel image (5000 bytes, its header says 6656)"), e.getMessage());
        Files.write(image, java.util.Arrays.copyOf(b.array(), 6656));
        assertEquals("6.1.0-test-amd64", KernelImage.of(image, null).release());
    }

    @Test
    void probingForKvmCreatesNothing() throws IOException {
        Path kvm = dir.resolve("kvm");
        assertTrue(!Accelerator.kvmUsable(kvm));
        assertTrue(!Files.exists(kvm), "the probe must not create the device path");
        Files.writeString(kvm, "");
        assertTrue(!Accelerator.kvmUsable(kvm), "an empty regular file is not the KVM device");
    }

    private void module(String name, String depends) throws IOException {
        Path p = dir.resolve("mods/kernel/" + name + ".ko");
        Files.createDirectories(p.getParent());
        Files.write(p, ("\u007fELF junk\0license=GPL\0depends=" + depends + "\0name=" + name + "\0").getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void modulesLoadAfterTheirDependencies() throws Exception {
        module("virtio", "");
        module("virtio_ring", "");
        module("virtio_pci", "virtio_ring,virtio");
        module("virtio_console", "virtio,virtio_ring");
        module("netfs", "");
        module("fscache", "netfs");
        module("9pnet", "");
        module("9pnet_virtio", "virtio,9pnet,virtio_ring");
        module("9p", "9pnet,fscache,netfs");
        module("unrelated", "");
        List<String> order = KernelModules.loadOrder(dir.resolve("mods")).stream().map(KernelModules.Module::name).toList();
        assertEquals(List.of("virtio_ring", "virtio", "virtio_pci", "virtio_console", "9pnet", "9pnet_virtio", "netfs", "fscache", "9p"), order);
    }

    @Test
    void runRequestEncodesByteStringsWithTerminators() {
        GuestRequest r = new GuestRequest("/bin/echo", "/tmp", List.of("echo", "a b", "\u00e9"), List.of("X=1"), true);
        ByteBuffer b = ByteBuffer.wrap(r.encode()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(GuestRequest.MERGE_STDERR, b.getInt());
        assertEquals(3, b.getInt());
        assertEquals(1, b.getInt());
        byte[] rest = new byte[b.remaining()];
        b.get(rest);
        assertEquals("/bin/echo\0/tmp\0echo\0a b\0\u00e9\0X=1\0", new String(rest, StandardCharsets.ISO_8859_1));
        assertEquals(rest.length, "/bin/echo/tmpechoa b\u00e9X=1".length() + 6, "one byte per char");
    }

    @Test
    void waitStatusesDecodeAsAShellReportsThem() {
        assertEquals(new GuestExit.Exited(42), GuestExit.fromWaitStatus(42 << 8));
        assertEquals(new GuestExit.Killed(11, true), GuestExit.fromWaitStatus(11 | 0x80));
        assertEquals(139, GuestExit.fromWaitStatus(11).shellStatus());
        assertEquals(127, new GuestExit.NotStarted(2, "exec").shellStatus());
        assertEquals(126, new GuestExit.NotStarted(13, "exec").shellStatus());
    }

    @Test
    void qemuCommandLineSharesTheRootAndEscapesCommas() throws Exception {
        KernelImage k = new KernelImage(dir.resolve("vmlinuz"), null, "6.1");
        VmConfig c = new VmConfig(Path.of("/srv/a,b"), k, dir.resolve("initrd"), Accelerator.TCG, "q35", 512, 2, dir, 10);
        List<String> cmd = QemuCommandLine.of(c, dir.resolve("ctl.sock"), dir.resolve("console.log"), true, null);
        assertTrue(cmd.contains("local,id=root,path=/srv/a,,b,security_model=none,multidevs=remap"), cmd.toString());
        assertTrue(cmd.contains("virtio-9p-pci,fsdev=root,mount_tag=lxroot"), cmd.toString());
        assertTrue(String.join(" ", cmd).contains("-accel tcg -cpu max"), cmd.toString());
        assertTrue(cmd.get(cmd.indexOf("-append") + 1).endsWith(" lxrun.oneshot"));
        assertTrue(!cmd.contains("-daemonize"));
    }
}
