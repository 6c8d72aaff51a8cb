package dev.lxrun.cli;

import dev.lxrun.kernel.Kernel;
import dev.lxrun.vfs.host.HostSyscall;
import sun.misc.Signal;

/**
 * Signals sent to lxrun (Ctrl-C, Ctrl-Z, kill) reach the guest instead of ending or stopping the
 * JVM; when the initial guest process stops, lxrun stops on the host too, and the SIGCONT that
 * resumes it (fg) resumes the guest.
 */
final class HostSignals {
    private HostSignals() {}

    static void forwardTo(Kernel kernel) {
        forward(kernel, "INT", 2);
        forward(kernel, "QUIT", 3);
        forward(kernel, "TERM", 15);
        forward(kernel, "HUP", 1);
        forward(kernel, "TSTP", 20);
        forward(kernel, "CONT", 18);
        forward(kernel, "WINCH", 28);
        long self = ProcessHandle.current().pid();
        final int KILL = 62, SIGSTOP = 19;
        kernel.onInitialStop(() -> HostSyscall.call(KILL, self, SIGSTOP, 0));
    }

    private static void forward(Kernel kernel, String name, int number) {
        if (Kernel.ignoredByHost(number)) return; // the program inherits it ignored, and so lxrun stays
        try {
            Signal.handle(new Signal(name), s -> kernel.forwardHostSignal(number));
        } catch (IllegalArgumentException e) {
            // The JVM reserves this signal (e.g. QUIT with -Xrs absent): leave its own handling.
        }
    }
}
