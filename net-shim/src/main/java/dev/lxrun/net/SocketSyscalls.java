package dev.lxrun.net;

import static dev.lxrun.syscalls.Sysno.*;

import dev.lxrun.kernel.Syscall;
import dev.lxrun.syscalls.SyscallTable;

/**
 * The socket family's rows of the syscall table, with support levels and notes as `lxrun
 * syscalls` shows them. Handlers only decode the argument registers.
 */
final class SocketSyscalls {
    private SocketSyscalls() {}

    static void register(SyscallTable<Syscall> t) {
        t.partial(SOCKET, "AF_UNIX, AF_INET, AF_INET6, AF_NETLINK as host sockets; other families EAFNOSUPPORT",
                (k, a) -> SysSocket.socket(k, (int) a[0], (int) a[1], (int) a[2]));
        t.supported(SOCKETPAIR, (k, a) -> SysSocket.socketpair(k, (int) a[0], (int) a[1], (int) a[2], a[3]));
        t.supported(BIND, (k, a) -> SysSocket.bind(k, (int) a[0], a[1], a[2]));
        t.supported(CONNECT, (k, a) -> SysSocket.connect(k, (int) a[0], a[1], a[2]));
        t.partial(LISTEN, "TCP accept queues are at least " + SysSocket.MIN_TCP_BACKLOG + " long on the host, so slow "
                + "fork-per-connection servers under lxrun do not drop connections; AF_UNIX keeps the guest's backlog",
                (k, a) -> SysSocket.listen(k, (int) a[0], (int) a[1]));
        t.supported(ACCEPT, (k, a) -> SysSocket.accept4(k, (int) a[0], a[1], a[2], 0));
        t.supported(ACCEPT4, (k, a) -> SysSocket.accept4(k, (int) a[0], a[1], a[2], (int) a[3]));
        t.supported(GETSOCKNAME, (k, a) -> SysSocket.name(k, GETSOCKNAME, (int) a[0], a[1], a[2]));
        t.supported(GETPEERNAME, (k, a) -> SysSocket.name(k, GETPEERNAME, (int) a[0], a[1], a[2]));
        t.supported(SHUTDOWN, (k, a) -> SysSocket.shutdown(k, (int) a[0], (int) a[1]));
        t.supported(SENDTO, (k, a) -> SysTransfer.sendto(k, (int) a[0], a[1], a[2], (int) a[3], a[4], a[5]));
        t.supported(RECVFROM, (k, a) -> SysTransfer.recvfrom(k, (int) a[0], a[1], a[2], (int) a[3], a[4], a[5]));
        t.partial(SETSOCKOPT, "option values are passed to the host as they are (no option holds a guest pointer)",
                (k, a) -> SysSocket.setsockopt(k, (int) a[0], (int) a[1], (int) a[2], a[3], (int) a[4]));
        t.supported(GETSOCKOPT, (k, a) -> SysSocket.getsockopt(k, (int) a[0], (int) a[1], (int) a[2], a[3], a[4]));
        t.partial(SENDMSG, "SCM_RIGHTS translated; explicit SCM_CREDENTIALS must name the sender (any live guest "
                        + "when privileged) and reach a guest receiver as sent; other control messages are the host's",
                (k, a) -> SysMsg.msg(k, (int) a[0], a[1], (int) a[2], true));
        t.partial(RECVMSG, "SCM_CREDENTIALS name the guest that last sent to the socket: with several guests' "
                        + "messages queued, all carry the latest sender",
                (k, a) -> SysMsg.msg(k, (int) a[0], a[1], (int) a[2], false));
        t.partial(SENDMMSG, "each message is one sendmsg (see sendmsg)",
                (k, a) -> SysMmsg.sendmmsg(k, (int) a[0], a[1], a[2], (int) a[3]));
        t.partial(RECVMMSG, "each message is one recvmsg (see recvmsg); the timeout is checked after each message, as on Linux",
                (k, a) -> SysMmsg.recvmmsg(k, (int) a[0], a[1], a[2], (int) a[3], a[4]));
    }
}
