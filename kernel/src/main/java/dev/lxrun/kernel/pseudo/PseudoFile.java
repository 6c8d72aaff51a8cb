package dev.lxrun.kernel.pseudo;

import dev.lxrun.vfs.FileDescription;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An open synthetic file or directory: the content is fixed at open (as reading procfs gives one
 * consistent snapshot per read sequence), reads and seeks work on it, writes are refused.
 */
public final class PseudoFile implements FileDescription {
    private static final int EINVAL = 22, EISDIR = 21, ENOTDIR = 20, ENOTTY = 25, EACCES = 13, EBADF = 9;
    private static final int S_IFREG = 0100000, S_IFDIR = 0040000;

    private final String guestPath;
    private final byte[] content;           // files
    private List<PseudoNode.Entry> entries;      // directories, listed at the first read
    private final java.util.function.Supplier<List<PseudoNode.Entry>> lister;
    private final long inode;
    private final int flags;
    private final PseudoNode.Writer writer;    // null: read-only
    private long offset;
    private final AtomicInteger refs = new AtomicInteger(1);

    private PseudoFile(String guestPath, byte[] content, java.util.function.Supplier<List<PseudoNode.Entry>> lister, int flags,
                       PseudoNode.Writer writer) {
        this.guestPath = guestPath;
        this.writer = writer;
        this.content = content;
        this.lister = lister;
        this.flags = flags;
        this.inode = 0x10000L + (guestPath.hashCode() & 0x7fffffffL);
    }

    public static PseudoFile file(String guestPath, byte[] content, int flags) {
        return new PseudoFile(guestPath, content, null, flags, null);
    }

    /** A file opened for writing too: each write goes to writer (content is what reads see). */
    public static PseudoFile writable(String guestPath, byte[] content, int flags, PseudoNode.Writer writer) {
        return new PseudoFile(guestPath, content, null, flags, writer);
    }

    /** A directory whose listing is taken when first read, so it includes the descriptor reading it. */
    public static PseudoFile directory(String guestPath, java.util.function.Supplier<List<PseudoNode.Entry>> lister, int flags) {
        return new PseudoFile(guestPath, null, lister, flags, null);
    }

    /** The guest path this was opened at (for *at() calls relative to a directory of ours). */
    public String guestPath() {
        return guestPath;
    }

    public boolean isDirectory() {
        return lister != null;
    }

    /** The file position (/proc/PID/fdinfo's pos). */
    public synchronized long position() {
        return offset;
    }

    private List<PseudoNode.Entry> entries() {
        if (entries == null && lister != null) entries = List.copyOf(lister.get());
        return entries;
    }

    @Override
    public synchronized long read(MemorySegment dst) {
        long n = pread(dst, offset);
        if (n > 0) offset += n;
        return n;
    }

    @Override
    public long write(MemorySegment src) {
        return pwrite(src, offset);
    }

    @Override
    public long pread(MemorySegment dst, long off) {
        if (content == null) return -EISDIR;
        if (off < 0) return -EINVAL;
        if (off >= content.length) return 0;
        int n = (int) Math.min(dst.byteSize(), content.length - off);
        MemorySegment.copy(MemorySegment.ofArray(content), off, dst, 0, n);
        return n;
    }

    /** Writes reach the writer whole, wherever the offset is (procfs files take one value per write). */
    /** A read-only /proc file is a seq_file on Linux, whose open drops FMODE_PWRITE: pwrite is ESPIPE. */
    public boolean refusesPositionedWrite() {
        return content != null && writer == null;
    }

    @Override
    public long pwrite(MemorySegment src, long off) {
        if (writer == null || (flags & 3) == 0) return -EBADF;
        return writer.write(src.toArray(ValueLayout.JAVA_BYTE));
    }

    @Override
    public synchronized long seek(long off, int whence) {
        long size = content == null ? entries().size() : content.length;
        long next = switch (whence) {
            case 0 -> off;
            case 1 -> offset + off;
            case 2 -> size + off;
            default -> -1;
        };
        if (next < 0) return -EINVAL;
        offset = next;
        return next;
    }

    @Override
    public int stat(MemorySegment st) {
        fillStat(st, inode, lister != null, 0);
        if (writer != null) st.set(ValueLayout.JAVA_INT, 24, S_IFREG | 0644);
        return 0;
    }

    /** struct stat as procfs reports it: mode 0444 files / 0555 directories, size 0, owner root. */
    public static void fillStat(MemorySegment st, long inode, boolean dir, long size) {
        st.fill((byte) 0);
        st.set(ValueLayout.JAVA_LONG, 0, 0x16L);               // st_dev: procfs
        st.set(ValueLayout.JAVA_LONG, 8, inode);
        st.set(ValueLayout.JAVA_LONG, 16, dir ? 2 : 1);         // st_nlink
        st.set(ValueLayout.JAVA_INT, 24, dir ? S_IFDIR | 0555 : S_IFREG | 0444);
        st.set(ValueLayout.JAVA_LONG, 48, size);
        st.set(ValueLayout.JAVA_LONG, 56, 1024);                // st_blksize
        long now = System.currentTimeMillis() / 1000;
        st.set(ValueLayout.JAVA_LONG, 72, now);
        st.set(ValueLayout.JAVA_LONG, 88, now);
        st.set(ValueLayout.JAVA_LONG, 104, now);
    }

    /** linux_dirent64 records from the current position; the offset counts entries. */
    @Override
    public synchronized long getdents64(MemorySegment buf) {
        if (lister == null) return -ENOTDIR;
        List<PseudoNode.Entry> list = entries();
        long pos = 0;
        while (offset < list.size()) {
            PseudoNode.Entry e = list.get((int) offset);
            byte[] name = e.name().getBytes(StandardCharsets.ISO_8859_1);
            int reclen = (19 + name.length + 1 + 7) & ~7;
            if (pos + reclen > buf.byteSize()) {
                if (pos == 0) return -EINVAL;
                break;
            }
            MemorySegment r = buf.asSlice(pos, reclen);
            r.fill((byte) 0);
            r.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, 0x20000L + ((guestPath + "/" + e.name()).hashCode() & 0x7fffffffL));
            r.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, offset + 1);
            r.set(ValueLayout.JAVA_SHORT_UNALIGNED, 16, (short) reclen);
            r.set(ValueLayout.JAVA_BYTE, 18, (byte) e.type());
            MemorySegment.copy(MemorySegment.ofArray(name), 0, r, 19, name.length);
            pos += reclen;
            offset++;
        }
        return pos;
    }

    @Override public int ioctl(long request, MemorySegment arg) { return -ENOTTY; }
    @Override public int truncate(long length) { return writer != null ? 0 : -EACCES; }
    @Override public int sync(boolean dataOnly) { return 0; }
    @Override public int statusFlags() { return flags & ~0100; }
    @Override public int hostFd() { return -1; }
    @Override public void retain() { refs.incrementAndGet(); }
    @Override public void release() { refs.decrementAndGet(); }
}
