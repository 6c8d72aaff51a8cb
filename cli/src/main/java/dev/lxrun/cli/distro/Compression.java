package dev.lxrun.cli.distro;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

/** The compressions a root file system archive may have: found by its first bytes on import, by the file's name on export. */
enum Compression {
    NONE, GZIP, XZ, ZSTD, BZIP2;

    /** Recognises the compression from the stream's magic bytes (the name of a download may lie). */
    static InputStream decompress(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(8);
        byte[] m = in.readNBytes(6);
        in.reset();
        return switch (of(m)) {
            case GZIP -> new GzipCompressorInputStream(in, true);
            case XZ -> new XZCompressorInputStream(in, true);
            case ZSTD -> new ZstdCompressorInputStream(in);
            case BZIP2 -> new BZip2CompressorInputStream(in, true);
            case NONE -> in;
        };
    }

    private static Compression of(byte[] m) {
        if (m.length >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b) return GZIP;
        if (m.length >= 6 && (m[0] & 0xff) == 0xfd && m[1] == '7' && m[2] == 'z' && m[3] == 'X' && m[4] == 'Z' && m[5] == 0) return XZ;
        if (m.length >= 4 && (m[0] & 0xff) == 0x28 && (m[1] & 0xff) == 0xb5 && (m[2] & 0xff) == 0x2f && (m[3] & 0xff) == 0xfd) return ZSTD;
        if (m.length >= 3 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h') return BZIP2;
        return NONE;
    }

    /** The compression a file name asks for: .tar, .tar.gz/.tgz, .tar.xz/.txz, .tar.zst/.tzst. */
    static Compression forName(String file) {
        String f = file.toLowerCase(java.util.Locale.ROOT);
        if (f.endsWith(".gz") || f.endsWith(".tgz")) return GZIP;
        if (f.endsWith(".xz") || f.endsWith(".txz")) return XZ;
        if (f.endsWith(".zst") || f.endsWith(".tzst")) return ZSTD;
        if (f.endsWith(".tar")) return NONE;
        return null;
    }

    OutputStream compress(OutputStream out) throws IOException {
        return switch (this) {
            case GZIP -> new GzipCompressorOutputStream(out);
            case XZ -> new XZCompressorOutputStream(out, 6);
            case ZSTD -> new ZstdCompressorOutputStream(out, 3);
            case BZIP2 -> throw new IllegalStateException("bzip2 export is not offered");
            case NONE -> out;
        };
    }
}
