package dev.lxrun.vm;

import java.nio.file.Path;

/** Everything a boot needs, found or made once and cached: kernel, its modules, the initramfs, the accelerator. */
public final class VmSetup {
    private VmSetup() {}

    /** lxrun's cache, ~/.cache/lxrun (LXRUN_CACHE or XDG_CACHE_HOME move it, as for Unicorn). */
    public static Path lxrunCache() {
        String c = System.getenv("LXRUN_CACHE");
        String xdg = System.getenv("XDG_CACHE_HOME");
        return c != null && !c.isEmpty() ? Path.of(c)
                : xdg != null && !xdg.isEmpty() ? Path.of(xdg, "lxrun") : Path.of(System.getProperty("user.home"), ".cache", "lxrun");
    }

    /** The VM mode's part of the cache: kernel, initramfs, accelerator verdicts. */
    public static Path cacheDir() {
        return lxrunCache().resolve("vm");
    }

    public static VmConfig config(Path root, Progress progress) throws VmException {
        Path cache = cacheDir();
        KernelImage kernel = KernelLocator.locate(cache, progress);
        Path initramfs = Initramfs.build(cache, KernelModules.loadOrder(kernel.modules()));
        Accelerator accel = Accelerator.choose(cache);
        return new VmConfig(root, kernel, initramfs, accel, VmConfig.defaultMachine(), VmConfig.defaultMemory(),
                VmConfig.defaultCpus(), cache, VmConfig.defaultBootTimeout(accel));
    }
}
