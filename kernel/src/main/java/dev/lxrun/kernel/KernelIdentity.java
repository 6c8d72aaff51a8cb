package dev.lxrun.kernel;

/** What the guest is told about the kernel it runs on (uname, /proc/version, osrelease). */
public final class KernelIdentity {
    public static final String SYSNAME = "Linux";
    public static final String RELEASE = "6.1.0-lxrun";
    public static final String VERSION = "#1 SMP PREEMPT_DYNAMIC lxrun";
    public static final String MACHINE = "x86_64";

    private KernelIdentity() {}
}
