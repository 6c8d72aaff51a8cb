package dev.lxrun.vm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The qemu-system-x86_64 command line: no default devices, no display or monitor, the kernel and
 * initramfs booted directly (no bootloader), one virtio-serial port for lxrun's agent protocol and
 * the root shared over virtio-9p. The serial console goes to a log file that explains a failed boot.
 */
final class QemuCommandLine {
    static final String BINARY = "qemu-system-x86_64";

    /** LXRUN_QEMU names another QEMU binary. */
    static String binary() {
        String q = System.getenv("LXRUN_QEMU");
        return q == null || q.isEmpty() ? BINARY : q;
    }

    private QemuCommandLine() {}

    static List<String> of(VmConfig c, Path socket, Path consoleLog, boolean oneshot, Path pidFile) {
        boolean mmio = c.machine().startsWith("microvm");
        String bus = mmio ? "device" : "pci";
        List<String> a = new ArrayList<>(List.of(binary(), "-name", "lxrun", "-M", c.machine()));
        a.addAll(c.accel().qemuArgs());
        a.addAll(List.of("-m", Integer.toString(c.memoryMiB()), "-smp", Integer.toString(c.cpus()),
                "-nodefaults", "-no-user-config", "-display", "none", "-monitor", "none", "-no-reboot",
                "-serial", "file:" + consoleLog,
                "-kernel", c.kernel().image().toString(), "-initrd", c.initramfs().toString(),
                "-append", kernelArgs(oneshot),
                "-device", "virtio-serial-" + bus,
                "-chardev", "socket,id=ctl,path=" + socket + ",server=on,wait=off",
                "-device", "virtserialport,chardev=ctl,name=lxrun.ctl",
                "-fsdev", "local,id=root,path=" + escape(c.root().toString()) + ",security_model=none,multidevs=remap",
                "-device", "virtio-9p-" + bus + ",fsdev=root,mount_tag=lxroot"));
        if (pidFile != null) a.addAll(List.of("-daemonize", "-pidfile", pidFile.toString()));
        return a;
    }

    /** QEMU splits option values at commas; a doubled comma is a literal one. */
    private static String escape(String v) {
        return v.replace(",", ",,");
    }

    private static String kernelArgs(boolean oneshot) {
        // quiet: every console byte costs an emulated UART exit; panic=-1 + -no-reboot: a guest panic ends QEMU.
        String args = "console=ttyS0 quiet loglevel=3 panic=-1 reboot=t i8042.noaux i8042.nokbd";
        if (System.getenv("LXRUN_VM_DEBUG") != null) args += " lxrun.debug";
        return oneshot ? args + " lxrun.oneshot" : args;
    }
}
