package dev.lxrun.kernel;

/**
 * What a kernel instance is started with.
 *
 * @param cwd the guest's initial working directory (a host path; inside root when confined)
 * @param hostname the node name uname() reports
 * @param root the host directory that is the guest's "/" ("/" for the host's own root)
 */
public record KernelConfig(String cwd, String hostname, String root) {
    public KernelConfig(String cwd, String hostname) {
        this(cwd, hostname, "/");
    }

    public boolean confined() {
        return !root.equals("/");
    }
}
