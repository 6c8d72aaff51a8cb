package dev.lxrun.cli;

import dev.lxrun.kernel.Kernel;
import sun.misc.Signal;

/** Signals sent to lxrun (Ctrl-C, kill) reach the guest instead of ending the JVM. */
final class HostSignals {
    private HostSignals() {}

    static void forwardTo(Kernel kernel) {
        forward(kernel, "INT", 2);
        forward(kernel, "QUIT", 3);
        forward(kernel, "TERM", 15);
        forward(kernel, "HUP", 1);
    }

    private static void forward(Kernel kernel, String name, int number) {
        try {
            Signal.handle(new Signal(name), s -> kernel.forwardHostSignal(number));
        } catch (IllegalArgumentException e) {
            // The JVM reserves this signal (e.g. QUIT with -Xrs absent): leave its own handling.
        }
    }
}
