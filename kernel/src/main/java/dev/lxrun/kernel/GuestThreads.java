package dev.lxrun.kernel;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Java threads guest tasks run on. When a task ends its thread waits a while for the next
 * one (a fork, a vfork child, a new guest thread) instead of ending: a platform thread with a
 * 16 MiB stack costs its creation, its start-up inside the JVM and, at its end, the release of
 * every stack page it touched, and a new one faults those pages in again. A shell starting a
 * program pays that once per command.
 */
final class GuestThreads {
    /** Threads kept waiting at most; more end at once. */
    private static final int MAX_IDLE = 16;
    /** How long a waiting thread stays before it ends. */
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final long stackSize;
    /** Most recently parked first: its stack is the warmest. */
    private final ConcurrentLinkedDeque<Worker> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();

    GuestThreads(long stackSize) {
        this.stackSize = stackSize;
    }

    /** Runs body on a waiting thread, or on a new one, named name while it runs body. */
    void start(String name, Runnable body) {
        for (Worker w; (w = idle.pollFirst()) != null; ) {
            idleCount.decrementAndGet();
            if (w.hand(name, body)) return;
        }
        Worker w = new Worker(name, body);
        w.setDaemon(true);
        w.start();
    }

    private final class Worker extends Thread {
        private Runnable next;
        private String nextName;
        /** Set once it gave up waiting; nothing can be handed to it then. */
        private boolean ended;

        Worker(String name, Runnable first) {
            super(null, null, name, stackSize);
            this.next = first;
        }

        synchronized boolean hand(String name, Runnable body) {
            if (ended) return false;
            next = body;
            nextName = name;
            notifyAll();
            return true;
        }

        @Override
        public void run() {
            Runnable body;
            synchronized (this) {
                body = next;
                next = null;
            }
            while (body != null) {
                body.run();
                Thread.interrupted(); // a stale interrupt must not reach the next task
                body = awaitNext();
            }
        }

        /** The next body handed over, or null when this thread should end. */
        private Runnable awaitNext() {
            if (idleCount.incrementAndGet() > MAX_IDLE) {
                idleCount.decrementAndGet();
                return null;
            }
            idle.addFirst(this);
            long deadline = System.nanoTime() + IDLE_NANOS;
            synchronized (this) {
                while (next == null) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 && idle.remove(this)) {
                        idleCount.decrementAndGet();
                        ended = true;
                        return null;
                    }
                    // Past the deadline but already taken from the queue: the body is on its way.
                    try {
                        if (left > 0) TimeUnit.NANOSECONDS.timedWait(this, left);
                        else wait();
                    } catch (InterruptedException e) {
                        // nothing interrupts an idle guest thread on purpose; keep waiting
                    }
                }
                Runnable body = next;
                next = null;
                setName(nextName);
                return body;
            }
        }
    }
}
