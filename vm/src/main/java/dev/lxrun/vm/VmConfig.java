package dev.lxrun.vm;

import java.nio.file.Path;

/**
 * What a VM is booted with. Memory and CPUs default to a size that runs compilers and
 * interpreters (LXRUN_VM_MEMORY in MiB, LXRUN_VM_CPUS); the machine type defaults to q35
 * (LXRUN_VM_MACHINE=microvm for QEMU's minimal machine). microvm boots ~5% faster under TCG but
 * has no HPET or ACPI PM timer: on a loaded host the kernel's TSC calibration against the PIT then
 * fails and the boot hangs (seen here), which q35's timers avoid.
 */
public record VmConfig(Path root, KernelImage kernel, Path initramfs, Accelerator accel, String machine,
                       int memoryMiB, int cpus, Path cacheDir, int bootTimeoutSeconds) {

    public static int defaultMemory() {
        return intEnv("LXRUN_VM_MEMORY", 1024);
    }

    public static int defaultCpus() {
        return intEnv("LXRUN_VM_CPUS", Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    public static String defaultMachine() {
        String m = System.getenv("LXRUN_VM_MACHINE");
        return m == null || m.isEmpty() ? "q35" : m;
    }

    /** Hardware-accelerated boots take about a second; TCG boots 5-10 s, more on a loaded host. */
    public static int defaultBootTimeout(Accelerator accel) {
        return intEnv("LXRUN_VM_BOOT_TIMEOUT", accel.isHardware() ? 20 : 180);
    }

    public VmConfig withAccel(Accelerator a) {
        return new VmConfig(root, kernel, initramfs, a, machine, memoryMiB, cpus, cacheDir, defaultBootTimeout(a));
    }

    private static int intEnv(String name, int fallback) {
        try {
            String v = System.getenv(name);
            return v == null || v.isEmpty() ? fallback : Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
