package dev.lxrun.kernel.ipc;

/**
 * Sleeping on an IPC namespace's monitor until an object changes. Changers call notifyAll under
 * the monitor, and a sleeper re-checks its condition under it, so no change is missed. The wait
 * is bounded because a signal for the guest unparks its thread, which Object.wait does not
 * notice: the caller re-checks for pending signals at least every 20 ms.
 */
final class Monitors {
    private static final long SLICE_NS = 20_000_000L;

    private Monitors() {}

    static void sleep(Object monitor, long deadline) {
        long left = deadline == Long.MAX_VALUE ? SLICE_NS : Math.min(deadline - System.nanoTime(), SLICE_NS);
        if (left <= 0) return;
        try {
            monitor.wait(left / 1_000_000L, (int) (left % 1_000_000L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
