package dev.lxrun.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * QEMU's record of the last contributory exception raised (CPUX86State.old_exception), which
 * turns a #DE or #GP raised while the previous one is "being delivered" into a double fault
 * (vector 8), and any exception after that into a triple fault. QEMU clears it when the
 * exception has been delivered through the IDT; under Unicorn the interrupt hook replaces that
 * delivery and nothing clears it, so a process's second division by zero reached lxrun as a
 * double fault (SIGSEGV instead of SIGFPE). The field is outside Unicorn's API; its place in a
 * saved context is found once by experiment: on a scratch engine the only int that goes from -1
 * (reset) to 0 after a #DE and to 8 after a second one. Where no such int is found (another
 * Unicorn layout), nothing is changed.
 */
final class ExceptionRecord {
    private static final long CODE = 0x1000;
    private static int offset = -2; // -2: not probed yet; -1: not found

    private ExceptionRecord() {}

    static void clear(Engine e) {
        int at = offset();
        if (at < 0) return;
        try (CpuContext c = e.saveContext()) {
            MemorySegment bytes = e.contextBytes(c);
            if (bytes.get(ValueLayout.JAVA_INT, at) == -1) return;
            bytes.set(ValueLayout.JAVA_INT, at, -1);
            e.restoreContext(c);
        }
    }

    private static synchronized int offset() {
        if (offset == -2) offset = probe();
        return offset;
    }

    private static int probe() {
        MemorySegment page = HostMemory.allocate(HostMemory.PAGE);
        try (Engine e = Engine.openX86_64()) {
            page.set(ValueLayout.JAVA_BYTE, 0, (byte) 0xf7);
            page.set(ValueLayout.JAVA_BYTE, 1, (byte) 0xf1); // div ecx
            e.mapPtr(CODE, HostMemory.PAGE, Prot.READ | Prot.EXEC, page);
            int[] vector = {-1};
            e.onInterrupt((en, v) -> {
                vector[0] = v;
                en.stop();
            });
            e.writeReg(X86Reg.RCX, 0);
            try (CpuContext reset = e.saveContext()) {
                e.start(CODE);
                if (vector[0] != 0) return -1;
                try (CpuContext afterDe = e.saveContext()) {
                    e.writeReg(X86Reg.RIP, CODE);
                    e.start(CODE);
                    if (vector[0] != 8) return -1; // this Unicorn does not double-fault: nothing to clear
                    try (CpuContext afterDf = e.saveContext()) {
                        MemorySegment a = e.contextBytes(reset), b = e.contextBytes(afterDe), c = e.contextBytes(afterDf);
                        int found = -1;
                        for (long i = 0; i + 4 <= a.byteSize(); i += 4) {
                            if (a.get(ValueLayout.JAVA_INT, i) == -1 && b.get(ValueLayout.JAVA_INT, i) == 0
                                    && c.get(ValueLayout.JAVA_INT, i) == 8) {
                                if (found >= 0) return -1; // ambiguous: leave Unicorn alone
                                found = (int) i;
                            }
                        }
                        return found;
                    }
                }
            }
        } catch (RuntimeException e) {
            return -1;
        } finally {
            HostMemory.release(page.address(), HostMemory.PAGE);
        }
    }

    /** The probed place, for tests: -1 when this Unicorn build has none lxrun recognises. */
    static int probedOffset() {
        return offset();
    }
}
