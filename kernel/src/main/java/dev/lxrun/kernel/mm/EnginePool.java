package dev.lxrun.kernel.mm;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Engines of ended processes, waiting to run the next process of the same program. A process
 * that starts on one of them finds its program's, its dynamic loader's and its libraries' code
 * already translated wherever the same file part lands at the same address (see
 * {@link AddressSpace#attach(dev.lxrun.cpu.Engine, WarmEngine)}), and its stack, data and heap
 * at places Unicorn already maps; translating that code afresh and remaking Unicorn's regions is
 * most of what a short-lived process costs. Bounded: the least recently parked engine is closed.
 */
public final class EnginePool {
    /** -Dlxrun.warmEngines=N keeps at most N engines (0 turns reuse off). */
    private static final int CAPACITY = Integer.getInteger("lxrun.warmEngines", 6);

    private static final ArrayDeque<WarmEngine> parked = new ArrayDeque<>();

    private EnginePool() {}

    public static boolean enabled() {
        return CAPACITY > 0;
    }

    /** The most recently parked engine of program, else the least recently parked of another, else null. */
    public static WarmEngine take(String program) {
        synchronized (parked) {
            for (Iterator<WarmEngine> it = parked.descendingIterator(); it.hasNext(); ) {
                WarmEngine w = it.next();
                if (w.program.equals(program)) {
                    it.remove();
                    return w;
                }
            }
            return parked.pollFirst();
        }
    }

    static void put(WarmEngine w) {
        WarmEngine evicted = null;
        synchronized (parked) {
            parked.addLast(w);
            if (parked.size() > CAPACITY) evicted = parked.pollFirst();
        }
        if (evicted != null) evicted.close();
    }
}
