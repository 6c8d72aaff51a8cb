package dev.lxrun.kernel;

/**
 * Keeps one guest thread from starving the others of its process. Threads hand the process's
 * CPU over at every syscall, which is enough for programs that block or yield; a thread that
 * spins without any syscall while others wait longer than STARVATION_MS is stopped
 * asynchronously so the waiters get a turn.
 *
 * Asynchronous stops are kept to that last resort on purpose: measured here with Unicorn 2.1.4,
 * frequent uc_emu_stop calls from another thread (our timer, or Unicorn's own timeout) made a
 * contended pthread mutex lose futex wakeups and count one increment twice, while the same
 * program was exact with syscall-only switching or with instruction-count slices (which are
 * correct but ~40x slower, as Unicorn counts with a per-instruction hook).
 *
 * The re-counted increment was Unicorn re-running a read-modify-write instruction after a stop
 * (see docs/architecture.md, "lxrun's own Unicorn"); lxrun's own build fixes it (patch 0003).
 * On another build Task.preempt does nothing: a spinning thread keeps the CPU until its next
 * syscall. A process whose other threads do not wait for the CPU is never stopped.
 * With threads in parallel (ParallelCpu, -Dlxrun.parallelThreads=true) no task holds the CPU
 * lock, so this timer finds nothing to do; it remains for the default mode and Debian's build.
 */
final class Preemption implements Runnable {
    static final long TICK_MS = 10;
    /** -Dlxrun.preemptAfterMs: for tools/bench/preempt-exact.sh, which measures the stops' inexactness. */
    static final long STARVATION_MS = Long.getLong("lxrun.preemptAfterMs", 200);
    private final Kernel kernel;
    private Thread thread;

    Preemption(Kernel kernel) {
        this.kernel = kernel;
    }

    synchronized void start() {
        if (thread != null) return;
        thread = new Thread(this, "preempt");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        while (true) {
            try {
                Thread.sleep(TICK_MS);
            } catch (InterruptedException e) {
                return;
            }
            for (Process p : kernel.allProcesses()) {
                Task holder = p.cpuHolder;
                if (holder == null || !p.cpu.hasQueuedThreads()) continue;
                if (++holder.slicesHeld * TICK_MS >= STARVATION_MS) holder.preempt();
            }
        }
    }
}
