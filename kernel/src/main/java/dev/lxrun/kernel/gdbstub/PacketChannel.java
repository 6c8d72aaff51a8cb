package dev.lxrun.kernel.gdbstub;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The framing of gdb's remote serial protocol over one connection: {@code $data#cs} packets with
 * a two-digit checksum, '+'/'-' acknowledgements (until no-ack mode is agreed), '}' escapes, and
 * the lone 0x03 byte gdb sends to interrupt a running program. Packet data are kept as ISO-8859-1
 * strings so binary payloads (the X packet) survive byte for byte.
 */
final class PacketChannel {
    static final int INTERRUPT = 0x03;

    private final InputStream in;
    private final OutputStream out;
    private boolean acks = true;
    private byte[] lastSent;
    /** An interrupt byte that arrived while a packet was expected; taken by the next {@link #interrupted}. */
    private boolean interruptSeen;

    PacketChannel(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    /** After QStartNoAckMode was answered: neither side sends or expects '+' any more. */
    void stopAcks() {
        acks = false;
    }

    /** The next packet's data (unescaped, checksum checked); an interrupt byte is remembered, not returned. */
    String read() throws IOException {
        while (true) {
            int c = in.read();
            if (c < 0) throw new EOFException();
            if (c == INTERRUPT) {
                interruptSeen = true;
                continue;
            }
            if (c == '-' && lastSent != null) {
                out.write(lastSent); // gdb saw a bad checksum: send it again
                out.flush();
                continue;
            }
            if (c != '$') continue; // '+' and line noise
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            int sum = 0;
            boolean escaped = false;
            while (true) {
                c = in.read();
                if (c < 0) throw new EOFException();
                if (c == '#') break;
                sum += c;
                if (escaped) {
                    data.write(c ^ 0x20);
                    escaped = false;
                } else if (c == '}') {
                    escaped = true;
                } else {
                    data.write(c);
                }
            }
            int hi = in.read(), lo = in.read();
            if (hi < 0 || lo < 0) throw new EOFException();
            boolean ok = Character.digit(hi, 16) * 16 + Character.digit(lo, 16) == (sum & 0xff);
            if (acks) {
                out.write(ok ? '+' : '-');
                out.flush();
            }
            if (ok) return data.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** Sends one packet, escaping the bytes the framing reserves. */
    void send(String data) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(data.length() + 8);
        frame.write('$');
        int sum = 0;
        for (int i = 0; i < data.length(); i++) {
            int c = data.charAt(i) & 0xff;
            if (c == '$' || c == '#' || c == '}' || c == '*') {
                frame.write('}');
                sum += '}';
                c ^= 0x20;
            }
            frame.write(c);
            sum += c;
        }
        frame.write('#');
        frame.write(Character.forDigit((sum >> 4) & 0xf, 16));
        frame.write(Character.forDigit(sum & 0xf, 16));
        lastSent = frame.toByteArray();
        out.write(lastSent);
        out.flush();
    }

    /**
     * While the program runs: whether gdb asked to interrupt it (Ctrl-C), looking only at bytes
     * already received, so the caller can keep waiting for the program's own stop.
     */
    boolean interrupted() throws IOException {
        while (!interruptSeen && in.available() > 0) {
            int c = in.read();
            if (c < 0) throw new EOFException();
            if (c == INTERRUPT) interruptSeen = true;
        }
        boolean seen = interruptSeen;
        interruptSeen = false;
        return seen;
    }

    /** Bytes as gdb's lower-case hex pairs. */
    static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            s.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return s.toString();
    }

    static byte[] unhex(String s) {
        if ((s.length() & 1) != 0) throw new IllegalArgumentException("odd hex length");
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16), lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) throw new IllegalArgumentException("not hex: " + s);
            b[i] = (byte) (hi << 4 | lo);
        }
        return b;
    }

    static String hexText(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }
}
