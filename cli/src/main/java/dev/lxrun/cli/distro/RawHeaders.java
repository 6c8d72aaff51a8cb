package dev.lxrun.cli.distro;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The tar stream's header blocks as they were read, which Commons Compress does not give: it
 * strips a leading '/' from member names (absolute names must be refused, not quietly
 * relocated), does not insist on header checksums, and takes an archive that simply stops
 * after a member for a complete one. The stream between two members' data is captured, and
 * checked here: each header's checksum, the name as the archive spelled it (ustar
 * prefix/name, a GNU long name, a pax path), and the end-of-archive block at the end.
 */
final class RawHeaders extends FilterInputStream {
    private static final int BLOCK = 512, LIMIT = 4 << 20;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private long position, captureStart;
    private boolean capturing, overflow;

    RawHeaders(InputStream in) {
        super(in);
    }

    long position() {
        return position;
    }

    /** Starts recording the bytes read from here on (called before asking for the next member). */
    void capture() {
        captured.reset();
        captureStart = position;
        capturing = true;
        overflow = false;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) record(new byte[] {(byte) b}, 0, 1);
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) record(b, off, n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Read rather than skip, so that positions stay exact and headers are seen.
        byte[] tmp = new byte[(int) Math.min(n, 65536)];
        int r = read(tmp, 0, tmp.length);
        return Math.max(r, 0);
    }

    private void record(byte[] b, int off, int n) {
        position += n;
        if (!capturing) return;
        if (captured.size() + n > LIMIT) overflow = true;
        else captured.write(b, off, n);
    }

    /**
     * The name the member just read has in the archive, after checking the checksums of its
     * header blocks. dataStart is where the previous member's data began and prevSize its size
     * (0 and 0 for the first member).
     */
    String memberName(long prevEnd) throws ImportException {
        capturing = false;
        if (overflow) return null;
        byte[] r = captured.toByteArray();
        int off = (int) (prevEnd - captureStart);
        String paxPath = null, longName = null;
        while (off >= 0 && off + BLOCK <= r.length) {
            checksum(r, off);
            byte type = r[off + 156];
            long size = octal(r, off + 124, 12);
            int data = off + BLOCK;
            int next = (int) (data + ((size + BLOCK - 1) / BLOCK) * BLOCK);
            if (type == 'x' || type == 'X') {
                paxPath = paxValue(r, data, (int) Math.min(size, r.length - data), "path");
            } else if (type == 'L') {
                longName = cString(r, data, (int) Math.min(size, r.length - data));
            } else if (type == 'g' || type == 'K') {
                // Global pax records and GNU long link names: not a member's own name.
            } else {
                String name = cString(r, off, 100);
                boolean ustar = r[off + 257] == 'u' && r[off + 258] == 's' && r[off + 259] == 't' && r[off + 260] == 'a' && r[off + 261] == 'r';
                String prefix = ustar && r[off + 262] == 0 ? cString(r, off + 345, 155) : "";
                if (!prefix.isEmpty()) name = prefix + "/" + name;
                return paxPath != null ? paxPath : longName != null ? longName : name;
            }
            off = next;
        }
        return null;
    }

    /** After the last member: the archive must end with its zero block, or it was cut short. */
    void checkEnd(long prevEnd) throws ImportException {
        capturing = false;
        if (overflow) return;
        byte[] r = captured.toByteArray();
        int off = (int) (prevEnd - captureStart);
        if (off < 0 || off + BLOCK > r.length) throw new ImportException("truncated archive: it ends without tar's end-of-archive block");
        for (int i = off; i < off + BLOCK; i++) {
            if (r[i] != 0) throw new ImportException("corrupt archive: unreadable data after the last member");
        }
    }

    private static void checksum(byte[] r, int off) throws ImportException {
        long stored = octal(r, off + 148, 8);
        long unsigned = 0, signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            byte b = (i >= 148 && i < 156) ? (byte) ' ' : r[off + i];
            unsigned += b & 0xff;
            signed += b;
        }
        if (stored != unsigned && stored != signed) throw new ImportException("corrupt archive: a header's checksum does not match");
    }

    private static long octal(byte[] r, int off, int len) {
        if ((r[off] & 0x80) != 0) { // base-256 (GNU/star big numbers)
            long v = r[off] & 0x7f;
            for (int i = 1; i < len; i++) v = (v << 8) | (r[off + i] & 0xff);
            return v;
        }
        long v = 0;
        for (int i = 0; i < len; i++) {
            byte b = r[off + i];
            if (b == 0 || b == ' ') {
                if (v != 0) break;
                continue;
            }
            if (b < '0' || b > '7') break;
            v = v * 8 + (b - '0');
        }
        return v;
    }

    private static String cString(byte[] r, int off, int max) {
        int end = off;
        while (end < off + max && end < r.length && r[end] != 0) end++;
        return new String(r, off, end - off, StandardCharsets.ISO_8859_1);
    }

    /** A key's value in pax records ("LEN key=value\n"), or null. */
    private static String paxValue(byte[] r, int off, int len, String key) {
        String text = new String(r, off, Math.max(0, len), StandardCharsets.ISO_8859_1);
        String found = null;
        for (int i = 0; i < text.length(); ) {
            int sp = text.indexOf(' ', i);
            if (sp < 0) break;
            int n;
            try {
                n = Integer.parseInt(text.substring(i, sp));
            } catch (NumberFormatException e) {
                break;
            }
            if (n <= 0 || i + n > text.length()) break;
            String rec = text.substring(sp + 1, i + n - 1);
            if (rec.startsWith(key + "=")) found = rec.substring(key.length() + 1);
            i += n;
        }
        return found;
    }
}
