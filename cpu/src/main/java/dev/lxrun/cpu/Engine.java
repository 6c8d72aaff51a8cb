package dev.lxrun.cpu;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * One Unicorn x86-64 engine: a guest CPU. Not thread-safe: an engine belongs to the thread that
 * runs it (one engine per guest thread). Callbacks never let a Throwable escape into native
 * code (that would kill the JVM): they record it, stop emulation, and {@link #start} rethrows.
 */
public final class Engine implements AutoCloseable {
    private static final int UC_ARCH_X86 = 4;
    private static final int UC_MODE_64 = 8;
    private static final int UC_HOOK_INTR = 1;
    private static final int UC_HOOK_INSN = 2;
    private static final int UC_X86_INS_SYSCALL = 699;
    /** UC_HOOK_MEM_READ_UNMAPPED | WRITE_UNMAPPED | FETCH_UNMAPPED | READ_PROT | WRITE_PROT | FETCH_PROT. */
    private static final int UC_HOOK_MEM_INVALID = 1008;
    private static final int UC_CTL_CPU_MODEL = 7;
    private static final int UC_CTL_TB_REMOVE_CACHE = 9;
    private static final int UC_CTL_IO_WRITE = 1;

    /** The syscall argument registers in ABI order after RAX: rdi, rsi, rdx, r10, r8, r9. */
    private static final X86Reg[] SYSCALL_REGS = {X86Reg.RAX, X86Reg.RDI, X86Reg.RSI, X86Reg.RDX, X86Reg.R10, X86Reg.R8, X86Reg.R9};

    private final Arena arena = Arena.ofShared();
    private final MemorySegment uc;
    private final MemorySegment scratch;
    private final MemorySegment batchIds;
    private final MemorySegment batchPtrs;
    private final MemorySegment batchVals;
    /** RIP and EFLAGS read, RCX and R11 written, at a syscall's entry (see syscallEntry). */
    private final MemorySegment entryReadIds, entryWriteIds, entryPtrs, entryVals;
    private Throwable callbackFailure;
    private boolean closed;
    /** Where the hooks deliver; replaced when a kept engine starts serving another task. */
    private volatile SyscallHandler syscallHandler;
    private volatile InterruptHandler interruptHandler;
    private volatile CodeWriteHandler codeWriteHandler;
    private boolean faultHookInstalled;
    /** The last access Unicorn refused (uc_mem_type) and its address: what a fault's siginfo reports. */
    private int faultType;
    private long faultAddress;

    private Engine(MemorySegment uc) {
        this.uc = uc;
        this.scratch = arena.allocate(64, 16);
        int n = SYSCALL_REGS.length;
        this.batchIds = arena.allocate(JAVA_INT, n);
        this.batchVals = arena.allocate(JAVA_LONG, n);
        this.batchPtrs = arena.allocate(ADDRESS, n);
        for (int i = 0; i < n; i++) {
            batchIds.setAtIndex(JAVA_INT, i, SYSCALL_REGS[i].id);
            batchPtrs.setAtIndex(ADDRESS, i, batchVals.asSlice(8L * i, 8));
        }
        this.entryReadIds = arena.allocate(JAVA_INT, 2);
        this.entryWriteIds = arena.allocate(JAVA_INT, 2);
        this.entryVals = arena.allocate(JAVA_LONG, 2);
        this.entryPtrs = arena.allocate(ADDRESS, 2);
        entryReadIds.setAtIndex(JAVA_INT, 0, X86Reg.RIP.id);
        entryReadIds.setAtIndex(JAVA_INT, 1, X86Reg.EFLAGS.id);
        entryWriteIds.setAtIndex(JAVA_INT, 0, X86Reg.RCX.id);
        entryWriteIds.setAtIndex(JAVA_INT, 1, X86Reg.R11.id);
        for (int i = 0; i < 2; i++) entryPtrs.setAtIndex(ADDRESS, i, entryVals.asSlice(8L * i, 8));
    }

    /** Opens a 64-bit x86 engine. */
    public static Engine openX86_64() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            int err = (int) UcNative.Lifecycle.OPEN.invokeExact(UC_ARCH_X86, UC_MODE_64, out);
            check("uc_open", err);
            Engine e = new Engine(out.get(ADDRESS, 0));
            if (parallelTranslation && !SERIAL_CODE_FOR_TESTS) {
                try {
                    check("uc_lxrun_set_parallel", (int) UcNative.Parallel.SET.invokeExact(e.uc, 1));
                } catch (RuntimeException | Error x) {
                    e.close();
                    throw x;
                }
            }
            return e;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UnicornException("uc_open: " + t);
        }
    }

    /** Unicorn's version as "major.minor" of the loaded library. */
    public static String version() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment major = a.allocate(JAVA_INT), minor = a.allocate(JAVA_INT);
            int ignored = (int) UcNative.Lifecycle.VERSION.invokeExact(major, minor);
            return major.get(JAVA_INT, 0) + "." + minor.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw new UnicornException("uc_version: " + t);
        }
    }

    public static String strerror(int err) {
        try {
            MemorySegment s = (MemorySegment) UcNative.Lifecycle.STRERROR.invokeExact(err);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "unicorn error " + err;
        }
    }

    static void check(String call, int err) {
        if (err != 0) throw new UnicornException(call, UcError.of(err), strerror(err));
    }

    /** Selects the emulated CPU model (uc_cpu_x86 value); only before the first instruction runs. */
    public void setCpuModel(int model) {
        int ctl = UC_CTL_CPU_MODEL | (1 << 26) | (UC_CTL_IO_WRITE << 30);
        try {
            check("uc_ctl(CPU_MODEL)", (int) UcNative.Ctl.CTL_INT.invokeExact(uc, ctl, model));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UnicornException("uc_ctl: " + t);
        }
    }

    // ---- whole-CPU state ----

    /** Saves every register of this CPU (what fork gives the child). Free it with {@link CpuContext#close}. */
    public CpuContext saveContext() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check("uc_context_alloc", (int) UcNative.Context.ALLOC.invokeExact(uc, out));
            MemorySegment ctx = out.get(ADDRESS, 0);
            check("uc_context_save", (int) UcNative.Context.SAVE.invokeExact(uc, ctx));
            return new CpuContext(ctx);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UnicornException("uc_context_save: " + t);
        }
    }

    /** Loads a saved CPU state, possibly saved from another engine of the same mode. */
    public void restoreContext(CpuContext ctx) {
        try {
            check("uc_context_restore", (int) UcNative.Context.RESTORE.invokeExact(uc, ctx.handle()));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UnicornException("uc_context_restore: " + t);
        }
    }

    /** The bytes of a saved context (uc_context_size of this engine), for ExceptionRecord. */
    MemorySegment contextBytes(CpuContext ctx) {
        try {
            long size = (long) UcNative.Context.SIZE.invokeExact(uc);
            return ctx.handle().reinterpret(size);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UnicornException("uc_context_size: " + t);
        }
    }

    /**
     * Forgets the exception the guest last raised, as delivering it would have (see
     * ExceptionRecord); call after handling a fault that arrived through the interrupt hook.
     */
    public void forgetLastException() {
        ExceptionRecord.clear(this);
    }

    // ---- registers ----

    public long readReg(X86Reg reg) {
        try {
            check("uc_reg_read", (int) UcNative.Regs.READ.invokeExact(uc, reg.id, scratch));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UnicornException("uc_reg_read: " + t);
        }
        return scratch.get(JAVA_LONG, 0);
    }

    public void writeReg(X86Reg reg, long value) {
        scratch.set(JAVA_LONG, 0, value);
        try {
            check("uc_reg_write", (int) UcNative.Regs.WRITE.invokeExact(uc, reg.id, scratch));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UnicornException("uc_reg_write: " + t);
        }
    }

    /** Reads rax, rdi, rsi, rdx, r10, r8, r9 into out[0..6] with one native call. */
    public void readSyscallRegs(long[] out) {
        try {
            check("uc_reg_read_batch", (int) UcNative.Regs.READ_BATCH.invokeExact(uc, batchIds, batchPtrs, SYSCALL_REGS.length));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UnicornException("uc_reg_read_batch: " + t);
        }
        for (int i = 0; i < SYSCALL_REGS.length; i++) out[i] = batchVals.getAtIndex(JAVA_LONG, i);
    }

    /**
     * Does what the SYSCALL instruction does to registers and Unicorn's hook leaves out: RCX gets
     * the address of the next instruction and R11 the flags. Call from the SYSCALL hook, where RIP
     * is still the instruction's own address; returns that address.
     */
    public long syscallEntry() {
        try {
            check("uc_reg_read_batch", (int) UcNative.Regs.READ_BATCH.invokeExact(uc, entryReadIds, entryPtrs, 2));
            long rip = entryVals.getAtIndex(JAVA_LONG, 0);
            entryVals.setAtIndex(JAVA_LONG, 0, rip + 2); // SYSCALL is 0f 05
            check("uc_reg_write_batch", (int) UcNative.Regs.WRITE_BATCH.invokeExact(uc, entryWriteIds, entryPtrs, 2));
            return rip;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UnicornException("uc_reg_*_batch: " + t);
        }
    }

    /** XMM register i (0..15) as 16 little-endian bytes. */
    public byte[] readXmm(int i) {
        rawRead(X86Reg.XMM0_ID + checkXmm(i));
        return scratch.asSlice(0, 16).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    public void writeXmm(int i, byte[] value16) {
        if (value16.length != 16) throw new IllegalArgumentException("XMM value must be 16 bytes");
        MemorySegment.copy(MemorySegment.ofArray(value16), 0, scratch, 0, 16);
        rawWrite(X86Reg.XMM0_ID + checkXmm(i));
    }

    /** A register of any width by its uc_x86_reg id (x87 ST registers: 10 bytes), as little-endian bytes. */
    public byte[] readRegBytes(int id, int size) {
        if (size > 64) throw new IllegalArgumentException("register wider than the scratch buffer");
        rawRead(id);
        return scratch.asSlice(0, size).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    public void writeRegBytes(int id, byte[] value) {
        if (value.length > 64) throw new IllegalArgumentException("register wider than the scratch buffer");
        MemorySegment.copy(MemorySegment.ofArray(value), 0, scratch, 0, value.length);
        rawWrite(id);
    }

    /** Writes a model-specific register (uc_x86_msr: a 32-bit index, then the 64-bit value at offset 8). */
    public void writeMsr(int msr, long value) {
        scratch.set(JAVA_INT, 0, msr);
        scratch.set(JAVA_LONG, 8, value);
        rawWrite(X86Reg.MSR_ID);
    }

    private static int checkXmm(int i) {
        if (i < 0 || i > 15) throw new IllegalArgumentException("xmm" + i);
        return i;
    }

    private void rawRead(int id) {
        try {
            check("uc_reg_read", (int) UcNative.Regs.READ.invokeExact(uc, id, scratch));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UnicornException("uc_reg_read: " + t);
        }
    }

    private void rawWrite(int id) {
        try {
            check("uc_reg_write", (int) UcNative.Regs.WRITE.invokeExact(uc, id, scratch));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UnicornException("uc_reg_write: " + t);
        }
    }

    // ---- memory ----

    /**
     * What an x86-64 page table can express of mmap's protection: no page is writable or
     * executable without being readable (Linux without protection keys), so PROT_WRITE or
     * PROT_EXEC alone still reads.
     */
    static int x86PageProt(int prot) {
        return (prot & 6) != 0 ? prot | 1 : prot;
    }

    /** Maps guest [address, address+size) onto host memory the caller keeps alive until unmapped. */
    public void mapPtr(long address, long size, int prot, MemorySegment host) {
        if (host.byteSize() < size) throw new IllegalArgumentException("host segment smaller than mapping");
        repairTlb();
        try {
            check("uc_mem_map_ptr", (int) UcNative.Mem.MAP_PTR.invokeExact(uc, address, size, x86PageProt(prot), host));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UnicornException("uc_mem_map_ptr: " + t);
        }
    }

    public void unmap(long address, long size) {
        repairTlb();
        try {
            check("uc_mem_unmap", (int) UcNative.Mem.UNMAP.invokeExact(uc, address, size));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UnicornException("uc_mem_unmap: " + t);
        }
    }

    public void protect(long address, long size, int prot) {
        repairTlb();
        try {
            check("uc_mem_protect", (int) UcNative.Mem.PROTECT.invokeExact(uc, address, size, x86PageProt(prot)));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UnicornException("uc_mem_protect: " + t);
        }
    }

    /**
     * Drops the translated code of guest [start, end). Unicorn keys translations by its RAM
     * offsets, which it hands out again after an unmap, so code that leaves an address must go
     * before the memory does. The range must be mapped executable when this is called (pages
     * that are not are skipped).
     *
     * <p>lxrun's build (patch 0011) walks the Unicorn regions of the range itself, so one call
     * does, whatever the size. Elsewhere page by page: uc_ctl_remove_cache translates only the
     * range's first address and takes the rest as contiguous RAM, which holds within one Unicorn
     * region but not across the regions that separate mappings (or an mprotect splitting one)
     * make.
     */
    public void invalidateTranslations(long start, long end) {
        int ctl = UC_CTL_TB_REMOVE_CACHE | (2 << 26) | (UC_CTL_IO_WRITE << 30);
        try {
            if (RangedCacheRemoval.PRESENT) {
                if (end > start) check("uc_ctl(TB_REMOVE_CACHE)", (int) UcNative.Ctl.CTL_LONG_LONG.invokeExact(uc, ctl, start, end));
                return;
            }
            for (long page = start & -4096L; page < end; page += 4096) {
                long from = Math.max(page, start), to = Math.min(page + 4096, end);
                check("uc_ctl(TB_REMOVE_CACHE)", (int) UcNative.Ctl.CTL_LONG_LONG.invokeExact(uc, ctl, from, to));
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UnicornException("uc_ctl: " + t);
        }
    }

    /** Unicorn's TLB counters, once its CPU exists and if this build is the known one (see TlbBookkeeping). */
    private TlbBookkeeping tlb;
    private boolean tlbUnreachable;

    /** Region changes end in a full TLB flush, which resizes the TLB by its use counters: fix them first. */
    private void repairTlb() {
        TlbBookkeeping t = tlb;
        if (t == null) {
            if (tlbUnreachable || !TlbBookkeeping.supported()) return;
            t = TlbBookkeeping.find(uc).orElse(null);
            if (t == null) {
                // Unicorn creates its CPU at the first call that needs one: look again until it exists.
                tlbUnreachable = TlbBookkeeping.cpuCreated(uc);
                return;
            }
            tlb = t;
        }
        t.repair();
    }

    /**
     * Whether the loaded library is lxrun's own Unicorn build (tools/unicorn, patch 0001 names it).
     * Only there is an asynchronous {@link #stop} exact: its patch 0003 honours stops at
     * translation-block starts, where Debian's build may roll back to the start of an
     * instruction whose store was already done and run it twice.
     */
    public static boolean ownBuild() {
        return OwnBuild.PRESENT;
    }

    private static final class RangedCacheRemoval {
        static final boolean PRESENT = UnicornLibrary.get().symbol("uc_lxrun_ranged_cache_removal").isPresent();
    }

    private static final class OwnBuild {
        static final boolean PRESENT = UnicornLibrary.get().symbol("uc_lxrun_build").isPresent();
    }

    /**
     * Whether the loaded library can translate for engines that run at the same time over shared
     * memory (lxrun's build with patch 0010: lock-prefixed instructions become host atomics).
     */
    public static boolean parallelCapable() {
        return ParallelCapable.PRESENT;
    }

    /**
     * Whether guest stores into chosen host memory reach the code-write handler whatever the
     * permissions of the guest mapping (lxrun's build with patch 0012); see watchHostRanges.
     */
    public static boolean watchCapable() {
        return WatchCapable.PRESENT;
    }

    private static final class WatchCapable {
        static final boolean PRESENT = UnicornLibrary.get().symbol("uc_lxrun_watch_host").isPresent();
    }

    /**
     * Makes guest stores into the host ranges (begin, end pairs), in every engine, reach the
     * engines' code-write handlers (onCodeWrite) as stores into executable memory do. Replaces
     * the previous set; an engine takes the new one when it next enters guest code. A no-op
     * where watchCapable() is false.
     */
    public static synchronized void watchHostRanges(long[] pairs) {
        if (!watchCapable()) return;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ranges = a.allocateFrom(JAVA_LONG, pairs);
            UcNative.Watch.HOST.invokeExact(ranges, (long) (pairs.length / 2));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UnicornException("uc_lxrun_watch_host: " + t);
        }
    }

    private static final class ParallelCapable {
        static final boolean PRESENT = UnicornLibrary.get().symbol("uc_lxrun_set_parallel").isPresent();
    }

    private static volatile boolean parallelTranslation;
    /**
     * -Dlxrun.test.serialTranslation=true keeps serial translations even for parallel threads, so
     * that tests can show what patch 0010 prevents (lost lock-prefixed updates); never for real use.
     */
    private static final boolean SERIAL_CODE_FOR_TESTS = Boolean.getBoolean("lxrun.test.serialTranslation");

    /**
     * From now on every engine opened translates for a parallel context (see parallelCapable;
     * the kernel turns it on once, before the first guest engine, when threads run in parallel).
     * All engines then share one kind of translation, so an engine reused by another process or
     * thread never mixes serial code with parallel code.
     */
    public static void translateForParallel() {
        if (!parallelCapable()) throw new IllegalStateException("this Unicorn build cannot translate for parallel threads");
        parallelTranslation = true;
    }

    /** Whether this Unicorn build is the one whose TLB counters lxrun repairs (see TlbBookkeeping). */
    public static boolean repairsTlbCounters() {
        return TlbBookkeeping.supported();
    }

    /** The uc_engine handle, for tests that drive Unicorn's API directly. */
    MemorySegment handle() { return uc; }

    /** Entries in the largest of this CPU's softmmu TLBs, or -1 if this Unicorn build's layout is unknown. */
    public long tlbEntries() {
        if (tlb == null) tlb = TlbBookkeeping.find(uc).orElse(null);
        return tlb == null ? -1 : tlb.entries();
    }

    // ---- hooks ----

    /**
     * Sends every SYSCALL instruction to handler. The hook is installed once; a later call only
     * retargets it (an engine kept for reuse serves a new task).
     */
    public void onSyscall(SyscallHandler handler) {
        boolean first = syscallHandler == null;
        syscallHandler = handler;
        if (!first) return;
        MethodHandle target = bind("syscallUpcall", MethodType.methodType(void.class, MemorySegment.class, MemorySegment.class));
        MemorySegment stub = UnicornLibrary.get().linker().upcallStub(target, FunctionDescriptor.ofVoid(ADDRESS, ADDRESS), arena);
        MemorySegment hh = arena.allocate(JAVA_LONG);
        try {
            check("uc_hook_add(SYSCALL)", (int) UcNative.Hooks.ADD_INSN.invokeExact(uc, hh, UC_HOOK_INSN, stub,
                    MemorySegment.NULL, 1L, 0L, UC_X86_INS_SYSCALL));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UnicornException("uc_hook_add: " + t);
        }
    }

    /** Sends interrupts (INT n, faults Unicorn reports as interrupts) to handler; retargets like onSyscall. */
    public void onInterrupt(InterruptHandler handler) {
        boolean first = interruptHandler == null;
        interruptHandler = handler;
        if (!first) return;
        MethodHandle target = bind("interruptUpcall", MethodType.methodType(void.class, MemorySegment.class, int.class, MemorySegment.class));
        MemorySegment stub = UnicornLibrary.get().linker().upcallStub(target, FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, ADDRESS), arena);
        addHook("INTR", UC_HOOK_INTR, stub);
    }

    /**
     * Sends every guest store into executable memory to handler (lxrun's own build only; a no-op
     * on others, whose stores into RWX code other engines then never hear of). Retargets like
     * onSyscall.
     */
    public void onCodeWrite(CodeWriteHandler handler) {
        boolean first = codeWriteHandler == null;
        codeWriteHandler = handler;
        if (!first || !ownBuild()) return;
        MethodHandle target = bind("codeWriteUpcall", MethodType.methodType(void.class, MemorySegment.class, long.class, long.class));
        MemorySegment stub = UnicornLibrary.get().linker().upcallStub(target, FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_LONG), arena);
        try {
            UcNative.CodeWrite.ON_CODE_WRITE.invokeExact(uc, stub, MemorySegment.NULL);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UnicornException("uc_lxrun_on_code_write: " + t);
        }
    }

    @SuppressWarnings("unused") // called from native code
    private void codeWriteUpcall(MemorySegment opaque, long address, long size) {
        try {
            codeWriteHandler.onCodeWrite(this, address, size);
        } catch (Throwable t) {
            failFromCallback(t);
        }
    }

    /**
     * Records the type and address of every access Unicorn refuses (unmapped or protected), which
     * its error return does not say; the access still faults. Unicorn calls such hooks only on
     * its fault path, so mapped accesses cost nothing more. Installed once per engine.
     */
    public void recordMemoryFaults() {
        if (faultHookInstalled) return;
        faultHookInstalled = true;
        MethodHandle target = bind("memoryFaultUpcall", MethodType.methodType(boolean.class, MemorySegment.class, int.class,
                long.class, int.class, long.class, MemorySegment.class));
        MemorySegment stub = UnicornLibrary.get().linker().upcallStub(target,
                FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_BOOLEAN, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS), arena);
        addHook("MEM_INVALID", UC_HOOK_MEM_INVALID, stub);
    }

    /** Registers stub as a hook of the given type over all memory, for the engine's lifetime. */
    private void addHook(String name, int type, MemorySegment stub) {
        MemorySegment hh = arena.allocate(JAVA_LONG);
        try {
            check("uc_hook_add(" + name + ")", (int) UcNative.Hooks.ADD.invokeExact(uc, hh, type, stub,
                    MemorySegment.NULL, 1L, 0L));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UnicornException("uc_hook_add: " + t);
        }
    }

    /** Unicorn's uc_mem_type of the last refused access: 19/20/21 read/write/fetch unmapped, 23/22/24 read/write/fetch protected. */
    public int lastFaultType() { return faultType; }

    /** The address of the last refused access (the first byte Unicorn could not reach). */
    public long lastFaultAddress() { return faultAddress; }

    @SuppressWarnings("unused") // called from native code
    private boolean memoryFaultUpcall(MemorySegment ucPtr, int type, long address, int size, long value, MemorySegment userData) {
        faultType = type;
        faultAddress = address;
        return false;
    }

    private MethodHandle bind(String name, MethodType type) {
        try {
            return MethodHandles.lookup().findVirtual(Engine.class, name, type).bindTo(this);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unused") // called from native code
    private void syscallUpcall(MemorySegment ucPtr, MemorySegment userData) {
        try {
            syscallHandler.onSyscall(this);
        } catch (Throwable t) {
            failFromCallback(t);
        }
    }

    @SuppressWarnings("unused") // called from native code
    private void interruptUpcall(MemorySegment ucPtr, int vector, MemorySegment userData) {
        try {
            interruptHandler.onInterrupt(this, vector);
        } catch (Throwable t) {
            failFromCallback(t);
        }
    }

    private void failFromCallback(Throwable t) {
        if (callbackFailure == null) callbackFailure = t;
        try {
            stop();
        } catch (Throwable ignored) {
            // already failing; the recorded throwable is what matters
        }
    }

    // ---- running ----

    /**
     * Runs guest code from begin until stop() or a fault. Returns Unicorn's status: OK when
     * stopped on request, a fault code (READ_UNMAPPED, INSN_INVALID, ...) when the guest faulted.
     * A Throwable raised inside a callback is rethrown here.
     */
    public UcError start(long begin) {
        return run(begin, -1L);
    }

    /** Runs guest code from begin until it reaches until (exclusive). */
    public UcError runUntil(long begin, long until) {
        return run(begin, until, 0L);
    }

    /**
     * Runs exactly one guest instruction from begin (ptrace's single-step). Unicorn counts with a
     * code hook it adds to this engine, flushing the engine's translations, and removes (flushing
     * again) at the next uncounted start: only a single-stepped engine pays for it.
     */
    public UcError step(long begin) {
        return run(begin, -1L, 1L);
    }

    private UcError run(long begin, long until) {
        return run(begin, until, 0L);
    }

    private UcError run(long begin, long until, long count) {
        int err;
        try {
            err = (int) UcNative.Emu.START.invokeExact(uc, begin, until, 0L, count);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UnicornException("uc_emu_start: " + t);
        }
        Throwable failure = callbackFailure;
        if (failure != null) {
            callbackFailure = null;
            if (failure instanceof RuntimeException re) throw re;
            if (failure instanceof Error er) throw er;
            throw new IllegalStateException(failure);
        }
        return UcError.of(err);
    }

    /**
     * Asks the running emulation to stop; safe from callbacks. From a hook the stop takes effect
     * when the hook returns. From another thread it is exact only on lxrun's own build
     * ({@link #ownBuild}); on another build the guest must not be resumed after such a stop.
     */
    public void stop() {
        try {
            int ignored = (int) UcNative.Emu.STOP.invokeExact(uc);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UnicornException("uc_emu_stop: " + t);
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            int ignored = (int) UcNative.Lifecycle.CLOSE.invokeExact(uc);
        } catch (Throwable t) {
            // closing is best effort; the process is going away
        }
        arena.close();
    }
}
