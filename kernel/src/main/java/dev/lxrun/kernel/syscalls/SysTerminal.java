package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.ControllingTerminal;
import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;

/** Job-control ioctls on a terminal (lxrun's own or a guest pty, see ControllingTerminal); SysFile#ioctl routes them here. */
final class SysTerminal {
    private static final int TIOCSCTTY = 0x540E, TIOCGPGRP = 0x540F, TIOCSPGRP = 0x5410, TIOCGSID = 0x5429,
            TIOCNOTTY = 0x5422;

    private SysTerminal() {}

    static long jobControl(Task t, ControllingTerminal tty, long request, long arg) {
        switch ((int) request) {
            case TIOCGPGRP, TIOCGSID -> {
                long r = request == TIOCGPGRP ? tty.foregroundOf(t.process) : tty.sessionOf(t.process);
                if (r < 0) return r;
                t.process.mm.writeInt(arg, (int) r);
                return 0;
            }
            case TIOCSPGRP -> {
                return tty.setForeground(t, t.process.mm.readInt(arg));
            }
            case TIOCSCTTY -> {
                return tty.makeControlling(t.process, arg == 1);
            }
            case TIOCNOTTY -> {
                return tty.disassociate(t.process);
            }
            default -> {
                return -Errno.ENOTTY;
            }
        }
    }
}
