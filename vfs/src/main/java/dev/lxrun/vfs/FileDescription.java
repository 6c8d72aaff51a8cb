package dev.lxrun.vfs;

import java.lang.foreign.MemorySegment;

/**
 * An open file description (Linux "struct file"): shared by every fd that dup() or fork()
 * derives from one open(), with its offset and status flags. Buffers are host memory the
 * caller resolved from guest addresses, so I/O goes straight to or from guest memory.
 * Results are byte counts or -errno.
 */
public interface FileDescription {
    long read(MemorySegment dst);

    long write(MemorySegment src);

    long pread(MemorySegment dst, long offset);

    long pwrite(MemorySegment src, long offset);

    long seek(long offset, int whence);

    /** Fills a 144-byte x86-64 struct stat. */
    int stat(MemorySegment statBuf);

    long getdents64(MemorySegment buf);

    /** ioctl whose argument is a user buffer; -ENOTTY when the file has no such request. */
    int ioctl(long request, MemorySegment arg);

    int truncate(long length);

    int sync(boolean dataOnly);

    /** O_ACCMODE and status flags (O_APPEND, O_NONBLOCK, ...) as Linux reports them via F_GETFL. */
    int statusFlags();

    /** The host descriptor behind this file, or -1; lets *at() calls resolve relative to a dirfd. */
    int hostFd();

    /** Whether reads or writes may block until another party acts (pipes, terminals, sockets). */
    default boolean mayBlock() {
        return false;
    }

    void retain();

    /** Drops one reference; the last one closes the file. */
    void release();
}
