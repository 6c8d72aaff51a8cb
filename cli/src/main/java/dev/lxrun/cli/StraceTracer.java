package dev.lxrun.cli;

import dev.lxrun.kernel.SyscallTracer;
import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.StraceFormatter;
import java.io.PrintStream;

/** --strace: one line per syscall on stderr, in strace's notation. */
final class StraceTracer implements SyscallTracer {
    private final PrintStream out;
    private final StraceFormatter formatter = new StraceFormatter();

    StraceTracer(PrintStream out) {
        this.out = out;
    }

    @Override
    public void trace(Task task, int nr, long[] args, long ret, boolean noReturn) {
        var mm = task.process.mm;
        String line = noReturn
                ? formatter.formatNoReturn(nr, args, mm::read)
                : formatter.format(nr, args, ret, mm::read);
        out.println(line);
        out.flush();
    }
}
