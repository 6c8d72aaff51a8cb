package dev.lxrun.cli.distro;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reports how many bytes of the archive file have been read, for the progress bar. */
final class CountingInputStream extends FilterInputStream {
    private final Progress progress;
    private long count;

    CountingInputStream(InputStream in, Progress progress) {
        super(in);
        this.progress = progress;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) moved(1);
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) moved(n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long k = super.skip(n);
        if (k > 0) moved(k);
        return k;
    }

    private void moved(long n) {
        count += n;
        if (progress != null) progress.set(count);
    }
}
