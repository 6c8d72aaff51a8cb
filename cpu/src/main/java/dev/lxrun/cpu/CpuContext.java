package dev.lxrun.cpu;

import java.lang.foreign.MemorySegment;

/** A saved CPU state (uc_context): every register, portable between engines of the same mode. */
public final class CpuContext implements AutoCloseable {
    private MemorySegment handle;

    CpuContext(MemorySegment handle) {
        this.handle = handle;
    }

    MemorySegment handle() {
        if (handle == null) throw new IllegalStateException("context already freed");
        return handle;
    }

    @Override
    public void close() {
        if (handle == null) return;
        try {
            int ignored = (int) UcNative.Context.FREE.invokeExact(handle);
        } catch (Throwable t) {
            throw new UnicornException("uc_context_free: " + t);
        }
        handle = null;
    }
}
