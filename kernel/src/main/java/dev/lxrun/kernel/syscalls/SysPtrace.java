package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.ptrace.Ptrace;

/** ptrace(2), and personality(2) which debuggers set before running their program: decodes the request and hands it to the kernel's ptrace layer (dev.lxrun.kernel.ptrace). */
final class SysPtrace {
    private SysPtrace() {}

    static long ptrace(Task t, long request, int pid, long addr, long data) {
        int req = (int) request;
        return switch (req) {
            case Ptrace.TRACEME -> Ptrace.traceMe(t);
            case Ptrace.ATTACH -> Ptrace.attach(t, pid, false, 0);
            case Ptrace.SEIZE -> addr != 0 ? -dev.lxrun.syscalls.Errno.EIO : Ptrace.attach(t, pid, true, data);
            default -> Ptrace.request(t, req, pid, addr, data);
        };
    }

    /**
     * As Linux since execution domains went (4.x): any value is stored and inherited, and the
     * old one returned; 0xffffffff only asks.
     */
    static long personality(Task t, long persona) {
        int old = t.process.personality;
        if ((int) persona == -1) return old;
        t.process.personality = (int) persona;
        return old;
    }
}
