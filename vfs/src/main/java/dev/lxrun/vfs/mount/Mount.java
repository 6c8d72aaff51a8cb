package dev.lxrun.vfs.mount;

/**
 * One entry of the guest's mount table: a host directory standing on a directory of another
 * mount. Both ends are known by identity: the mount point is the covered directory (its
 * descriptor and device+inode in the parent mount), so a rename of the mount point's parent
 * moves the mount with it as on Linux, and the root is recognised by device+inode when ".."
 * reaches it, however the walk got there.
 *
 * @param guestPath the guest path the mount was made at ("/" for the root); the current path is
 *     computed from the mount point's identity (GuestNames), this one only names it in messages
 * @param hostDir the host directory whose tree the guest sees there
 * @param hostFd an O_PATH descriptor of hostDir, held for the kernel's lifetime; every lookup
 *     below the mount point is relative to it, so renaming hostDir on the host cannot redirect it
 * @param kind what /proc/mounts calls the filesystem and its source
 * @param readOnly writes through this mount fail with EROFS, as under Linux's "ro" option
 * @param metadata Linux owners and device nodes the host file cannot hold are kept in a user
 *     extended attribute of each file (LinuxMetadata), as WSL keeps them in NTFS attributes
 * @param rootId device+inode of hostDir
 * @param parent the mount the mount point lies on; null for the root of the mount tree
 * @param pointFd O_PATH descriptor of the covered directory in parent (-1 for the root)
 * @param pointId device+inode of the covered directory (null for the root)
 */
public record Mount(String guestPath, String hostDir, int hostFd, Kind kind, boolean readOnly, boolean metadata,
        FileId rootId, Mount parent, int pointFd, FileId pointId) {
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

    /** The root of a mount tree: a host directory already open at hostFd. */
    public static Mount root(String hostDir, int hostFd, boolean metadata) {
        return new Mount("/", hostDir, hostFd, Kind.ROOT, false, metadata, FileId.of(hostFd), null, -1, null);
    }

    /** The type /proc/mounts shows: a bind mount shows the type of the host filesystem under it. */
    public String fsType(String hostType) {
        return kind == Kind.BIND || kind == Kind.ROOT ? hostType : kind.fsType;
    }

    /** Records compare their components; two mounts are the same only when they are one object. */
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
