package dev.lxrun.kernel.gdbstub;

import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.mm.AddressSpace;
import java.lang.foreign.MemorySegment;

/**
 * gdb's view of the stopped thread's memory, run on that thread: reads and writes that ignore
 * page protections (as ptrace's do), and software breakpoints kept as int3 bytes whose original
 * bytes gdb's reads see instead. Every write into memory drops the translations made from it, on
 * this thread's engine now and on the process's other engines before they next run.
 */
final class Breakpoints {
    private static final byte INT3 = (byte) 0xcc;

    private Breakpoints() {}

    /** Z0: an int3 at addr (the byte it replaces is kept). False when nothing is mapped there. */
    static boolean insert(GdbStub stub, Task t, long addr) {
        if (stub.breakpoints.containsKey(addr)) return true;
        byte[] orig = readRaw(t, addr, 1);
        writeRaw(t, addr, new byte[] {INT3});
        stub.breakpoints.put(addr, orig[0]);
        return true;
    }

    /** z0: the original byte goes back. */
    static void remove(GdbStub stub, Task t, long addr) {
        Byte orig = stub.breakpoints.remove(addr);
        if (orig != null) writeRaw(t, addr, new byte[] {orig});
    }

    static void removeAll(GdbStub stub, Task t) {
        for (Long addr : stub.breakpoints.keySet().toArray(new Long[0])) {
            try {
                remove(stub, t, addr);
            } catch (RuntimeException unmappedMeanwhile) {
                stub.breakpoints.remove(addr);
            }
        }
    }

    /** m: the bytes at addr as the program wrote them, breakpoints hidden. */
    static byte[] read(GdbStub stub, Task t, long addr, int len) {
        byte[] b = readRaw(t, addr, len);
        for (var bp : stub.breakpoints.entrySet()) {
            long off = bp.getKey() - addr;
            if (off >= 0 && off < len) b[(int) off] = bp.getValue();
        }
        return b;
    }

    /** M/X: writes data at addr; a breakpoint inside keeps its int3, the written byte becomes the one it hides. */
    static void write(GdbStub stub, Task t, long addr, byte[] data) {
        byte[] patched = data.clone();
        for (var bp : stub.breakpoints.entrySet()) {
            long off = bp.getKey() - addr;
            if (off >= 0 && off < data.length) {
                bp.setValue(data[(int) off]);
                patched[(int) off] = INT3;
            }
        }
        writeRaw(t, addr, patched);
    }

    private static byte[] readRaw(Task t, long addr, int len) {
        byte[] b = new byte[len];
        t.process.mm.copyOut(addr, MemorySegment.ofArray(b), true);
        return b;
    }

    private static void writeRaw(Task t, long addr, byte[] data) {
        if (data.length == 0) return;
        AddressSpace mm = t.process.mm;
        mm.copyIn(addr, MemorySegment.ofArray(data), false);
        // Unicorn does not see a write made behind its back: drop what it translated from these bytes.
        t.engine().invalidateTranslations(addr, addr + data.length);
        mm.codeWritten(t.engine(), addr, data.length);
    }
}
