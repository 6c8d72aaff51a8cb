package dev.lxrun.cli;

import dev.lxrun.kernel.Syscall;
import dev.lxrun.kernel.syscalls.Linux64;
import dev.lxrun.net.NetShim;
import dev.lxrun.syscalls.SyscallTable;

/**
 * The syscall table a run of lxrun has: the kernel's own rows plus those of the modules the CLI
 * installs (net-shim's sockets). `lxrun syscalls` and compat reports classify with it, so they
 * describe what a run really does.
 */
public final class SyscallTables {
    private SyscallTables() {}

    public static SyscallTable<Syscall> full() {
        return NetShim.register(Linux64.table());
    }
}
