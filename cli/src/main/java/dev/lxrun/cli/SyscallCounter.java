package dev.lxrun.cli;

import dev.lxrun.kernel.SyscallTracer;
import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Sysno;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * --syscall-log FILE: counts every syscall the guest (all its processes and threads) makes and
 * writes one "NUMBER NAME COUNT" line per distinct call when the program ends. The compat
 * harness reads it to name the unimplemented and partial calls a failing program hit; a
 * counter rather than parsed --strace output, because it costs nothing per call and never
 * mixes with the program's own stderr.
 */
final class SyscallCounter implements SyscallTracer {
    private final AtomicLongArray counts = new AtomicLongArray(Sysno.maxNumber() + 2);
    private final SyscallTracer next;

    /** next: another tracer (--strace) that sees every call too, or null. */
    SyscallCounter(SyscallTracer next) {
        this.next = next;
    }

    @Override
    public void trace(Task task, int nr, long[] args, long ret, boolean noReturn) {
        // Numbers outside the table share the last slot, written as -1 "unknown".
        counts.incrementAndGet(nr >= 0 && nr <= Sysno.maxNumber() ? nr : counts.length() - 1);
        if (next != null) next.trace(task, nr, args, ret, noReturn);
    }

    void write(Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int nr = 0; nr < counts.length(); nr++) {
            long n = counts.get(nr);
            if (n == 0) continue;
            boolean unknown = nr == counts.length() - 1 || !Sysno.exists(nr);
            sb.append(unknown && nr == counts.length() - 1 ? -1 : nr).append(' ')
              .append(unknown ? "unknown" : Sysno.name(nr)).append(' ').append(n).append('\n');
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8);
    }
}
