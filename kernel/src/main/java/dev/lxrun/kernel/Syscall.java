package dev.lxrun.kernel;

/**
 * A syscall handler: decodes raw argument registers, calls the kernel, returns the value for RAX
 * (a result, or -errno). Handlers are listed by number in {@link dev.lxrun.kernel.syscalls.Linux64}.
 */
@FunctionalInterface
public interface Syscall {
    long call(Task task, long[] args);
}
