package dev.lxrun.kernel;

/** A kernel struct sigaction (x86-64 layout: handler, flags, restorer, mask). */
public record SignalAction(long handler, long flags, long restorer, long mask) {
    public static final SignalAction DEFAULT = new SignalAction(Signals.SIG_DFL, 0, 0, 0);
}
