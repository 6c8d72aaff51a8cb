package dev.lxrun.cpu;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Keeps Unicorn's softmmu TLB at the size its own policy means it to have.
 *
 * <p>QEMU 5's TLB (Unicorn 2.1 is built on it) counts its used entries and, at each full flush,
 * doubles the table when more than 70% were used, or shrinks it after 100 ms of low use. The
 * count goes wrong under Unicorn: every entry for writable RAM carries TLB_NOTDIRTY (Unicorn
 * stubs the dirty-memory bitmap), so a store never hits the victim TLB; the refill then removes
 * the page's victim copy and evicts the current entry, counting both as removals for one
 * insertion. Each store that misses on a conflict takes one more off the count, it wraps below
 * zero (an unsigned size_t), and the next flush reads "100% used" and doubles the table. In the
 * dash loop of issue 4 the table of a warm engine reached 65,536 entries: every region change
 * then cleared 4 MiB (~0.4 ms), about 6 times per {@code /bin/true}.
 *
 * <p>The counters live in the CPU state, outside Unicorn's API. This class reaches them only in
 * the build it was written against (Debian's libunicorn2t64 2.1.4), recognised by the machine
 * code that uses those offsets: the offset of the CPU in uc_struct and of the CPU state in the
 * CPU as the library's own exported functions load them, and the resize routine reading the
 * counters. Any other build leaves {@link #find} empty and the TLB as Unicorn keeps it.
 * Before each region change (the only place lxrun makes Unicorn flush), a count or window
 * maximum that wrapped below zero is set back to zero.
 */
final class TlbBookkeeping {
    /** NB_MMU_MODES for x86: kernel with SMAP, user, kernel without SMAP. */
    private static final int MMU_MODES = 3;
    /** CPUTLBDesc: d[0] lies this far below the CPU state (env); one per MMU mode. */
    private static final long DESC_BELOW_ENV = 0x870, DESC_SIZE = 0x2b8;
    private static final long WINDOW_MAX = 0x18, N_USED = 0x20, LARGE_PAGE_ADDR = 0x0;
    /** CPUTLBDescFast f[mode] = {mask, table}, 16 bytes each, f[0] 0x40 below env; entries are 64 bytes. */
    private static final long FAST_BELOW_ENV = 0x40, ENTRY_BITS = 6;
    private static final long UC_CPU = 0x1b8, CPU_ENV = 0x128;

    private final MemorySegment descs;
    private final MemorySegment fasts;

    private TlbBookkeeping(long env) {
        this.descs = MemorySegment.ofAddress(env - DESC_BELOW_ENV).reinterpret(MMU_MODES * DESC_SIZE);
        this.fasts = MemorySegment.ofAddress(env - FAST_BELOW_ENV).reinterpret(MMU_MODES * 16L);
    }

    /** Whether the loaded library is the build whose layout this class knows. */
    static boolean supported() {
        return KnownBuild.RECOGNISED;
    }

    /**
     * The bookkeeping of uc's CPU, once Unicorn has created it (lazily, at the first call that
     * needs it); empty for an unknown build or a CPU state that does not look as expected.
     */
    static Optional<TlbBookkeeping> find(MemorySegment uc) {
        if (!supported()) return Optional.empty();
        long cpu = uc.reinterpret(UC_CPU + 8).get(JAVA_LONG, UC_CPU);
        if (cpu == 0) return Optional.empty();
        long env = MemorySegment.ofAddress(cpu).reinterpret(CPU_ENV + 8).get(JAVA_LONG, CPU_ENV);
        // env is inside the X86CPU that starts at cpu, past its CPUState and the TLB.
        if (env <= cpu + DESC_BELOW_ENV || env - cpu > (1 << 20)) return Optional.empty();
        TlbBookkeeping t = new TlbBookkeeping(env);
        return t.looksValid() ? Optional.of(t) : Optional.empty();
    }

    /** Whether Unicorn has created uc's CPU (only meaningful for the known build). */
    static boolean cpuCreated(MemorySegment uc) {
        return uc.reinterpret(UC_CPU + 8).get(JAVA_LONG, UC_CPU) != 0;
    }

    /** Every mode's mask is (2^k - 1) entries of 64 bytes with a table behind it. */
    private boolean looksValid() {
        for (int m = 0; m < MMU_MODES; m++) {
            long mask = fasts.get(JAVA_LONG, 16L * m), table = fasts.get(JAVA_LONG, 16L * m + 8);
            long entries = (mask >>> ENTRY_BITS) + 1;
            if ((mask & ((1 << ENTRY_BITS) - 1)) != 0 || Long.bitCount(entries) != 1 || entries < 64 || entries > (1 << 22)) return false;
            if (table == 0) return false;
            long lpa = descs.get(JAVA_LONG, m * DESC_SIZE + LARGE_PAGE_ADDR);
            if (lpa != -1 && (lpa & 0xfff) != 0) return false;
        }
        return true;
    }

    /** Sets counters that wrapped below zero back to zero, so the next flush sizes the TLB on real use. */
    void repair() {
        for (int m = 0; m < MMU_MODES; m++) {
            long d = m * DESC_SIZE;
            if (descs.get(JAVA_LONG, d + N_USED) < 0) descs.set(JAVA_LONG, d + N_USED, 0);
            if (descs.get(JAVA_LONG, d + WINDOW_MAX) < 0) descs.set(JAVA_LONG, d + WINDOW_MAX, 0);
        }
    }

    /** Entries of the largest of the CPU's TLBs. */
    long entries() {
        long max = 0;
        for (int m = 0; m < MMU_MODES; m++) max = Math.max(max, (fasts.get(JAVA_LONG, 16L * m) >>> ENTRY_BITS) + 1);
        return max;
    }

    /**
     * The machine code that fixes the offsets above, as Debian's 2.1.4 build has it: uc_emu_stop
     * loading uc->cpu, tlb_reset_dirty loading cpu->env_ptr and the address of f[0], and the
     * static resize routine (a fixed distance before tlb_flush in that build) loading the window
     * start, the used count and the window maximum of the CPUTLBDesc it is given, and the victim
     * lookup comparing d[0].vtable (0x840 below env, 0x30 into d[0]) and indexing d[] by its size.
     */
    private static final class KnownBuild {
        static final boolean RECOGNISED = recognised();
    }

    private static boolean recognised() {
        try {
            UnicornLibrary lib = UnicornLibrary.get();
            return codeAt(lib, "uc_emu_stop", 0x21, "488bbfb8010000 4885ff")
                    && codeAt(lib, "tlb_reset_dirty_x86_64", 0x0e, "4c8b9028010000 4d8d4ac0")
                    && codeAt(lib, "tlb_flush_x86_64", 0, "f30f1efa be07000000")
                    && codeAt(lib, "tlb_flush_x86_64", -0x1900 + 0x0e, "488b36 488b4710 4c8b5f20 488b4f18 48c1ee06")
                    && codeAt(lib, "tlb_flush_x86_64", -0x1a20, "4c3980c0f7ffff")
                    && codeAt(lib, "tlb_flush_x86_64", -0x19e5, "4869f6b8020000");
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean codeAt(UnicornLibrary lib, String symbol, long offset, String hex) {
        byte[] want = HexFormat.of().parseHex(hex.replace(" ", ""));
        Optional<MemorySegment> sym = lib.symbol(symbol);
        if (sym.isEmpty()) return false;
        MemorySegment code = MemorySegment.ofAddress(sym.get().address() + offset).reinterpret(want.length);
        for (int i = 0; i < want.length; i++) {
            if (code.get(JAVA_BYTE, i) != want[i]) return false;
        }
        return true;
    }
}
