package dev.lxrun.kernel;

import java.util.List;

/**
 * What a kernel instance is started with.
 *
 * @param cwd the guest's initial working directory (a host path; inside root when confined)
 * @param hostname the node name uname() reports
 * @param root the host directory that is the guest's "/" ("/" for the host's own root)
 * @param mounts further mounts on the root, made in order (--mount, --tmpfs)
 * @param rootMetadata keep owners and device nodes the root's host files cannot hold in
 *     extended attributes (--metadata), as a mount's "metadata" option does for the mount
 */
public record KernelConfig(String cwd, String hostname, String root, List<MountRequest> mounts, boolean rootMetadata) {
    public KernelConfig(String cwd, String hostname) {
        this(cwd, hostname, "/");
    }

    public KernelConfig(String cwd, String hostname, String root) {
        this(cwd, hostname, root, List.of(), false);
    }

    public boolean confined() {
        return !root.equals("/");
    }
}
