package dev.lxrun.kernel.mm;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

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

    /** An engine for a process of program (see choose), taken from the pool; null for none. */
    public static WarmEngine take(String program) {
        WarmEngine w = choose(program);
        if (w != null) w.claim();
        return w;
    }

    /**
     * The most recently parked engine of program; else one another program can spare (the least
     * recently parked of a program with several here, or of any once the pool is full), whose
     * translations of the dynamic loader and the C library, mapped at the same places by every
     * program, still hold; else null, for a fresh engine. Taking a program's only engine would
     * leave that program short the next time, and in a loop that runs two programs at once (a
     * pipeline of dash and wc) the shortage would move from one to the other for ever, each
     * process starting with nothing of its own translated.
     */
    private static WarmEngine choose(String program) {
        synchronized (parked) {
            for (Iterator<WarmEngine> it = parked.descendingIterator(); it.hasNext(); ) {
                WarmEngine w = it.next();
                if (w.program.equals(program)) {
                    it.remove();
                    return w;
                }
            }
            Map<String, Integer> counts = new HashMap<>();
            for (WarmEngine w : parked) counts.merge(w.program, 1, Integer::sum);
            for (Iterator<WarmEngine> it = parked.iterator(); it.hasNext(); ) {
                WarmEngine w = it.next();
                if (counts.get(w.program) > 1) {
                    it.remove();
                    return w;
                }
            }
            return parked.size() >= CAPACITY ? parked.pollFirst() : null;
        }
    }

    /** Pools w; it is tidied in the background (see WarmEngine#tidy). */
    static void put(WarmEngine w) {
        WarmEngine evicted = null;
        synchronized (parked) {
            parked.addLast(w);
            if (parked.size() > CAPACITY) evicted = parked.pollFirst();
        }
        if (evicted != null) evicted.close();
        TIDIER.execute(w::tidy);
    }

    /** One daemon thread tidies pooled engines while the processes that will use them are still being made. */
    private static final Executor TIDIER = Executors.newSingleThreadExecutor(task -> {
        Thread t = new Thread(task, "engine-pool");
        t.setDaemon(true);
        return t;
    });
}
