package dev.lxrun.net;

import dev.lxrun.kernel.Kernel;
import dev.lxrun.kernel.Syscall;
import dev.lxrun.syscalls.SyscallTable;

/**
 * The net-shim module's entry point. Guest sockets are host sockets: the module adds the socket
 * family to a kernel's syscall table and makes host descriptors the guest is handed (its stdio)
 * sockets when they are, the way the CLI mounts procfs. The kernel knows sockets only through
 * its own {@link dev.lxrun.kernel.net.GuestSocket} interface.
 */
public final class NetShim {
    private NetShim() {}

    /** Installs sockets into kernel; call before the first guest runs. */
    public static void install(Kernel kernel) {
        register(kernel.syscalls);
        kernel.describeHostDescriptorsWith(HostSocket::describe);
    }

    /** Adds the socket syscalls to table (also for `lxrun syscalls`, which lists the full table). */
    public static SyscallTable<Syscall> register(SyscallTable<Syscall> table) {
        SocketSyscalls.register(table);
        return table;
    }
}
