package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.ProcessFactory;
import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.exec.ExecException;
import dev.lxrun.kernel.exec.ExecImage;
import dev.lxrun.kernel.mm.AddressSpace;
import dev.lxrun.syscalls.Errno;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** execve and execveat: a new program image for the calling process, same pid and descriptors. */
final class SysExec {
    private static final int AT_EMPTY_PATH = 0x1000, AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int MAX_STRINGS = 0x7fffffff / 8;
    private static final long ARG_MAX = 2L * 1024 * 1024;

    private SysExec() {}

    static long execve(Task t, long pathAddr, long argvAddr, long envpAddr) {
        return execveat(t, GuestPaths.AT_FDCWD, pathAddr, argvAddr, envpAddr, 0);
    }

    static long execveat(Task t, int dirfd, long pathAddr, long argvAddr, long envpAddr, int flags) {
        if ((flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)) != 0) return -Errno.EINVAL;
        long[] err = new long[1];
        byte[] raw = GuestPaths.read(t, pathAddr, err);
        if (raw == null) return err[0];
        byte[] self = GuestPaths.procSelfRedirect(t, raw);
        if (self != null) raw = self; // busybox re-executes itself through /proc/self/exe
        // A /proc file or directory, or a /dev device, is no regular file with an execute bit: EACCES,
        // as do_open_execat says (the links, /proc/self/exe and /proc/self/fd/N, lead to real files)
        var pseudo = raw.length == 0 ? null : dev.lxrun.kernel.pseudo.PseudoPaths.find(t, dirfd, raw, true);
        if (pseudo != null && switch (pseudo.node()) {
            case dev.lxrun.kernel.pseudo.PseudoNode.File f -> true;
            case dev.lxrun.kernel.pseudo.PseudoNode.Dir d -> true;
            case dev.lxrun.kernel.pseudo.PseudoNode.Host h -> true;
            case null, default -> false;
        }) {
            return -Errno.EACCES;
        }
        if (raw.length > 0 && pseudo == null && t.rooted() != null) {
            // the walk's own errors (ELOOP, ENAMETOOLONG, ENOTDIR, EACCES on a directory), in its order,
            // before argv and envp are read (do_open_execat comes first)
            dev.lxrun.kernel.RootedPaths.Target found = GuestPaths.target(t, dirfd, raw, (flags & AT_SYMLINK_NOFOLLOW) == 0, err);
            if (found == null) return err[0];
            dev.lxrun.vfs.host.HostPosix.close(found.dirFd());
        }
        String path = new String(raw, StandardCharsets.ISO_8859_1);
        List<String> argv = new ArrayList<>(), envp = new ArrayList<>();
        long r = readStrings(t.process.mm, argvAddr, argv);
        if (r >= 0) r = readStrings(t.process.mm, envpAddr, envp);
        String hostPath;
        if (path.isEmpty()) {
            if ((flags & AT_EMPTY_PATH) == 0) return -Errno.ENOENT;
            var f = t.process.fds.get(dirfd);
            if (f == null || f.hostFd() < 0) return -Errno.EBADF;
            hostPath = "/proc/self/fd/" + f.hostFd();
        } else if (t.rooted() != null) {
            String abs = GuestPaths.guestAbsolute(t, dirfd, raw, err);
            if (abs == null) return err[0];
            hostPath = abs; // resolved inside the root by Kernel.hostPath
        } else if (path.startsWith("/")) {
            hostPath = path;
        } else if (dirfd == GuestPaths.AT_FDCWD) {
            hostPath = t.process.fs.cwd() + "/" + path;
        } else {
            var f = t.process.fds.get(dirfd);
            if (f == null) return -Errno.EBADF;
            hostPath = "/proc/self/fd/" + f.hostFd() + "/" + path;
        }
        String resolved = hostPath;
        if (r < 0) {
            // A file that cannot be opened is reported before bad argv or envp, as alloc_bprm opens it first.
            try {
                t.kernel().loader().checkOpens(path, guest -> t.hostPath(guest.equals(path) ? resolved : guest));
            } catch (ExecException e) {
                return -e.errno();
            } catch (java.nio.file.InvalidPathException e) {
                return -Errno.ENOENT;
            }
            return r;
        }
        ExecImage image;
        try {
            image = t.kernel().loader().load(path, argv, envp, t.process.creds,
                    guest -> t.hostPath(guest.equals(path) ? resolved : guest));
        } catch (java.nio.file.InvalidPathException e) {
            // Bytes the JVM's path encoding cannot hold (found by FuzzTest): no file lxrun can open has that name.
            return -Errno.ENOENT;
        } catch (ExecException e) {
            if (!e.fatal()) return -e.errno();
            // Past Linux's point of no return: the old image is gone there, so the process dies.
            t.suppressReturn();
            t.killBySignal(dev.lxrun.kernel.Signals.SIGSEGV);
            return 0;
        }
        // Past the point of no return: the old image is gone once the hook returns.
        t.endOtherThreads();
        t.releaseRobustList(); // the old image's locks are released, as Linux's exec_mm_release does
        t.process.unshareFiles(); // a table shared by clone(CLONE_FILES) is copied first, as Linux's exec does
        t.process.fds.closeOnExec();
        t.process.posixTimers.deleteAll(); // POSIX timers do not survive exec (ITIMER_REAL does)
        t.process.resetHandlersForExec();
        t.signals().resetAltStack();
        t.process.caps = t.process.caps.afterExec(t.process.creds, (t.process.securebits & 1) != 0); // SECBIT_NOROOT
        t.process.securebits &= ~0x10; // SECBIT_KEEP_CAPS does not survive exec
        ProcessFactory.vforkReleased(t.process);
        t.beginExec(image);
        return 0;
    }

    /** A NULL-terminated array of string pointers; NULL itself is an empty list, as Linux allows. */
    private static long readStrings(AddressSpace mm, long arrayAddr, List<String> out) {
        try {
            return readStringsOrFault(mm, arrayAddr, out);
        } catch (dev.lxrun.kernel.mm.GuestFault e) {
            return -Errno.EFAULT;
        }
    }

    private static long readStringsOrFault(AddressSpace mm, long arrayAddr, List<String> out) {
        if (arrayAddr == 0) return 0;
        long total = 0;
        for (int i = 0; i < MAX_STRINGS; i++) {
            long p = mm.readLong(arrayAddr + 8L * i);
            if (p == 0) return 0;
            byte[] s = mm.readCString(p, 131072);
            if (s == null) return -Errno.E2BIG;
            total += s.length + 1 + 8;
            if (total > ARG_MAX) return -Errno.E2BIG;
            out.add(new String(s, StandardCharsets.ISO_8859_1));
        }
        return -Errno.E2BIG;
    }
}
