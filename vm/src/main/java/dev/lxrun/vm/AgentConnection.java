package dev.lxrun.vm;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * lxrun's side of the agent protocol spoken with the guest's init over the virtio-serial port
 * (QEMU relays the port to a Unix socket). Frames are a type byte, a little-endian length, and
 * the payload; see vm/src/main/c/lxinit.c for the types.
 */
final class AgentConnection implements AutoCloseable {
    static final int MAX_PAYLOAD = 1 << 20;

    record Frame(byte type, byte[] payload) {
        int u32() {
            return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        }
    }

    private final SocketChannel channel;
    private final Object writeLock = new Object();
    private final ByteBuffer header = ByteBuffer.allocate(5).order(ByteOrder.LITTLE_ENDIAN);

    private AgentConnection(SocketChannel channel) {
        this.channel = channel;
    }

    static AgentConnection connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return new AgentConnection(ch);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    void send(char type, byte[] payload, int len) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(5).order(ByteOrder.LITTLE_ENDIAN);
        head.put((byte) type).putInt(len).flip();
        synchronized (writeLock) {
            while (head.hasRemaining()) channel.write(head);
            ByteBuffer body = ByteBuffer.wrap(payload, 0, len);
            while (body.hasRemaining()) channel.write(body);
        }
    }

    void send(char type) throws IOException {
        send(type, new byte[0], 0);
    }

    void sendU32(char type, int value) throws IOException {
        byte[] b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
        send(type, b, 4);
    }

    /** Blocks for the next frame; EOFException when the guest side is gone. */
    Frame receive() throws IOException {
        header.clear();
        readFully(header);
        byte type = header.get(0);
        int len = header.getInt(1);
        if (len < 0 || len > MAX_PAYLOAD) throw new IOException("bad frame from the VM agent (length " + len + ")");
        ByteBuffer body = ByteBuffer.allocate(len);
        readFully(body);
        return new Frame(type, body.array());
    }

    private void readFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) throw new EOFException("the VM closed the connection");
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a dead socket
        }
    }
}
