package dev.lxrun.cli.compat;

/** How a mode's run of a test compares with the native run. */
public enum Outcome {
    /** Same stdout, stderr and exit status as native. */
    PASS,
    /** Ran to the end but some of stdout, stderr or exit status differ. */
    FAIL,
    /** Did not finish within the timeout (or could not start). */
    ERROR,
    /** The mode does not work on this machine; see the mode's availability. */
    UNAVAILABLE;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
