package dev.lxrun.vfs.mount;

/**
 * One entry of the guest's mount table: a host directory standing at a guest path.
 *
 * @param guestPath canonical guest mount point ("/" for the root), no trailing slash
 * @param hostDir the host directory whose tree the guest sees there
 * @param hostFd an O_PATH descriptor of hostDir, held for the kernel's lifetime; every lookup
 *     below the mount point is relative to it, so renaming hostDir on the host cannot redirect it
 * @param kind what /proc/mounts calls the filesystem and its source
 * @param readOnly writes through this mount fail with EROFS, as under Linux's "ro" option
 * @param metadata Linux owners and device nodes the host file cannot hold are kept in a user
 *     extended attribute of each file (LinuxMetadata), as WSL keeps them in NTFS attributes
 */
public record Mount(String guestPath, String hostDir, int hostFd, Kind kind, boolean readOnly, boolean metadata) {
    /** The filesystem types lxrun mounts; each is a host directory underneath. */
    public enum Kind {
        /** The guest root: the host's "/" or the --root directory. */
        ROOT("rootfs", "/dev/root"),
        /** --mount HOSTDIR:GUESTDIR: a host directory bind-mounted into the guest (like WSL's /mnt/c). */
        BIND("none", "none"),
        /** --tmpfs GUESTDIR: a fresh, memory-backed directory that disappears when lxrun ends. */
        TMPFS("tmpfs", "tmpfs");

        private final String fsType, source;

        Kind(String fsType, String source) {
            this.fsType = fsType;
            this.source = source;
        }

        public String source() {
            return source;
        }
    }

    /** The type /proc/mounts shows: a bind mount shows the type of the host filesystem under it. */
    public String fsType(String hostType) {
        return kind == Kind.BIND || kind == Kind.ROOT ? hostType : kind.fsType;
    }

    /** Whether guestPath lies at or under this mount point (lexically). */
    public boolean covers(String canonicalGuestPath) {
        return guestPath.equals("/") || canonicalGuestPath.equals(guestPath) || canonicalGuestPath.startsWith(guestPath + "/");
    }
}
