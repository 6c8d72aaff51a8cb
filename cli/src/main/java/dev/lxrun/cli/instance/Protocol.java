package dev.lxrun.cli.instance;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What the client (tools/instance/lxrun-client.c) and the instance say to each other over the
 * socket, in host byte order. The client opens with a 16-byte header (magic, payload length, which
 * of its fds 0–2 ride along with SCM_RIGHTS, 0) and the payload: NUL-terminated strings cwd,
 * umask (octal), host parent pid, shell-outside flag (0/1), the signals the client inherited
 * ignored (bit sig-1), the number of resource limits and each one's soft and hard value (unsigned
 * decimal, RLIM_INFINITY as 2^64-1), argc, the arguments, envc, the
 * environment. Then both sides send 8-byte frames (type, value).
 */
final class Protocol {
    private Protocol() {}

    static final int MAGIC = 0x3149584c; // "LXI1"
    static final int HEADER = 16;
    static final int MAX_PAYLOAD = 16 << 20;

    /** Client to instance: a signal the client received, to forward. */
    static final int SIGNAL = 1;
    /** Instance to client: the program ended; value is the shell status (0–255). */
    static final int EXIT = 2;
    /** Instance to client: the program stopped (value: the signal); the client stops itself likewise. */
    static final int STOPPED = 3;
    /** Instance to client: refused (another uid); the client says so and exits 1. */
    static final int REFUSED = 4;

    static byte[] frame(int type, int value) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(type).putInt(value).array();
    }

    static int[] parseFrame(byte[] b) {
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
        return new int[] {bb.getInt(), bb.getInt()};
    }
}
