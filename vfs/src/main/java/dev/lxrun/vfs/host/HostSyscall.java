package dev.lxrun.vfs.host;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The host's raw syscall(2), for the many file-metadata calls whose arguments and structures
 * are already in the guest's layout on a Linux x86-64 host (statx, xattrs, utimensat, ...).
 * One downcall handle serves them all; pointer arguments are host addresses, which guest
 * memory already is. Hot paths (read, write, openat) keep their own typed handles in HostPosix.
 */
public final class HostSyscall {
    public static final int SENDFILE = 40, FCHMOD = 91, FCHOWN = 93, TRUNCATE = 76, STATFS = 137, FSTATFS = 138,
            SYNC = 162, SETXATTR = 188, LSETXATTR = 189, FSETXATTR = 190, GETXATTR = 191, LGETXATTR = 192,
            FGETXATTR = 193, LISTXATTR = 194, LLISTXATTR = 195, FLISTXATTR = 196, REMOVEXATTR = 197,
            LREMOVEXATTR = 198, FREMOVEXATTR = 199, MKNODAT = 259, FCHOWNAT = 260, FCHMODAT = 268, UTIMENSAT = 280,
            FALLOCATE = 285, PIPE2 = 293, SYNCFS = 306, RENAMEAT2 = 316, COPY_FILE_RANGE = 326, STATX = 332,
            FCHMODAT2 = 452, POLL = 7, PPOLL = 271, EPOLL_CREATE1 = 291, EPOLL_CTL = 233, EPOLL_WAIT = 232,
            EVENTFD2 = 290, TIMERFD_CREATE = 283, TIMERFD_SETTIME = 286, TIMERFD_GETTIME = 287, MINCORE = 27, MADVISE = 28, FLOCK = 73, FADVISE64 = 221, READAHEAD = 187, SYNC_FILE_RANGE = 277;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<MemorySegment> STATE = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));
    private static final MethodHandle SYSCALL = LINKER.downcallHandle(
            LINKER.defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));

    /**
     * The same call through a nine-instruction stub of lxrun's own that leaves the kernel's
     * -errno in rax, so the downcall needs no errno capture: libc's syscall() turns the result
     * into -1 and errno, and reading errno back costs a thread-local lookup and the capture
     * state's copy on every call (~10% of a pipe read under perf). Null when the host refuses
     * executable memory; then every call goes through libc.
     */
    private static final MethodHandle RAW = rawSyscallStub();

    private HostSyscall() {}

    private static MethodHandle rawSyscallStub() {
        // x86-64 System V: nr in rdi, a0..a4 in rsi, rdx, rcx, r8, r9, a5 on the stack;
        // the kernel wants nr in rax and arguments in rdi, rsi, rdx, r10, r8, r9.
        byte[] code = {
            0x48, (byte) 0x89, (byte) 0xf8,             // mov rax, rdi
            0x48, (byte) 0x89, (byte) 0xf7,             // mov rdi, rsi
            0x48, (byte) 0x89, (byte) 0xd6,             // mov rsi, rdx
            0x48, (byte) 0x89, (byte) 0xca,             // mov rdx, rcx
            0x4d, (byte) 0x89, (byte) 0xc2,             // mov r10, r8
            0x4d, (byte) 0x89, (byte) 0xc8,             // mov r8, r9
            0x4c, (byte) 0x8b, 0x4c, 0x24, 0x08,        // mov r9, [rsp+8]
            0x0f, 0x05,                                 // syscall
            (byte) 0xc3                                 // ret
        };
        if (!"amd64".equals(System.getProperty("os.arch")) || Boolean.getBoolean("lxrun.libcSyscall")) return null;
        final int MMAP = 9, MPROTECT = 10, PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4, MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20;
        long page = libcCall(MMAP, 0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (page < 0) return null;
        MemorySegment.ofAddress(page).reinterpret(code.length).copyFrom(MemorySegment.ofArray(code));
        // Written, then made read+execute: never writable and executable at once.
        if (libcCall(MPROTECT, page, 4096, PROT_READ | PROT_EXEC, 0, 0, 0) != 0) return null;
        return LINKER.downcallHandle(MemorySegment.ofAddress(page),
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    }

    /** syscall(nr, a0..a5): the result, or -errno. */
    public static long call(int nr, long a0, long a1, long a2, long a3, long a4, long a5) {
        if (RAW != null) {
            try {
                return (long) RAW.invokeExact((long) nr, a0, a1, a2, a3, a4, a5);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
        return libcCall(nr, a0, a1, a2, a3, a4, a5);
    }

    /** The same through libc's syscall() and errno. */
    private static long libcCall(int nr, long a0, long a1, long a2, long a3, long a4, long a5) {
        try {
            MemorySegment state = STATE.get();
            long r = (long) SYSCALL.invokeExact(state, (long) nr, a0, a1, a2, a3, a4, a5);
            return r == -1 ? -(int) ERRNO.get(state, 0L) : r;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static long call(int nr, long a0, long a1, long a2) {
        return call(nr, a0, a1, a2, 0, 0, 0);
    }
}
