package dev.lxrun.kernel.gdbstub;

/**
 * gdb's remote protocol numbers signals its own way (enum gdb_signal), which agrees with Linux
 * for 1-6, 8, 9, 11 and 13-15 only. This is the table between the two for x86-64 Linux.
 */
final class SignalNumbers {
    /** GDB_SIGNAL_* for Linux signals 1..31 (index = Linux number). */
    private static final int[] TO_GDB = {0,
        1, 2, 3, 4, 5, 6, 10 /* BUS */, 8, 9, 30 /* USR1 */, 11, 31 /* USR2 */, 13, 14, 15,
        143 /* STKFLT: gdb has none, "unknown" */, 20 /* CHLD */, 19 /* CONT */, 17 /* STOP */, 18 /* TSTP */,
        21, 22, 16 /* URG */, 24, 25, 26, 27, 28, 23 /* IO */, 32 /* PWR */, 12 /* SYS */};
    private static final int GDB_REALTIME_33 = 45, GDB_REALTIME_32 = 77, GDB_REALTIME_64 = 78, GDB_UNKNOWN = 143;

    private SignalNumbers() {}

    static int toGdb(int linux) {
        if (linux > 0 && linux < 32) return TO_GDB[linux];
        if (linux == 32) return GDB_REALTIME_32;
        if (linux >= 33 && linux <= 63) return GDB_REALTIME_33 + (linux - 33);
        if (linux == 64) return GDB_REALTIME_64;
        return linux == 0 ? 0 : GDB_UNKNOWN;
    }

    /** The Linux signal for a gdb number (0 for none or one Linux lacks). */
    static int toLinux(int gdb) {
        if (gdb == 0) return 0;
        for (int l = 1; l <= 64; l++) {
            if (toGdb(l) == gdb) return l;
        }
        return 0;
    }
}
