package dev.lxrun.kernel.pseudo;

import dev.lxrun.kernel.Task;

/**
 * A synthetic filesystem mounted at a guest path (procfs at /proc). Paths given to it are
 * relative to its mount point, normalised, without a leading slash ("" is the root).
 */
public interface PseudoFileSystem {
    String mountPoint();

    /** The node at path as the calling task sees it, or null when there is none (ENOENT). */
    PseudoNode lookup(Task caller, String path);
}
