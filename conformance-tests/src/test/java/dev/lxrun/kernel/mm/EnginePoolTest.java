package dev.lxrun.kernel.mm;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which pooled engine a new process gets. The engines here have no Unicorn behind them and no
 * regions, so tidying them does nothing; the pool (default capacity 6) is never overfilled, so
 * none is closed.
 */
class EnginePoolTest {
    private final Set<String> programs = new HashSet<>();

    private WarmEngine pooled(String program) {
        WarmEngine w = new WarmEngine(null, program, new TreeMap<>(), new ArrayList<>());
        programs.add(program);
        EnginePool.put(w);
        return w;
    }

    /** Empties the pool for the next test (a program's own engines are always handed out). */
    @AfterEach
    void drain() {
        for (String p : programs) {
            while (EnginePool.take(p) != null) {
                // left over
            }
        }
    }

    @Test
    void aProgramGetsItsOwnMostRecentEngine() {
        WarmEngine older = pooled("/usr/bin/dash");
        pooled("/usr/bin/wc");
        WarmEngine newer = pooled("/usr/bin/dash");
        assertSame(newer, EnginePool.take("/usr/bin/dash"));
        assertSame(older, EnginePool.take("/usr/bin/dash"));
    }

    /** A pipeline loop (dash forks twice, one child execs wc): wc's engine must still be there for wc. */
    @Test
    void anotherProgramsOnlyEngineIsNotTakenWhileThereIsRoom() {
        WarmEngine dash = pooled("/usr/bin/dash");
        WarmEngine wc = pooled("/usr/bin/wc");
        assertSame(dash, EnginePool.take("/usr/bin/dash"));
        assertNull(EnginePool.take("/usr/bin/dash"), "second dash child starts on a fresh engine");
        assertSame(wc, EnginePool.take("/usr/bin/wc"));
    }

    @Test
    void aProgramWithSeveralEnginesSparesItsLeastRecent() {
        WarmEngine first = pooled("/usr/bin/dash");
        pooled("/usr/bin/wc");
        pooled("/usr/bin/dash");
        assertSame(first, EnginePool.take("/usr/bin/sort"));
    }

    @Test
    void aFullPoolGivesItsLeastRecentEngine() {
        WarmEngine first = pooled("/bin/a");
        for (String p : new String[] {"/bin/b", "/bin/c", "/bin/d", "/bin/e", "/bin/f"}) pooled(p);
        assertSame(first, EnginePool.take("/bin/g"));
    }
}
