package dev.lxrun.kernel;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Fires timers that count CPU time (ITIMER_VIRTUAL, ITIMER_PROF, POSIX timers on CPU clocks): one
 * daemon thread samples the armed timers' clocks every CpuTime.SAMPLE_NS while any is armed, and
 * sleeps otherwise, so a timer fires up to that much late.
 */
final class CpuTimerWatch {
    /** An armed timer: looks at its clock, fires if due, and says whether it still wants watching. */
    interface Armed {
        boolean poll();
    }

    private static final Set<Armed> ARMED = ConcurrentHashMap.newKeySet();
    private static final Thread WATCHER = Thread.ofPlatform().daemon().name("cpu-timers").unstarted(CpuTimerWatch::loop);

    static {
        WATCHER.start();
    }

    private CpuTimerWatch() {}

    static void watch(Armed a) {
        ARMED.add(a);
        LockSupport.unpark(WATCHER); // a park that has not begun yet returns at once
    }

    private static void loop() {
        while (true) {
            if (ARMED.isEmpty()) {
                LockSupport.park();
                continue;
            }
            for (Armed a : ARMED) {
                boolean keep;
                try {
                    keep = a.poll();
                } catch (RuntimeException e) {
                    keep = false; // a broken timer must not stop the others
                }
                if (!keep) ARMED.remove(a);
            }
            LockSupport.parkNanos(CpuTime.SAMPLE_NS);
        }
    }
}
