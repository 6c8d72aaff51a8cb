package dev.lxrun.kernel;

/** Observes every completed syscall (--strace, and the compat harness's missing-syscall counts). */
@FunctionalInterface
public interface SyscallTracer {
    void trace(Task task, int nr, long[] args, long ret, boolean noReturn);
}
