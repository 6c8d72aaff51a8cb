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

    /**
     * The path an open file at path reports as its name (fd links, *at() bases): procfs names
     * /proc/self/fd as /proc/PID/fd, as Linux does. Unchanged by default.
     */
    default String canonicalPath(Task caller, String path) {
        return path;
    }
}
