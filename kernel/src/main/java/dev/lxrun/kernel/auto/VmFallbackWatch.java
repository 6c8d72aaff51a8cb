package dev.lxrun.kernel.auto;

import static dev.lxrun.syscalls.Sysno.*;

import dev.lxrun.kernel.Kernel;
import dev.lxrun.kernel.SyscallTracer;
import dev.lxrun.kernel.Task;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.syscalls.Sysno;
import dev.lxrun.vfs.FileDescription;
import dev.lxrun.vfs.host.HostPosix;
import java.util.Set;

/**
 * `--mode auto`: watches a translated run for the first syscall lxrun has no translation for.
 * If the guest has had no effect the outside world could see by then (output written, input
 * consumed, files or sockets touched), the run is abandoned (every guest process killed) so it
 * can be redone in the VM; otherwise the call keeps its -ENOSYS and the run goes on. Effects
 * are judged conservatively: a call that might be visible counts as visible.
 */
public final class VmFallbackWatch implements SyscallTracer {
    /** The first untranslated call; clean when nothing visible had happened before it. */
    public record Trigger(int nr, boolean clean, String firstEffect) {
        public String name() {
            return Sysno.exists(nr) ? Sysno.name(nr) : "syscall " + nr;
        }
    }

    /**
     * Unimplemented calls that C libraries make on every start and live without: glibc registers
     * rseq and carries on when it fails. Restarting for these would send every program to the VM.
     */
    private static final Set<Integer> PROBED_BY_LIBC = Set.of(RSEQ);

    private static final int O_CREAT = 0100, O_TRUNC = 01000;
    private static final int MAP_SHARED = 1, PROT_WRITE = 2;
    private static final Set<Long> QUERY_IOCTLS = Set.of(0x5401L /* TCGETS */, 0x5413L /* TIOCGWINSZ */,
            0x540FL /* TIOCGPGRP */, 0x541BL /* FIONREAD */);
    private static final Set<Integer> FILE_SYSTEM_CHANGES = Set.of(MKDIR, MKDIRAT, RMDIR, UNLINK, UNLINKAT, RENAME, RENAMEAT,
            RENAMEAT2, LINK, LINKAT, SYMLINK, SYMLINKAT, CHMOD, FCHMOD, FCHMODAT, FCHMODAT2, CHOWN, FCHOWN, LCHOWN, FCHOWNAT,
            UTIME, UTIMES, UTIMENSAT, FUTIMESAT, TRUNCATE, FTRUNCATE, FALLOCATE, MKNOD, MKNODAT, SETXATTR, LSETXATTR,
            FSETXATTR, REMOVEXATTR, LREMOVEXATTR, FREMOVEXATTR, CREAT, OPENAT2, MSYNC);
    private static final Set<Integer> NETWORK = Set.of(CONNECT, BIND, LISTEN, SENDTO, SENDMSG, SENDMMSG);

    private final Kernel kernel;
    private final SyscallTracer next;
    private volatile String firstEffect;
    private volatile Trigger trigger;

    /** next: another tracer that sees every call too (--strace, --syscall-log), or null. */
    public VmFallbackWatch(Kernel kernel, SyscallTracer next) {
        this.kernel = kernel;
        this.next = next;
    }

    public Trigger trigger() {
        return trigger;
    }

    @Override
    public void trace(Task task, int nr, long[] args, long ret, boolean noReturn) {
        if (next != null) next.trace(task, nr, args, ret, noReturn);
        if (trigger != null) return;
        if (ret == -Errno.ENOSYS && kernel.syscalls.lookup(nr).handler() == null && !PROBED_BY_LIBC.contains(nr)) {
            synchronized (this) {
                if (trigger != null) return;
                trigger = new Trigger(nr, firstEffect == null, firstEffect);
            }
            if (firstEffect == null) kernel.killAll();
            return;
        }
        if (firstEffect == null && ret >= 0 && visible(task, nr, args)) firstEffect = Sysno.exists(nr) ? Sysno.name(nr) : "syscall " + nr;
    }

    private boolean visible(Task task, int nr, long[] a) {
        return switch (nr) {
            case WRITE, WRITEV, PWRITE64, PWRITEV, PWRITEV2, VMSPLICE -> writesOut(task, (int) a[0]);
            case SENDFILE -> writesOut(task, (int) a[0]);
            case SPLICE, COPY_FILE_RANGE -> writesOut(task, (int) a[2]);
            case TEE -> writesOut(task, (int) a[1]);
            case READ, READV, PREAD64, PREADV, PREADV2 -> consumesInput(task, (int) a[0]);
            case OPEN -> (a[1] & (O_CREAT | O_TRUNC)) != 0;
            case OPENAT -> (a[2] & (O_CREAT | O_TRUNC)) != 0;
            case MMAP -> (a[3] & MAP_SHARED) != 0 && (a[2] & PROT_WRITE) != 0 && (int) a[4] >= 0;
            case IOCTL -> kernel.hostStdio.contains(description(task, (int) a[0])) && !QUERY_IOCTLS.contains(a[1]);
            default -> FILE_SYSTEM_CHANGES.contains(nr) || NETWORK.contains(nr);
        };
    }

    private static FileDescription description(Task task, int fd) {
        try {
            return task.process.fds.get(fd);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Pipes between guest processes are private to the run; lxrun's own stdio and every other file are not. */
    private boolean writesOut(Task task, int fd) {
        FileDescription d = description(task, fd);
        if (d == null) return false;
        if (kernel.hostStdio.contains(d)) return true;
        int type = hostFileType(d);
        return type != 0 && type != 0010000; // unknown (in-lxrun files such as /dev/null) or a FIFO: private
    }

    /** Bytes read from lxrun's stdin are gone for a rerun, unless it is a regular file. */
    private boolean consumesInput(Task task, int fd) {
        FileDescription d = description(task, fd);
        return d != null && kernel.hostStdio.contains(d) && hostFileType(d) != 0100000;
    }

    private static int hostFileType(FileDescription d) {
        int host = d.hostFd();
        return host < 0 ? 0 : HostPosix.fileType(host);
    }
}
