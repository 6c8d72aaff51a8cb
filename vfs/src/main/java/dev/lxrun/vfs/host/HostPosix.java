package dev.lxrun.vfs.host;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.lang.invoke.VarHandle;

/**
 * The host's POSIX file calls, for Linux hosts, where a guest file operation maps 1:1 onto the
 * host's: results, errno values, struct stat and linux_dirent64 layouts are already what the
 * guest expects. Every method returns the call's result, or -errno on failure (the kernel's
 * convention), so handlers can return it unchanged.
 */
public final class HostPosix {
    public static final int AT_FDCWD = -100;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<MemorySegment> STATE = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    private HostPosix() {}

    private static MethodHandle fn(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError(name)),
                fd, Linker.Option.captureCallState("errno"));
    }

    private static MethodHandle variadic(String name, FunctionDescriptor fd, int firstVariadic) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError(name)),
                fd, Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(firstVariadic));
    }

    /** Handles every program needs; each holder class is initialised on first use (a handle costs ~2 ms to make). */
    private static final class H {
        static final MethodHandle OPENAT = variadic("openat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), 3);
        static final MethodHandle CLOSE = fn("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        static final MethodHandle READ = fn("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        static final MethodHandle WRITE = fn("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        static final MethodHandle PREAD = fn("pread64", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
        static final MethodHandle LSEEK = fn("lseek64", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
        static final MethodHandle FSTAT = fn("fstat64", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        static final MethodHandle FSTATAT = fn("fstatat64", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        static final MethodHandle GETDENTS = fn("getdents64", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        static final MethodHandle READLINKAT = fn("readlinkat", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        static final MethodHandle FACCESSAT = fn("faccessat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        static final MethodHandle IOCTL = variadic("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), 2);
        static final MethodHandle DUP = fn("dup", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        static final MethodHandle FCNTL = variadic("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), 2);
    }

    /** Calls that change the file system: a program that only reads never makes these. */
    private static final class Changes {
        static final MethodHandle PWRITE = fn("pwrite64", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
        static final MethodHandle FTRUNCATE = fn("ftruncate64", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
        static final MethodHandle FSYNC = fn("fsync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        static final MethodHandle FDATASYNC = fn("fdatasync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        static final MethodHandle MKDIRAT = fn("mkdirat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle UNLINKAT = fn("unlinkat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle RENAMEAT = fn("renameat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        static final MethodHandle SYMLINKAT = fn("symlinkat", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        static final MethodHandle LINKAT = fn("linkat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class Umask {
        static final MethodHandle UMASK = LINKER.downcallHandle(LINKER.defaultLookup().find("umask").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static long fail(long rc) {
        if (rc != -1) return rc;
        return -(int) ERRNO.get(STATE.get(), 0L);
    }

    private static RuntimeException wrap(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    /** A NUL-terminated copy of a path for a native call. */
    public static MemorySegment cString(Arena arena, byte[] path) {
        MemorySegment s = arena.allocate(path.length + 1L);
        MemorySegment.copy(MemorySegment.ofArray(path), 0, s, 0, path.length);
        s.set(java.lang.foreign.ValueLayout.JAVA_BYTE, path.length, (byte) 0);
        return s;
    }

    public static int openat(int dirfd, MemorySegment path, int flags, int mode) {
        try { return (int) fail((int) H.OPENAT.invokeExact(STATE.get(), dirfd, path, flags, mode)); } catch (Throwable t) { throw wrap(t); }
    }

    public static int close(int fd) {
        try { return (int) fail((int) H.CLOSE.invokeExact(STATE.get(), fd)); } catch (Throwable t) { throw wrap(t); }
    }

    public static long read(int fd, MemorySegment buf) {
        try { return fail((long) H.READ.invokeExact(STATE.get(), fd, buf, buf.byteSize())); } catch (Throwable t) { throw wrap(t); }
    }

    public static long write(int fd, MemorySegment buf) {
        try { return fail((long) H.WRITE.invokeExact(STATE.get(), fd, buf, buf.byteSize())); } catch (Throwable t) { throw wrap(t); }
    }

    public static long pread(int fd, MemorySegment buf, long offset) {
        try { return fail((long) H.PREAD.invokeExact(STATE.get(), fd, buf, buf.byteSize(), offset)); } catch (Throwable t) { throw wrap(t); }
    }

    public static long pwrite(int fd, MemorySegment buf, long offset) {
        try { return fail((long) Changes.PWRITE.invokeExact(STATE.get(), fd, buf, buf.byteSize(), offset)); } catch (Throwable t) { throw wrap(t); }
    }

    public static long lseek(int fd, long offset, int whence) {
        try { return fail((long) H.LSEEK.invokeExact(STATE.get(), fd, offset, whence)); } catch (Throwable t) { throw wrap(t); }
    }

    /** Fills a 144-byte x86-64 struct stat. */
    public static int fstat(int fd, MemorySegment statBuf) {
        try { return (int) fail((int) H.FSTAT.invokeExact(STATE.get(), fd, statBuf)); } catch (Throwable t) { throw wrap(t); }
    }

    /** The S_IFMT bits of fd's st_mode (S_IFIFO, S_IFREG, ...), or 0 if fstat fails. */
    public static int fileType(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(144);
            return fstat(fd, st) == 0 ? st.get(java.lang.foreign.ValueLayout.JAVA_INT, 24) & 0170000 : 0;
        }
    }

    /** The device number (st_rdev) of fd when it is a character device, else -1 (also when fstat fails). */
    public static long characterDevice(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(144);
            if (fstat(fd, st) != 0 || (st.get(java.lang.foreign.ValueLayout.JAVA_INT, 24) & 0170000) != 0020000) return -1;
            return st.get(java.lang.foreign.ValueLayout.JAVA_LONG, 40);
        }
    }

    public static int fstatat(int dirfd, MemorySegment path, MemorySegment statBuf, int flags) {
        try { return (int) fail((int) H.FSTATAT.invokeExact(STATE.get(), dirfd, path, statBuf, flags)); } catch (Throwable t) { throw wrap(t); }
    }

    public static long getdents64(int fd, MemorySegment buf) {
        try { return fail((long) H.GETDENTS.invokeExact(STATE.get(), fd, buf, buf.byteSize())); } catch (Throwable t) { throw wrap(t); }
    }

    public static long readlinkat(int dirfd, MemorySegment path, MemorySegment buf) {
        try { return fail((long) H.READLINKAT.invokeExact(STATE.get(), dirfd, path, buf, buf.byteSize())); } catch (Throwable t) { throw wrap(t); }
    }

    /** How the JVM's own file APIs decode host file names (sun.jnu.encoding), for names lxrun decodes itself. */
    public static final Charset PATH_CHARSET =
            Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"), StandardCharsets.UTF_8);

    /**
     * The bytes of fd's /proc/self/fd link (the kernel's d_path of what it is open on), or null
     * with -errno in err[0] (err may be null).
     */
    public static byte[] fdLink(int fd, long[] err) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(4096);
            long n = readlinkat(AT_FDCWD, cString(a, ("/proc/self/fd/" + fd).getBytes(StandardCharsets.US_ASCII)), buf);
            if (n < 0) {
                if (err != null) err[0] = n;
                return null;
            }
            return buf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        }
    }

    /**
     * fd's link as the JVM would decode it (NIO's readSymbolicLink), or null when it has none:
     * one call, where NIO builds paths around it. exec, file mmaps and /proc/PID/fd use it.
     */
    public static String fdPath(int fd) {
        byte[] link = fdLink(fd, null);
        return link == null || link.length == 0 ? null : new String(link, PATH_CHARSET);
    }

    public static int faccessat(int dirfd, MemorySegment path, int mode, int flags) {
        try { return (int) fail((int) H.FACCESSAT.invokeExact(STATE.get(), dirfd, path, mode, flags)); } catch (Throwable t) { throw wrap(t); }
    }

    public static int ioctl(int fd, long request, MemorySegment arg) {
        try { return (int) fail((int) H.IOCTL.invokeExact(STATE.get(), fd, request, arg)); } catch (Throwable t) { throw wrap(t); }
    }

    public static int dup(int fd) {
        try { return (int) fail((int) H.DUP.invokeExact(STATE.get(), fd)); } catch (Throwable t) { throw wrap(t); }
    }

    public static int fcntl(int fd, int cmd, long arg) {
        try { return (int) fail((int) H.FCNTL.invokeExact(STATE.get(), fd, cmd, arg)); } catch (Throwable t) { throw wrap(t); }
    }

    public static int ftruncate(int fd, long length) {
        try { return (int) fail((int) Changes.FTRUNCATE.invokeExact(STATE.get(), fd, length)); } catch (Throwable t) { throw wrap(t); }
    }

    public static int fsync(int fd, boolean dataOnly) {
        try {
            return (int) fail(dataOnly ? (int) Changes.FDATASYNC.invokeExact(STATE.get(), fd) : (int) Changes.FSYNC.invokeExact(STATE.get(), fd));
        } catch (Throwable t) { throw wrap(t); }
    }

    public static int mkdirat(int dirfd, MemorySegment path, int mode) {
        try { return (int) fail((int) Changes.MKDIRAT.invokeExact(STATE.get(), dirfd, path, mode)); } catch (Throwable t) { throw wrap(t); }
    }

    public static int symlinkat(MemorySegment target, int dirfd, MemorySegment linkpath) {
        try { return (int) fail((int) Changes.SYMLINKAT.invokeExact(STATE.get(), target, dirfd, linkpath)); } catch (Throwable t) { throw wrap(t); }
    }

    public static int linkat(int olddirfd, MemorySegment oldpath, int newdirfd, MemorySegment newpath, int flags) {
        try {
            return (int) fail((int) Changes.LINKAT.invokeExact(STATE.get(), olddirfd, oldpath, newdirfd, newpath, flags));
        } catch (Throwable t) { throw wrap(t); }
    }

    public static int unlinkat(int dirfd, MemorySegment path, int flags) {
        try { return (int) fail((int) Changes.UNLINKAT.invokeExact(STATE.get(), dirfd, path, flags)); } catch (Throwable t) { throw wrap(t); }
    }

    public static int renameat(int olddirfd, MemorySegment oldpath, int newdirfd, MemorySegment newpath) {
        try { return (int) fail((int) Changes.RENAMEAT.invokeExact(STATE.get(), olddirfd, oldpath, newdirfd, newpath)); } catch (Throwable t) { throw wrap(t); }
    }

    /** Sets the host umask (returns the previous one). */
    public static int umask(int mask) {
        try { return (int) Umask.UMASK.invokeExact(mask); } catch (Throwable t) { throw wrap(t); }
    }
}
