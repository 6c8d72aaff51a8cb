import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.ArrayList;
import java.util.List;

/** JIT-compiled code in several threads sharing an atomic counter and a lock: exact totals. */
public class Threads {
    static long shared;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200000;
        AtomicLong atomic = new AtomicLong();
        Object lock = new Object();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Long>> parts = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            final int seed = t;
            parts.add(pool.submit(() -> {
                long h = seed;
                for (int i = 0; i < n; i++) {
                    h = h * 6364136223846793005L + 1442695040888963407L;
                    atomic.incrementAndGet();
                    synchronized (lock) { shared += h >>> 60; }
                }
                return h;
            }));
        }
        long x = 0;
        for (Future<Long> f : parts) x ^= f.get();
        pool.shutdown();
        System.out.println("atomic " + atomic.get() + " shared " + shared + " digest " + Long.toHexString(x));
        System.out.println(String.format("%.17g %.17g", Math.sin(1e6), 1.0 / 3));
    }
}
