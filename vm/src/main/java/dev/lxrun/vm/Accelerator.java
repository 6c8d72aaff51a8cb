package dev.lxrun.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How QEMU runs the guest's CPU: a hardware hypervisor when the host offers one (KVM on Linux,
 * HVF on macOS, WHPX on Windows), else TCG, QEMU's software emulation. A hypervisor that is
 * present but cannot boot a kernel (seen with nested KVM: it stalls before the kernel's first
 * message) is remembered as unusable, so later runs go straight to TCG.
 */
public enum Accelerator {
    KVM("kvm", "host"),
    HVF("hvf", "host"),
    WHPX("whpx", "max"),
    TCG("tcg", "max");

    private final String name;
    private final String cpu;

    Accelerator(String name, String cpu) {
        this.name = name;
        this.cpu = cpu;
    }

    public String label() {
        return this == TCG ? "TCG (software emulation)" : name().toUpperCase();
    }

    List<String> qemuArgs() {
        return List.of("-accel", name, "-cpu", cpu);
    }

    boolean isHardware() {
        return this != TCG;
    }

    /** LXRUN_VM_ACCEL=kvm|hvf|whpx|tcg wins; else the host's hypervisor unless marked unusable. */
    public static Accelerator choose(Path cacheDir) throws VmException {
        String forced = System.getenv("LXRUN_VM_ACCEL");
        if (forced != null && !forced.isEmpty()) {
            for (Accelerator a : values()) if (a.name.equalsIgnoreCase(forced)) return a;
            throw new VmException("LXRUN_VM_ACCEL=" + forced + ": expected kvm, hvf, whpx or tcg");
        }
        Accelerator hw = hostHypervisor();
        if (hw == null || Files.exists(unusableMarker(cacheDir, hw))) return TCG;
        return hw;
    }

    private static Accelerator hostHypervisor() {
        String os = System.getProperty("os.name", "").toLowerCase();
        if (os.contains("mac")) return HVF;
        if (os.contains("win")) return WHPX;
        return kvmUsable(Path.of("/dev/kvm")) ? KVM : null;
    }

    /**
     * Whether the KVM device is there for us to open, asked without opening it: opening a missing
     * path for writing creates it, which made lxrun (as root, on a host without KVM) leave an empty
     * regular file at /dev/kvm. access(2) and stat(2) change nothing. A regular file or directory
     * in its place is not the device.
     */
    static boolean kvmUsable(Path device) {
        try {
            return Files.exists(device) && !Files.isRegularFile(device) && !Files.isDirectory(device)
                    && Files.isReadable(device) && Files.isWritable(device);
        } catch (SecurityException e) {
            return false;
        }
    }

    static Path unusableMarker(Path cacheDir, Accelerator a) {
        return cacheDir.resolve(a.name + "-unusable");
    }

    void markUnusable(Path cacheDir, String why) {
        try {
            Files.createDirectories(cacheDir);
            Files.writeString(unusableMarker(cacheDir, this), why + "\n");
        } catch (IOException ignored) {
            // not remembering only costs the next run the same failed attempt
        }
    }
}
