package dev.lxrun.cpu;

/** Called on the emulating thread when the guest executes SYSCALL. */
@FunctionalInterface
public interface SyscallHandler {
    void onSyscall(Engine engine);
}
