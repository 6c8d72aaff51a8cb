package dev.lxrun.kernel.syscalls;

import static dev.lxrun.syscalls.Sysno.*;

import dev.lxrun.kernel.Syscall;
import dev.lxrun.syscalls.SyscallTable;

/**
 * The x86-64 syscall table as data: every implemented syscall with its support level and, for
 * partial ones, what is missing. Anything not listed returns -ENOSYS and shows as unimplemented
 * in `lxrun syscalls`. Each entry names its handler, so the implementation is one hop away.
 * The socket family is not here: the net-shim module adds it (dev.lxrun.net.SocketSyscalls),
 * so a kernel without net-shim answers every socket call with -ENOSYS.
 */
public final class Linux64 {
    private static final int AT_FDCWD = GuestPaths.AT_FDCWD;

    private Linux64() {}

    public static SyscallTable<Syscall> table() {
        SyscallTable<Syscall> t = new SyscallTable<>();

        // ---- file I/O (SysFile) ----
        t.supported(READ, (k, a) -> SysFile.read(k, (int) a[0], a[1], a[2]));
        t.supported(WRITE, (k, a) -> SysFile.write(k, (int) a[0], a[1], a[2]));
        t.supported(PREAD64, (k, a) -> SysFile.pread(k, (int) a[0], a[1], a[2], a[3]));
        t.supported(PWRITE64, (k, a) -> SysFile.pwrite(k, (int) a[0], a[1], a[2], a[3]));
        // A host file takes the whole iovec array in one host call (VectorIo): atomic as on Linux.
        t.supported(READV, (k, a) -> SysFile.readv(k, (int) a[0], a[1], a[2], false, -1));
        t.supported(WRITEV, (k, a) -> SysFile.readv(k, (int) a[0], a[1], a[2], true, -1));
        t.supported(PREADV, (k, a) -> SysFile.readv(k, (int) a[0], a[1], a[2], false, a[3]));
        t.supported(PWRITEV, (k, a) -> SysFile.readv(k, (int) a[0], a[1], a[2], true, a[3]));
        t.supported(PREADV2, (k, a) -> SysSplice.readv2(k, (int) a[0], a[1], a[2], a[3], (int) a[5], false));
        t.supported(PWRITEV2, (k, a) -> SysSplice.readv2(k, (int) a[0], a[1], a[2], a[3], (int) a[5], true));
        t.supported(SPLICE, (k, a) -> SysSplice.splice(k, (int) a[0], a[1], (int) a[2], a[3], a[4], (int) a[5]));
        t.supported(TEE, (k, a) -> SysSplice.tee(k, (int) a[0], (int) a[1], a[2], (int) a[3]));
        t.partial(OPEN, "resolved by the host below the guest root (the host's / or --root), by lxrun's walk with --mount/--tmpfs; "
                        + "no devfs: /dev is the root's own directory, and a device node recorded by --metadata opens the "
                        + "host's null/zero/full/random/urandom/tty (others ENXIO); /proc is lxrun's, and so are /dev/fd, /dev/std{in,out,err} "
                        + "(links into it); /dev/ptmx and /dev/pts are host ptys with guest sessions (a confined root "
                        + "has a /dev of null, zero, full, random, urandom, tty, ptmx, pts)",
                (k, a) -> SysFile.openat(k, AT_FDCWD, a[0], (int) a[1], (int) a[2]));
        t.partial(OPENAT, "see open",
                (k, a) -> SysFile.openat(k, (int) a[0], a[1], (int) a[2], (int) a[3]));
        t.partial(OPENAT2, "resolved by the host's openat2 (inside --root with the root's RESOLVE_IN_ROOT added unless "
                        + "the guest asks for BENEATH/IN_ROOT); with --mount/--tmpfs by lxrun's walk, which honours "
                        + "NO_XDEV and NO_SYMLINKS, while BENEATH/IN_ROOT lookups stay the host's and do not see mounts; "
                        + "in lxrun's /proc only the last component is checked for RESOLVE_NO_SYMLINKS/NO_MAGICLINKS",
                (k, a) -> SysOpenat2.openat2(k, (int) a[0], a[1], a[2], a[3]));
        t.partial(CREAT, "host files only", (k, a) -> SysFile.openat(k, AT_FDCWD, a[0], 01101, (int) a[1]));
        t.supported(CLOSE, (k, a) -> SysFile.close(k, (int) a[0]));
        t.supported(FSTAT, (k, a) -> SysFile.fstat(k, (int) a[0], a[1]));
        t.supported(STAT, (k, a) -> SysFile.fstatat(k, AT_FDCWD, a[0], a[1], 0));
        t.supported(LSTAT, (k, a) -> SysFile.fstatat(k, AT_FDCWD, a[0], a[1], 0x100));
        t.supported(NEWFSTATAT, (k, a) -> SysFile.fstatat(k, (int) a[0], a[1], a[2], (int) a[3]));
        t.supported(LSEEK, (k, a) -> SysFile.lseek(k, (int) a[0], a[1], (int) a[2]));
        t.supported(GETDENTS64, (k, a) -> SysFile.getdents64(k, (int) a[0], a[1], a[2]));
        t.supported(READLINK,
                (k, a) -> SysFile.readlinkat(k, AT_FDCWD, a[0], a[1], a[2]));
        t.supported(READLINKAT,
                (k, a) -> SysFile.readlinkat(k, (int) a[0], a[1], a[2], a[3]));
        t.supported(ACCESS, (k, a) -> SysFile.faccessat(k, AT_FDCWD, a[0], (int) a[1], 0));
        t.supported(FACCESSAT, (k, a) -> SysFile.faccessat(k, (int) a[0], a[1], (int) a[2], 0));
        t.supported(FACCESSAT2, (k, a) -> SysFile.faccessat(k, (int) a[0], a[1], (int) a[2], (int) a[3]));
        t.supported(MKDIR, (k, a) -> SysFile.mkdirat(k, AT_FDCWD, a[0], (int) a[1]));
        t.supported(MKDIRAT, (k, a) -> SysFile.mkdirat(k, (int) a[0], a[1], (int) a[2]));
        t.supported(UNLINK, (k, a) -> SysFile.unlinkat(k, AT_FDCWD, a[0], 0));
        t.supported(RMDIR, (k, a) -> SysFile.unlinkat(k, AT_FDCWD, a[0], 0x200));
        t.supported(UNLINKAT, (k, a) -> SysFile.unlinkat(k, (int) a[0], a[1], (int) a[2]));
        t.supported(RENAME, (k, a) -> SysFile.renameat(k, AT_FDCWD, a[0], AT_FDCWD, a[1]));
        t.supported(RENAMEAT, (k, a) -> SysFile.renameat(k, (int) a[0], a[1], (int) a[2], a[3]));
        t.supported(SYMLINK, (k, a) -> SysFile.symlinkat(k, a[0], AT_FDCWD, a[1]));
        t.supported(SYMLINKAT, (k, a) -> SysFile.symlinkat(k, a[0], (int) a[1], a[2]));
        t.supported(LINK, (k, a) -> SysFile.linkat(k, AT_FDCWD, a[0], AT_FDCWD, a[1], 0));
        t.supported(LINKAT, (k, a) -> SysFile.linkat(k, (int) a[0], a[1], (int) a[2], a[3], (int) a[4]));
        t.supported(FTRUNCATE, (k, a) -> SysFile.ftruncate(k, (int) a[0], a[1]));
        t.supported(FSYNC, (k, a) -> SysFile.fsync(k, (int) a[0], false));
        t.supported(FDATASYNC, (k, a) -> SysFile.fsync(k, (int) a[0], true));
        t.supported(DUP, (k, a) -> SysFile.dup(k, (int) a[0]));
        t.supported(DUP2, (k, a) -> SysFile.dup3(k, (int) a[0], (int) a[1], 0, true));
        t.supported(DUP3, (k, a) -> SysFile.dup3(k, (int) a[0], (int) a[1], (int) a[2], false));
        t.partial(FCNTL, "F_DUPFD(_CLOEXEC), F_GETFD/SETFD, F_GETFL/SETFL, POSIX and OFD record locks (F_*LK*, kept by "
                        + "lxrun: they order guest processes, host processes do not see them), F_GETPIPE_SZ/F_SETPIPE_SZ "
                        + "(the host pipe's); F_NOTIFY is EINVAL as on a kernel without dnotify; other commands EINVAL",
                (k, a) -> SysFile.fcntl(k, (int) a[0], (int) a[1], a[2]));
        t.partial(IOCTL, "terminal requests TCGETS(2), TCSETS*(2), TIOCGWINSZ, TIOCSWINSZ, FIONREAD, FIONBIO, TCFLSH, TCXONC, "
                + "TCSBRK(P), TIOCOUTQ, TIOCGETD/SETD, TIOCEXCL/NXCL, job control (TIOCGPGRP, TIOCSPGRP, TIOCGSID, TIOCSCTTY, "
                + "TIOCNOTTY; the terminal is kept per session, so a non-leader's TIOCNOTTY only returns) on lxrun's own "
                + "terminal and on guest ptys; ptys: TIOCGPTN, TIOCSPTLCK/GPTLCK, TIOCGPTPEER, TIOCSIG, TIOCPKT/GPKT; "
                + "sockets: SIOCGIFCONF, SIOCGIFINDEX/NAME/FLAGS/ADDR/DSTADDR/BRDADDR/NETMASK/METRIC/MTU/HWADDR/TXQLEN (the "
                + "host's interfaces; the SIOCSIF* setters are EPERM), SIOCATMARK; any file: FIOCLEX, FIONCLEX, FIGETBSZ; "
                + "others ENOTTY (FIBMAP too)",
                (k, a) -> SysFile.ioctl(k, (int) a[0], a[1], a[2]));
        t.supported(GETCWD, (k, a) -> SysFile.getcwd(k, a[0], a[1]));
        t.supported(CHDIR, (k, a) -> SysFile.chdir(k, a[0]));
        t.supported(FCHDIR, (k, a) -> SysFile.fchdir(k, (int) a[0]));
        t.supported(UMASK, (k, a) -> SysFile.umask(k, (int) a[0]));
        t.partial(CHROOT, "per process (inherited by fork); /proc and /dev stay visible inside, as if mounted there; "
                + "without privileges EPERM", (k, a) -> SysRoot.chroot(k, a[0]));

        // ---- file metadata, xattrs, pipes, in-kernel copies (SysFileMeta) ----
        t.supported(STATX, (k, a) -> SysFileMeta.statx(k, (int) a[0], a[1], (int) a[2], (int) a[3], a[4]));
        t.supported(STATFS, (k, a) -> SysFileMeta.statfs(k, a[0], a[1]));
        t.supported(FSTATFS, (k, a) -> SysFileMeta.fstatfs(k, (int) a[0], a[1]));
        t.supported(CHMOD, (k, a) -> SysFileMeta.fchmodat(k, AT_FDCWD, a[0], (int) a[1], 0));
        t.supported(FCHMOD, (k, a) -> SysFileMeta.fchmod(k, (int) a[0], (int) a[1]));
        t.supported(FCHMODAT, (k, a) -> SysFileMeta.fchmodat(k, (int) a[0], a[1], (int) a[2], 0));
        t.supported(FCHMODAT2, (k, a) -> SysFileMeta.fchmodat(k, (int) a[0], a[1], (int) a[2], (int) a[3]));
        t.partial(CHOWN, "changes host ownership, which needs the host privileges Linux would need; on a metadata mount "
                        + "(--metadata, --mount …:metadata) the owner is recorded in the file's user.lxrun.meta attribute "
                        + "(regular files and directories), with Linux's permission rules",
                (k, a) -> SysFileMeta.fchownat(k, AT_FDCWD, a[0], (int) a[1], (int) a[2], 0));
        t.partial(LCHOWN, "see chown", (k, a) -> SysFileMeta.fchownat(k, AT_FDCWD, a[0], (int) a[1], (int) a[2], 0x100));
        t.partial(FCHOWN, "see chown", (k, a) -> SysFileMeta.fchown(k, (int) a[0], (int) a[1], (int) a[2]));
        t.partial(FCHOWNAT, "see chown", (k, a) -> SysFileMeta.fchownat(k, (int) a[0], a[1], (int) a[2], (int) a[3], (int) a[4]));
        t.supported(UTIMENSAT, (k, a) -> SysFileMeta.utimensat(k, (int) a[0], a[1], a[2], (int) a[3]));
        t.supported(FUTIMESAT, (k, a) -> SysFileMeta.futimesat(k, (int) a[0], a[1], a[2]));
        t.supported(UTIMES, (k, a) -> SysFileMeta.futimesat(k, AT_FDCWD, a[0], a[1]));
        t.supported(UTIME, (k, a) -> SysFileMeta.utime(k, a[0], a[1]));
        t.supported(TRUNCATE, (k, a) -> SysFileMeta.truncate(k, a[0], a[1]));
        t.supported(FALLOCATE, (k, a) -> SysFileMeta.fallocate(k, (int) a[0], (int) a[1], a[2], a[3]));
        t.supported(SYNC, (k, a) -> SysFileMeta.sync());
        t.supported(SYNCFS, (k, a) -> SysFileMeta.syncfs(k, (int) a[0]));
        t.supported(FADVISE64, (k, a) -> SysFileMeta.fadvise(k, (int) a[0], a[1], a[2], (int) a[3]));
        t.supported(FLOCK, (k, a) -> SysLock.flock(k, (int) a[0], (int) a[1]));
        t.supported(RENAMEAT2, (k, a) -> SysFileMeta.renameat2(k, (int) a[0], a[1], (int) a[2], a[3], (int) a[4]));
        t.partial(MKNOD, "FIFOs, sockets and regular files; device nodes only on a metadata mount, as an empty host file "
                        + "whose attribute holds type and number (opening one opens the host's null, zero, full, random, "
                        + "urandom or tty, else ENXIO); elsewhere EPERM",
                (k, a) -> SysFileMeta.mknodat(k, AT_FDCWD, a[0], (int) a[1], a[2]));
        t.partial(MKNODAT, "see mknod", (k, a) -> SysFileMeta.mknodat(k, (int) a[0], a[1], (int) a[2], a[3]));
        t.supported(GETXATTR, (k, a) -> SysFileMeta.getxattr(k, a[0], a[1], a[2], a[3], false));
        t.supported(LGETXATTR, (k, a) -> SysFileMeta.getxattr(k, a[0], a[1], a[2], a[3], true));
        t.supported(FGETXATTR, (k, a) -> SysFileMeta.fgetxattr(k, (int) a[0], a[1], a[2], a[3]));
        t.supported(LISTXATTR, (k, a) -> SysFileMeta.listxattr(k, a[0], a[1], a[2], false));
        t.supported(LLISTXATTR, (k, a) -> SysFileMeta.listxattr(k, a[0], a[1], a[2], true));
        t.supported(FLISTXATTR, (k, a) -> SysFileMeta.flistxattr(k, (int) a[0], a[1], a[2]));
        t.supported(SETXATTR, (k, a) -> SysFileMeta.setxattr(k, a[0], a[1], a[2], a[3], (int) a[4], false));
        t.supported(LSETXATTR, (k, a) -> SysFileMeta.setxattr(k, a[0], a[1], a[2], a[3], (int) a[4], true));
        t.supported(FSETXATTR, (k, a) -> SysFileMeta.fsetxattr(k, (int) a[0], a[1], a[2], a[3], (int) a[4]));
        t.supported(REMOVEXATTR, (k, a) -> SysFileMeta.removexattr(k, a[0], a[1], false));
        t.supported(LREMOVEXATTR, (k, a) -> SysFileMeta.removexattr(k, a[0], a[1], true));
        t.supported(FREMOVEXATTR, (k, a) -> SysFileMeta.fremovexattr(k, (int) a[0], a[1]));
        t.partial(PIPE, "host pipes: capacity and atomicity are the host's", (k, a) -> SysFileMeta.pipe2(k, a[0], 0));
        t.partial(PIPE2, "see pipe; O_DIRECT packet mode is the host's; O_NOTIFICATION_PIPE is ENOPKG (no watch queues)", (k, a) -> SysFileMeta.pipe2(k, a[0], (int) a[1]));
        t.supported(SENDFILE, (k, a) -> SysFileMeta.sendfile(k, (int) a[0], (int) a[1], a[2], a[3]));
        t.supported(COPY_FILE_RANGE, (k, a) -> SysFileMeta.copyFileRange(k, (int) a[0], a[1], (int) a[2], a[3], a[4], (int) a[5]));
        t.partial(CLOSE_RANGE, "CLOSE_RANGE_UNSHARE copies a table shared with another process (clone CLONE_FILES); "
                        + "the threads of one process keep sharing theirs",
                (k, a) -> SysFileMeta.closeRange(k, (int) a[0], (int) a[1], (int) a[2]));

        // ---- memory (SysMemory) ----
        t.supported(BRK, (k, a) -> SysMemory.brk(k, a[0]));
        t.partial(MMAP, "file mappings are the host's own mmap (whole pages past EOF read as zero instead of SIGBUS); "
                        + "MAP_SHARED anonymous memory is shared with forked children but only reclaimed at exit; "
                        + "MAP_DROPPABLE (Linux 6.11) is EINVAL, as on older kernels; a fixed place below 64 KiB is EPERM "
                        + "even for root (Linux allows it with CAP_SYS_RAWIO)",
                (k, a) -> SysMemLock.mapped(k, SysMemory.mmap(k, a[0], a[1], (int) a[2], (int) a[3], (int) a[4], a[5]), a[1], (int) a[3]));
        t.supported(MUNMAP, (k, a) -> SysMemory.munmap(k, a[0], a[1]));
        t.supported(MPROTECT, (k, a) -> SysMemory.mprotect(k, a[0], a[1], (int) a[2]));
        t.partial(MSYNC, "shared file mappings are written back by the host's msync; an unmapped part gives ENOMEM",
                (k, a) -> SysMsync.msync(k, a[0], a[1], (int) a[2]));
        t.partial(MREMAP, "old_size 0 (a second mapping of the same shared memory) is EINVAL; MREMAP_DONTUNMAP moves without keeping the old range",
                (k, a) -> SysMemory.mremap(k, a[0], a[1], a[2], (int) a[3], a[4]));
        // ---- memory locks, process memory, memfd (SysMemLock, SysProcessVm, SysFileHints) ----
        t.partial(MLOCK, "lxrun never swaps: locks are bookkeeping (VmLck, RLIMIT_MEMLOCK, ENOMEM for unmapped pages) and the "
                        + "range is faulted in (up to 1 GiB per call); mremap does not carry a lock to the new place",
                (k, a) -> SysMemLock.mlock(k, a[0], a[1]));
        t.partial(MLOCK2, "see mlock; without MLOCK_ONFAULT the range is faulted in (up to 1 GiB per call)",
                (k, a) -> SysMemLock.mlock2(k, a[0], a[1], (int) a[2]));
        t.partial(MUNLOCK, "see mlock", (k, a) -> SysMemLock.munlock(k, a[0], a[1]));
        t.partial(MLOCKALL, "see mlock; MCL_FUTURE locks later mmaps (not brk or stack growth)",
                (k, a) -> SysMemLock.mlockall(k, (int) a[0]));
        t.supported(MUNLOCKALL, (k, a) -> SysMemLock.munlockall(k));
        t.supported(PROCESS_VM_READV, (k, a) -> SysProcessVm.processVm(k, (int) a[0], a[1], a[2], a[3], a[4], a[5], false));
        t.supported(PROCESS_VM_WRITEV, (k, a) -> SysProcessVm.processVm(k, (int) a[0], a[1], a[2], a[3], a[4], a[5], true));
        t.partial(KCMP, "KCMP_SIGHAND, KCMP_IO and KCMP_SYSVSEM compare processes (lxrun keeps them per process); "
                        + "KCMP_EPOLL_TFD is EOPNOTSUPP; unordered results (3) when two objects hash alike",
                (k, a) -> SysProcessVm.kcmp(k, (int) a[0], (int) a[1], (int) a[2], a[3], a[4]));
        t.partial(PIDFD_OPEN, "process pidfds only (PIDFD_THREAD is EINVAL); readable by poll/epoll within ~10 ms "
                        + "of the exit; no fdinfo, and fstat shows the host eventfd behind it",
                (k, a) -> SysPidFd.open(k, (int) a[0], (int) a[1]));
        t.partial(PIDFD_SEND_SIGNAL, "PIDFD_SIGNAL_THREAD signals the whole process", (k, a) -> SysPidFd.sendSignal(k, (int) a[0], (int) a[1], a[2], (int) a[3]));
        t.partial(PIDFD_GETFD, "the permission check compares real uids (no full ptrace access check)",
                (k, a) -> SysPidFd.getfd(k, (int) a[0], (int) a[1], (int) a[2]));
        t.partial(SET_MEMPOLICY, "one memory node (node 0), as Linux on a machine without NUMA; the policy is kept per "
                        + "thread but not inherited by fork or clone",
                (k, a) -> SysMemPolicy.setMempolicy(k, (int) a[0], a[1], a[2]));
        t.partial(GET_MEMPOLICY, "see set_mempolicy", (k, a) -> SysMemPolicy.getMempolicy(k, a[0], a[1], a[2], a[3], a[4]));
        t.partial(MBIND, "see set_mempolicy; range policies are checked and reported but not dropped by munmap",
                (k, a) -> SysMemPolicy.mbind(k, a[0], a[1], (int) a[2], a[3], a[4], (int) a[5]));
        t.supported(MEMFD_CREATE, (k, a) -> SysFileHints.memfdCreate(k, a[0], (int) a[1]));
        t.supported(READAHEAD, (k, a) -> SysFileHints.readahead(k, (int) a[0], a[1], a[2]));
        t.supported(SYNC_FILE_RANGE, (k, a) -> SysFileHints.syncFileRange(k, (int) a[0], a[1], a[2], (int) a[3]));
        t.supported(GETDENTS, (k, a) -> SysFile.getdents(k, (int) a[0], a[1], a[2]));
        t.supported(VMSPLICE, (k, a) -> SysSplice.vmsplice(k, (int) a[0], a[1], a[2], (int) a[3]));
        t.partial(MADVISE, "MADV_DONTNEED zeroes the range; other advice is accepted without effect",
                (k, a) -> SysMemory.madvise(k, a[0], a[1], (int) a[2]));

        // ---- process and thread identity (SysProcess) ----
        t.supported(EXIT, (k, a) -> SysProcess.exitThread(k, (int) a[0]));
        t.supported(EXIT_GROUP, (k, a) -> SysProcess.exitGroup(k, (int) a[0]));
        t.supported(GETPID, (k, a) -> SysProcess.getpid(k));
        t.supported(GETPPID, (k, a) -> SysProcess.getppid(k));
        t.supported(GETPGRP, (k, a) -> SysProcess.getpgrp(k));
        t.supported(GETPGID, (k, a) -> SysProcess.getpgid(k, (int) a[0]));
        t.supported(GETSID, (k, a) -> SysProcess.getsid(k, (int) a[0]));
        t.partial(GETPRIORITY, "nice values are kept per process and inherited; guest threads are not scheduled by them",
                (k, a) -> SysPriority.getpriority(k, (int) a[0], (int) a[1]));
        t.partial(SETPRIORITY, "see getpriority", (k, a) -> SysPriority.setpriority(k, (int) a[0], (int) a[1], (int) a[2]));
        t.supported(SETPGID, (k, a) -> SysProcess.setpgid(k, (int) a[0], (int) a[1]));
        t.supported(SETSID, (k, a) -> SysProcess.setsid(k));

        // ---- process creation, exec, wait (SysFork, SysExec, SysWait) ----
        t.supported(FORK, (k, a) -> SysFork.fork(k));
        t.supported(VFORK, (k, a) -> SysFork.vfork(k));
        t.partial(CLONE, "threads must share fs and files (CLONE_FS|CLONE_FILES); processes may share them and, with "
                        + "CLONE_VM, the signal handlers too (copied at exec; POSIX locks are per process, not per table); "
                        + "namespaces EPERM",
                (k, a) -> SysFork.clone(k, a[0], a[1], a[2], a[3], a[4]));
        t.partial(IO_SETUP, "native AIO done synchronously at io_submit (results identical, no overlap); the context "
                        + "id is a page of the process (no completion ring: libaio always makes the system call)",
                (k, a) -> SysAio.setup(k, a[0], a[1]));
        t.supported(IO_DESTROY, (k, a) -> SysAio.destroy(k, a[0]));
        t.partial(IO_SUBMIT, "PREAD, PWRITE, PREADV, PWRITEV, FSYNC, FDSYNC (carried out at once) with IOCB_FLAG_RESFD; "
                        + "IOCB_CMD_POLL and NOOP are EINVAL; of aio_rw_flags only RWF_NOWAIT on pipes and sockets "
                        + "is acted on, where a request that would block waits in io_submit",
                (k, a) -> SysAio.submit(k, a[0], a[1], a[2]));
        t.supported(IO_GETEVENTS, (k, a) -> SysAio.getevents(k, a[0], a[1], a[2], a[3], a[4]));
        t.supported(IO_PGETEVENTS, (k, a) -> SysAio.pgetevents(k, a[0], a[1], a[2], a[3], a[4], a[5]));
        t.partial(IO_CANCEL, "every request has completed by then: EINVAL, as Linux for a finished request",
                (k, a) -> SysAio.cancel(k, a[0], a[1], a[2]));
        t.partial(CLONE3, "as clone; set_tid is EINVAL; CLONE_PIDFD for processes only (no thread pidfds)",
                (k, a) -> SysFork.clone3(k, a[0], a[1]));
        t.supported(EXECVE, (k, a) -> SysExec.execve(k, a[0], a[1], a[2]));
        t.supported(EXECVEAT, (k, a) -> SysExec.execveat(k, (int) a[0], a[1], a[2], a[3], (int) a[4]));
        t.partial(WAIT4, "rusage is zero",
                (k, a) -> SysWait.wait4(k, (int) a[0], a[1], (int) a[2], a[3]));
        t.partial(WAITID, "see wait4; P_PIDFD as Linux", (k, a) -> SysWait.waitid(k, (int) a[0], (int) a[1], a[2], (int) a[3], a[4]));
        t.partial(PTRACE, "TRACEME/ATTACH/SEIZE/INTERRUPT/LISTEN/DETACH/KILL, PEEK/POKE TEXT/DATA/USER, GET/SETREGS, "
                        + "GET/SETFPREGS, GET/SETREGSET (PRSTATUS, PRFPREG, X86_XSTATE of x87+SSE), GET/SETSIGINFO, "
                        + "GETEVENTMSG, GET/SETSIGMASK, SETOPTIONS, CONT/SYSCALL/SINGLESTEP, GET_SYSCALL_INFO; missing: hardware debug "
                        + "registers (DR0-7 read 0, only 0 may be written), SYSEMU, seccomp stops, PEEKSIGINFO, "
                        + "ARCH_PRCTL; no permission check beyond not tracing oneself; INTERRUPT does "
                        + "not break a blocking syscall; a thread leader's exit is not delayed for its other threads",
                (k, a) -> SysPtrace.ptrace(k, a[0], (int) a[1], a[2], a[3]));
        t.partial(PERSONALITY, "any value is kept and inherited as on Linux; PER_LINUX32 makes uname say i686, "
                        + "ADDR_NO_RANDOMIZE changes nothing since lxrun does not randomise the layout, other flags are not acted on",
                (k, a) -> SysPtrace.personality(k, a[0]));
        t.supported(GETTID, (k, a) -> SysProcess.gettid(k));
        t.supported(GETUID, (k, a) -> SysProcess.getuid(k));
        t.supported(GETEUID, (k, a) -> SysProcess.geteuid(k));
        t.supported(GETGID, (k, a) -> SysProcess.getgid(k));
        t.supported(GETEGID, (k, a) -> SysProcess.getegid(k));
        t.partial(SETUID, "guest-side credentials: host file access keeps lxrun's host identity",
                (k, a) -> SysCreds.setuid(k, (int) a[0]));
        t.partial(SETGID, "see setuid", (k, a) -> SysCreds.setgid(k, (int) a[0]));
        t.partial(SETREUID, "see setuid", (k, a) -> SysCreds.setreuid(k, (int) a[0], (int) a[1]));
        t.partial(SETREGID, "see setuid", (k, a) -> SysCreds.setregid(k, (int) a[0], (int) a[1]));
        t.partial(SETRESUID, "see setuid", (k, a) -> SysCreds.setresuid(k, (int) a[0], (int) a[1], (int) a[2]));
        t.partial(SETRESGID, "see setuid", (k, a) -> SysCreds.setresgid(k, (int) a[0], (int) a[1], (int) a[2]));
        t.supported(GETGROUPS, (k, a) -> SysCreds.getgroups(k, (int) a[0], a[1]));
        t.partial(SETGROUPS, "see setuid", (k, a) -> SysCreds.setgroups(k, (int) a[0], a[1]));
        t.partial(SETFSUID, "the file-system id always follows the effective id", (k, a) -> SysCreds.setfsuid(k, (int) a[0]));
        t.partial(SETFSGID, "see setfsuid", (k, a) -> SysCreds.setfsgid(k, (int) a[0]));
        t.supported(GETRESUID, (k, a) -> SysProcess.getresuid(k, a[0], a[1], a[2]));
        t.supported(GETRESGID, (k, a) -> SysProcess.getresgid(k, a[0], a[1], a[2]));
        t.supported(SET_TID_ADDRESS, (k, a) -> SysProcess.setTidAddress(k, a[0]));
        // Released when the thread dies or execs (Task.releaseRobustList), PI entries through PiFutexes.
        t.supported(SET_ROBUST_LIST, (k, a) -> SysProcess.setRobustList(k, a[0], a[1]));
        t.partial(GET_ROBUST_LIST, "any live guest thread may be asked (no ptrace permission check)",
                (k, a) -> SysProcess.getRobustList(k, (int) a[0], a[1], a[2]));
        t.unimplemented(RSEQ, "restartable sequences need preemption notification; glibc and musl work without");
        t.partial(ARCH_PRCTL, "ARCH_SET_FS/GET_FS/SET_GS/GET_GS; CPUID faulting and CET requests are EINVAL",
                (k, a) -> SysProcess.archPrctl(k, (int) a[0], a[1]));
        t.partial(PRLIMIT64, "own process only; limits other than RLIMIT_NOFILE are recorded, not enforced",
                (k, a) -> SysProcess.prlimit64(k, (int) a[0], (int) a[1], a[2], a[3]));
        t.partial(GETRLIMIT, "see prlimit64", (k, a) -> SysProcess.getrlimit(k, (int) a[0], a[1]));
        t.partial(SETRLIMIT, "see prlimit64", (k, a) -> SysProcess.setrlimit(k, (int) a[0], a[1]));
        t.supported(GETCPU, (k, a) -> SysCpu.getcpu(k, a[0], a[1]));
        t.partial(SCHED_GETAFFINITY, "the thread's mask from sched_setaffinity (host CPUs 0-63)",
                (k, a) -> SysSched.getAffinity(k, (int) a[0], a[1], a[2]));
        t.supported(SCHED_GET_PRIORITY_MAX, (k, a) -> SysSched.priorityLimit((int) a[0], true));
        t.supported(SCHED_GET_PRIORITY_MIN, (k, a) -> SysSched.priorityLimit((int) a[0], false));
        t.partial(SCHED_RR_GET_INTERVAL, "0 for SCHED_FIFO, the host's sched_rr_timeslice_ms for SCHED_RR, else the host's "
                        + "slice for a SCHED_OTHER thread (the guest thread's real one)",
                (k, a) -> SysSched.rrInterval(k, (int) a[0], a[1]));
        t.partial(PRCTL, "names, parent-death signal (per thread, sent when the parent thread ends; a set-uid exec does not "
                        + "clear it), child subreaper, dumpable, no_new_privs, timer slack (recorded, timers are not "
                        + "coalesced), TID address, capability bounding and ambient sets, keep-caps, securebits; PR_SET_MM "
                        + "is EPERM without CAP_SYS_RESOURCE and else EINVAL (not implemented); others EINVAL",
                (k, a) -> SysProcess.prctl(k, (int) a[0], a[1], a[2], a[3], a[4]));
        t.partial(GETRUSAGE, "times and ru_maxrss only (the JVM threads' CPU time); fault and switch counters are 0",
                (k, a) -> SysUsage.getrusage(k, (int) a[0], a[1]));
        t.partial(TIMES, "see getrusage", (k, a) -> SysUsage.times(k, a[0]));
        t.supported(MEMBARRIER, (k, a) -> SysUsage.membarrier(k, (int) a[0], (int) a[1]));
        t.partial(SCHED_SETAFFINITY, "the mask is kept per thread (inherited, reported by sched_getaffinity, EINVAL "
                        + "without an online CPU) but does not pin the host thread; CPUs 0-63 only",
                (k, a) -> SysSched.setAffinity(k, (int) a[0], a[1], a[2]));
        t.supported(SCHED_YIELD, (k, a) -> SysProcess.schedYield());
        t.partial(UNSHARE, "no namespaces of its own: a namespace flag is EPERM; fs/files of a multi-threaded process "
                        + "are not unshared (EINVAL); with one thread CLONE_FILES/CLONE_FS copy what another process "
                        + "shares (clone), everything else is the no-op it is on Linux",
                (k, a) -> SysNamespaces.unshare(k, a[0]));
        t.partial(SETNS, "no namespaces to join: EBADF for a closed fd, else EPERM", (k, a) -> SysNamespaces.setns(k, (int) a[0], (int) a[1]));
        // ---- the host's own state, never changed by a guest (SysHostOnly) ----
        t.partial(SETTIMEOFDAY, "never the host's clock: EINVAL for a bad time, else EPERM (as without CAP_SYS_TIME)",
                (k, a) -> SysHostOnly.settimeofday(k, a[0], a[1]));
        t.partial(ADJTIMEX, "queries (modes 0 or ADJ_OFFSET_SS_READ) are the host's answer; any adjustment is EPERM "
                        + "(never the host's clock)", (k, a) -> SysHostOnly.adjtimex(k, a[0]));
        t.partial(CLOCK_ADJTIME, "see adjtimex; clocks other than CLOCK_REALTIME EOPNOTSUPP",
                (k, a) -> SysHostOnly.clockAdjtime(k, (int) a[0], a[1]));
        t.partial(SYSLOG, "the host's kernel log is not given to guests: EPERM (EINVAL for an unknown action)",
                (k, a) -> SysHostOnly.syslog((int) a[0]));
        t.partial(ACCT, "process accounting is the host's: EPERM", (k, a) -> SysHostOnly.refused());
        t.partial(VHANGUP, "EPERM: lxrun does not hang up the host's terminal lines", (k, a) -> SysHostOnly.refused());
        t.partial(SETHOSTNAME, "the host's name is not the guest's to change: EINVAL for a length over 64, else EPERM "
                        + "(no per-guest UTS name yet)", (k, a) -> SysHostOnly.setName(k, a[0], (int) a[1]));
        t.partial(SETDOMAINNAME, "see sethostname", (k, a) -> SysHostOnly.setName(k, a[0], (int) a[1]));
        t.partial(IOPRIO_SET, "kept per thread and reported as Linux does; lxrun's I/O is the host's, which it orders nothing",
                (k, a) -> SysIoprio.set(k, (int) a[0], (int) a[1], (int) a[2]));
        t.supported(IOPRIO_GET, (k, a) -> SysIoprio.get(k, (int) a[0], (int) a[1]));
        t.partial(CAPGET, "the guest's own capability sets (at first lxrun's, as the host gives them), which "
                        + "follow setuid and exec as on Linux without file capabilities; the host acts with lxrun's own",
                (k, a) -> SysCaps.capget(k, a[0], a[1]));
        t.partial(CAPSET, "see capget", (k, a) -> SysCaps.capset(k, a[0], a[1]));
        t.partial(SCHED_SETSCHEDULER, "policy and priority are recorded per thread and reported back; the host runs every "
                        + "guest thread as SCHED_OTHER; SCHED_DEADLINE has no admission control (never EBUSY)",
                (k, a) -> SysSchedPolicy.setscheduler(k, (int) a[0], (int) a[1], a[2]));
        t.supported(SCHED_GETSCHEDULER, (k, a) -> SysSchedPolicy.getscheduler(k, (int) a[0]));
        t.partial(SCHED_SETPARAM, "see sched_setscheduler", (k, a) -> SysSchedPolicy.setparam(k, (int) a[0], a[1]));
        t.supported(SCHED_GETPARAM, (k, a) -> SysSchedPolicy.getparam(k, (int) a[0], a[1]));
        t.partial(SCHED_SETATTR, "see sched_setscheduler; sched_nice sets lxrun's per-process nice value; a fair thread's "
                        + "own slice (sched_runtime) is not kept; utilisation clamps are checked, not kept (reported 0 as "
                        + "without CONFIG_UCLAMP_TASK)",
                (k, a) -> SysSchedPolicy.setattr(k, (int) a[0], a[1], (int) a[2]));
        t.partial(SCHED_GETATTR, "see sched_setattr", (k, a) -> SysSchedPolicy.getattr(k, (int) a[0], a[1], a[2], (int) a[3]));

        // ---- futexes (SysFutex) ----
        t.partial(FUTEX, "FUTEX_LOCK_PI/LOCK_PI2/TRYLOCK_PI/UNLOCK_PI hand locks over as Linux does but boost no "
                        + "priorities (guest threads are not scheduled by priority), and notice a PI owner that died "
                        + "without a robust list within 50 ms; FUTEX_WAIT_REQUEUE_PI, FUTEX_CMP_REQUEUE_PI and FUTEX_FD "
                        + "are ENOSYS",
                (k, a) -> SysFutex.futex(k, a[0], (int) a[1], (int) a[2], a[3], a[4], (int) a[5]));

        // ---- time (SysTime) ----
        // CPU-time clocks (CpuClock) are the host CPU time of the Java threads running guest threads.
        t.supported(CLOCK_GETTIME, (k, a) -> SysTime.clockGettime(k, (int) a[0], a[1]));
        t.supported(CLOCK_GETRES, (k, a) -> SysTime.clockGetres(k, (int) a[0], a[1]));
        t.partial(CLOCK_SETTIME, "never the host's clock: a valid CLOCK_REALTIME time is EPERM (as without CAP_SYS_TIME) "
                        + "even when lxrun could set it; other clocks EINVAL as on Linux",
                (k, a) -> SysHostOnly.clockSettime(k, (int) a[0], a[1]));
        t.supported(GETTIMEOFDAY, (k, a) -> SysTime.gettimeofday(k, a[0], a[1]));
        t.supported(TIME, (k, a) -> SysTime.time(k, a[0]));
        t.supported(NANOSLEEP, (k, a) -> SysTime.nanosleep(k, a[0], a[1]));
        t.supported(CLOCK_NANOSLEEP, (k, a) -> SysTime.clockNanosleep(k, (int) a[0], (int) a[1], a[2], a[3]));

        t.supported(ALARM, (k, a) -> SysTime.alarm(k, a[0]));
        t.partial(SETITIMER, "ITIMER_VIRTUAL/ITIMER_PROF count the host CPU time of the threads running the guest "
                        + "(lxrun's syscall handling counts as user time), sampled every 4 ms: their signals come up to "
                        + "~4 ms late (Linux: up to a tick)",
                (k, a) -> SysTime.setitimer(k, (int) a[0], a[1], a[2]));
        t.partial(GETITIMER, "see setitimer", (k, a) -> SysTime.getitimer(k, (int) a[0], a[1]));
        t.partial(TIMER_CREATE, "CLOCK_REALTIME, MONOTONIC, BOOTTIME, TAI and CPU-time clocks; *_ALARM clocks are "
                        + "EOPNOTSUPP; CPU-time timers are sampled every 4 ms (up to ~4 ms late; Linux: a tick); absolute "
                        + "CLOCK_REALTIME timers do not follow later changes of the host clock",
                (k, a) -> SysTimer.timerCreate(k, (int) a[0], a[1], a[2]));
        t.supported(TIMER_SETTIME, (k, a) -> SysTimer.timerSettime(k, (int) a[0], (int) a[1], a[2], a[3]));
        t.supported(TIMER_GETTIME, (k, a) -> SysTimer.timerGettime(k, (int) a[0], a[1]));
        t.supported(TIMER_GETOVERRUN, (k, a) -> SysTimer.timerGetoverrun(k, (int) a[0]));
        t.supported(TIMER_DELETE, (k, a) -> SysTimer.timerDelete(k, (int) a[0]));

        // ---- signals (SysSignal, delivery in kernel.SignalDelivery) ----
        t.partial(RT_SIGACTION, "SA_NOCLDWAIT is not honoured (children still become zombies)",
                (k, a) -> SysSignal.rtSigaction(k, (int) a[0], a[1], a[2], a[3]));
        t.supported(RT_SIGPROCMASK, (k, a) -> SysSignal.rtSigprocmask(k, (int) a[0], a[1], a[2], a[3]));
        t.supported(RT_SIGPENDING, (k, a) -> SysSignal.rtSigpending(k, a[0], a[1]));
        t.partial(RT_SIGRETURN, "restores general registers, SSE state and MXCSR/FCW; x87 stack registers are not saved",
                (k, a) -> SysSignal.rtSigreturn(k));
        t.supported(SIGALTSTACK, (k, a) -> SysSignal.sigaltstack(k, a[0], a[1]));
        t.supported(RT_SIGSUSPEND, (k, a) -> SysSignal.rtSigsuspend(k, a[0], a[1]));
        t.supported(PAUSE, (k, a) -> SysSignal.pause(k));
        t.supported(RT_SIGTIMEDWAIT, (k, a) -> SysSignal.rtSigtimedwait(k, a[0], a[1], a[2], a[3]));
        t.supported(RT_SIGQUEUEINFO, (k, a) -> SysSignal.rtSigqueueinfo(k, (int) a[0], (int) a[1], a[2]));
        t.supported(RT_TGSIGQUEUEINFO, (k, a) -> SysSignal.rtTgsigqueueinfo(k, (int) a[0], (int) a[1], (int) a[2], a[3]));
        t.partial(KILL, "a stopped process finishes a syscall it was blocked in before it stops",
                (k, a) -> SysSignal.kill(k, (int) a[0], (int) a[1]));
        t.supported(TGKILL, (k, a) -> SysSignal.tgkill(k, (int) a[0], (int) a[1], (int) a[2]));
        t.supported(TKILL, (k, a) -> SysSignal.tkill(k, (int) a[0], (int) a[1]));

        // ---- waiting for descriptors (SysPoll) ----
        t.supported(POLL, (k, a) -> SysPoll.poll(k, a[0], a[1], (int) a[2]));
        t.supported(PPOLL, (k, a) -> SysPoll.ppoll(k, a[0], a[1], a[2], a[3], a[4]));
        t.partial(SELECT, "the timeout is not updated with the time left", (k, a) -> SysPoll.selectTimeval(k, (int) a[0], a[1], a[2], a[3], a[4]));
        t.partial(PSELECT6, "see select", (k, a) -> SysPoll.pselect6(k, (int) a[0], a[1], a[2], a[3], a[4], a[5]));

        // ---- event descriptors (SysEvent): host epoll, eventfd and timerfd objects ----
        t.supported(EPOLL_CREATE, (k, a) -> SysEvent.epollCreate(k, (int) a[0]));
        t.supported(EPOLL_CREATE1, (k, a) -> SysEvent.epollCreate1(k, (int) a[0]));
        t.supported(EPOLL_CTL, (k, a) -> SysEvent.epollCtl(k, (int) a[0], (int) a[1], (int) a[2], a[3]));
        t.supported(EPOLL_WAIT, (k, a) -> SysEvent.epollWaitMs(k, (int) a[0], a[1], (int) a[2], (int) a[3], 0, 8));
        t.supported(EPOLL_PWAIT, (k, a) -> SysEvent.epollWaitMs(k, (int) a[0], a[1], (int) a[2], (int) a[3], a[4], a[5]));
        t.supported(EPOLL_PWAIT2, (k, a) -> SysEvent.epollPwait2(k, (int) a[0], a[1], (int) a[2], a[3], a[4], a[5]));
        t.supported(EVENTFD, (k, a) -> SysEvent.eventfd2(k, (int) a[0], 0));
        t.supported(EVENTFD2, (k, a) -> SysEvent.eventfd2(k, (int) a[0], (int) a[1]));
        t.supported(INOTIFY_INIT, (k, a) -> SysEvent.inotifyInit(k, 0));
        t.supported(INOTIFY_INIT1, (k, a) -> SysEvent.inotifyInit(k, (int) a[0]));
        t.partial(INOTIFY_ADD_WATCH, "host inotify on the file the guest path names: changes made by host programs "
                + "are reported too; a watch in lxrun's /proc watches the host's",
                (k, a) -> SysEvent.inotifyAddWatch(k, (int) a[0], a[1], (int) a[2]));
        t.supported(INOTIFY_RM_WATCH, (k, a) -> SysEvent.inotifyRmWatch(k, (int) a[0], (int) a[1]));
        t.supported(TIMERFD_CREATE, (k, a) -> SysEvent.timerfdCreate(k, (int) a[0], (int) a[1]));
        t.supported(TIMERFD_SETTIME, (k, a) -> SysEvent.timerfdSettime(k, (int) a[0], (int) a[1], a[2], a[3]));
        t.supported(TIMERFD_GETTIME, (k, a) -> SysEvent.timerfdGettime(k, (int) a[0], a[1]));
        t.partial(MINCORE, "single mappings only (ENOMEM across several)", (k, a) -> SysEvent.mincore(k, a[0], a[1], a[2]));
        t.partial(SIGNALFD, "poll/select/epoll readiness follows the creating process's signals, those pending for "
                        + "any of its threads included (Linux: the polling thread's); after fork the child reads its own "
                        + "signals but polls see the creator's",
                (k, a) -> SysSignalFd.signalfd4(k, (int) a[0], a[1], a[2], 0));
        t.partial(SIGNALFD4, "see signalfd", (k, a) -> SysSignalFd.signalfd4(k, (int) a[0], a[1], a[2], (int) a[3]));

        // ---- System V IPC (SysMsg, SysSem over kernel.ipc; one namespace per lxrun kernel) ----
        t.supported(MSGGET, (k, a) -> SysMsg.msgget(k, (int) a[0], (int) a[1]));
        t.supported(MSGSND, (k, a) -> SysMsg.msgsnd(k, (int) a[0], a[1], a[2], (int) a[3]));
        t.supported(MSGRCV, (k, a) -> SysMsg.msgrcv(k, (int) a[0], a[1], a[2], a[3], (int) a[4]));
        t.supported(MSGCTL, (k, a) -> SysMsg.msgctl(k, (int) a[0], (int) a[1], a[2]));
        t.partial(SHMGET, "no huge pages: SHM_HUGETLB is EPERM/ENOMEM as on a Linux with none; /proc/sysvipc/shm shows rss and swap as 0", (k, a) -> SysShm.shmget(k, (int) a[0], a[1], (int) a[2]));
        t.supported(SHMAT, (k, a) -> SysShm.shmat(k, (int) a[0], a[1], (int) a[2]));
        t.supported(SHMDT, (k, a) -> SysShm.shmdt(k, a[0]));
        t.partial(SHMCTL, "SHM_LOCK/SHM_UNLOCK only mark the segment (lxrun never swaps)", (k, a) -> SysShm.shmctl(k, (int) a[0], (int) a[1], a[2]));
        t.supported(SEMGET, (k, a) -> SysSem.semget(k, (int) a[0], (int) a[1], (int) a[2]));
        t.partial(SEMOP, "SEM_UNDO adjustments are per process (CLONE_SYSVSEM sharing between processes is not modelled) and not range-checked against SEMAEM",
                (k, a) -> SysSem.semtimedop(k, (int) a[0], a[1], a[2], 0));
        t.partial(SEMTIMEDOP, "see semop", (k, a) -> SysSem.semtimedop(k, (int) a[0], a[1], a[2], a[3]));
        t.supported(SEMCTL, (k, a) -> SysSem.semctl(k, (int) a[0], (int) a[1], (int) a[2], a[3]));

        // ---- keyrings (SysKeys over kernel.keys.Keys; one key store per lxrun kernel) ----
        t.partial(ADD_KEY, "key types user, logon and keyring (others ENODEV); per-user quotas; "
                        + "keys and special keyrings are not kept across execve differently from fork",
                (k, a) -> SysKeys.addKey(k, a[0], a[1], a[2], a[3], (int) a[4]));
        t.partial(REQUEST_KEY, "searches the caller's keyrings; no /sbin/request-key upcall (a missing key is ENOKEY)",
                (k, a) -> SysKeys.requestKey(k, a[0], a[1], a[2], (int) a[3]));
        t.partial(KEYCTL, "GET_KEYRING_ID, JOIN_SESSION_KEYRING, UPDATE, REVOKE, CHOWN, SETPERM, DESCRIBE, CLEAR, LINK, UNLINK, "
                        + "SEARCH, READ, SET_REQKEY_KEYRING, SET_TIMEOUT, INVALIDATE, GET_PERSISTENT (no expiry), GET_SECURITY (empty label); "
                        + "INSTANTIATE/NEGATE/REJECT EPERM and ASSUME_AUTHORITY only for 0 (no request_key authorisation keys); "
                        + "SESSION_TO_PARENT, DH_*, PKEY_*, RESTRICT_KEYRING, MOVE, CAPABILITIES EOPNOTSUPP",
                (k, a) -> SysKeys.keyctl(k, (int) a[0], a[1], a[2], a[3], a[4]));

        // ---- POSIX message queues (SysMqueue over kernel.ipc.PosixQueues; shared by the kernel's processes) ----
        t.partial(MQ_OPEN, "no /dev/mqueue filesystem to list or mount; RLIMIT_MSGQUEUE is not counted",
                (k, a) -> SysMqueue.open(k, a[0], (int) a[1], (int) a[2], a[3]));
        t.supported(MQ_UNLINK, (k, a) -> SysMqueue.unlink(k, a[0]));
        t.supported(MQ_TIMEDSEND, (k, a) -> SysMqueue.timedsend(k, (int) a[0], a[1], a[2], a[3], a[4]));
        t.supported(MQ_TIMEDRECEIVE, (k, a) -> SysMqueue.timedreceive(k, (int) a[0], a[1], a[2], a[3], a[4]));
        t.partial(MQ_NOTIFY, "SIGEV_SIGNAL and SIGEV_NONE; SIGEV_THREAD (the C library's netlink-socket protocol) is ENOSYS; "
                        + "a registration is not dropped when its process closes the descriptor",
                (k, a) -> SysMqueue.notify(k, (int) a[0], a[1]));
        t.supported(MQ_GETSETATTR, (k, a) -> SysMqueue.getsetattr(k, (int) a[0], a[1], a[2]));

        // ---- system information (SysInfo) ----
        t.supported(UNAME, (k, a) -> SysInfo.uname(k, a[0]));
        t.partial(SYSINFO, "host memory and load figures; procs is 1", (k, a) -> SysInfo.sysinfo(k, a[0]));
        t.supported(GETRANDOM, (k, a) -> SysInfo.getrandom(k, a[0], a[1], (int) a[2]));
        return t;
    }
}
