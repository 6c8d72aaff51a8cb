package dev.lxrun.syscalls;

import static dev.lxrun.syscalls.ArgKind.*;

import java.util.HashMap;
import java.util.Map;

/** Argument shapes of syscalls, so strace output decodes them; unlisted syscalls show six hex words. */
final class SyscallSignatures {
    private static final Map<Integer, ArgKind[]> BY_NUMBER = new HashMap<>();

    private SyscallSignatures() {}

    private static void sig(int nr, ArgKind... kinds) {
        BY_NUMBER.put(nr, kinds);
    }

    static ArgKind[] of(int nr) {
        return BY_NUMBER.get(nr);
    }

    static {
        sig(Sysno.READ, FD, BUF_OUT, UINT);
        sig(Sysno.WRITE, FD, BUF_IN, UINT);
        sig(Sysno.PREAD64, FD, BUF_OUT, UINT, INT);
        sig(Sysno.PWRITE64, FD, BUF_IN, UINT, INT);
        sig(Sysno.READV, FD, PTR, INT);
        sig(Sysno.WRITEV, FD, PTR, INT);
        sig(Sysno.PREADV, FD, PTR, INT, INT);
        sig(Sysno.PWRITEV, FD, PTR, INT, INT);
        sig(Sysno.OPEN, STR, OPEN_FLAGS, MODE);
        sig(Sysno.OPENAT, FD, STR, OPEN_FLAGS, MODE);
        sig(Sysno.CREAT, STR, MODE);
        sig(Sysno.CLOSE, FD);
        sig(Sysno.STAT, STR, PTR);
        sig(Sysno.LSTAT, STR, PTR);
        sig(Sysno.FSTAT, FD, PTR);
        sig(Sysno.NEWFSTATAT, FD, STR, PTR, AT_FLAGS);
        sig(Sysno.STATX, FD, STR, AT_FLAGS, PTR, PTR);
        sig(Sysno.LSEEK, FD, INT, WHENCE);
        sig(Sysno.GETDENTS64, FD, PTR, UINT);
        sig(Sysno.READLINK, STR, PTR, UINT);
        sig(Sysno.READLINKAT, FD, STR, PTR, UINT);
        sig(Sysno.ACCESS, STR, ACCESS_MODE);
        sig(Sysno.FACCESSAT, FD, STR, ACCESS_MODE);
        sig(Sysno.FACCESSAT2, FD, STR, ACCESS_MODE, AT_FLAGS);
        sig(Sysno.MKDIR, STR, MODE);
        sig(Sysno.MKDIRAT, FD, STR, MODE);
        sig(Sysno.RMDIR, STR);
        sig(Sysno.UNLINK, STR);
        sig(Sysno.UNLINKAT, FD, STR, AT_FLAGS);
        sig(Sysno.RENAME, STR, STR);
        sig(Sysno.RENAMEAT, FD, STR, FD, STR);
        sig(Sysno.RENAMEAT2, FD, STR, FD, STR, UINT);
        sig(Sysno.LINK, STR, STR);
        sig(Sysno.SYMLINK, STR, STR);
        sig(Sysno.SYMLINKAT, STR, FD, STR);
        sig(Sysno.LINKAT, FD, STR, FD, STR, AT_FLAGS);
        sig(Sysno.CHMOD, STR, MODE);
        sig(Sysno.FCHMOD, FD, MODE);
        sig(Sysno.CHDIR, STR);
        sig(Sysno.FCHDIR, FD);
        sig(Sysno.GETCWD, PTR, UINT);
        sig(Sysno.TRUNCATE, STR, INT);
        sig(Sysno.FTRUNCATE, FD, INT);
        sig(Sysno.FSYNC, FD);
        sig(Sysno.FDATASYNC, FD);
        sig(Sysno.DUP, FD);
        sig(Sysno.DUP2, FD, FD);
        sig(Sysno.DUP3, FD, FD, OPEN_FLAGS);
        sig(Sysno.FCNTL, FD, FCNTL_CMD, PTR);
        sig(Sysno.IOCTL, FD, IOCTL_REQ, PTR);
        sig(Sysno.UMASK, MODE);
        sig(Sysno.PIPE, PTR);
        sig(Sysno.PIPE2, PTR, OPEN_FLAGS);
        sig(Sysno.BRK, PTR);
        sig(Sysno.MMAP, PTR, UINT, PROT, MAP_FLAGS, FD, PTR);
        sig(Sysno.MUNMAP, PTR, UINT);
        sig(Sysno.MPROTECT, PTR, UINT, PROT);
        sig(Sysno.MREMAP, PTR, UINT, UINT, PTR, PTR);
        sig(Sysno.MADVISE, PTR, UINT, INT);
        sig(Sysno.EXIT, INT);
        sig(Sysno.EXIT_GROUP, INT);
        sig(Sysno.GETPID);
        sig(Sysno.GETPPID);
        sig(Sysno.GETTID);
        sig(Sysno.GETUID);
        sig(Sysno.GETEUID);
        sig(Sysno.GETGID);
        sig(Sysno.GETEGID);
        sig(Sysno.GETPGRP);
        sig(Sysno.SETSID);
        sig(Sysno.GETRESUID, PTR, PTR, PTR);
        sig(Sysno.GETRESGID, PTR, PTR, PTR);
        sig(Sysno.SET_TID_ADDRESS, PTR);
        sig(Sysno.SET_ROBUST_LIST, PTR, UINT);
        sig(Sysno.RSEQ, PTR, UINT, INT, PTR);
        sig(Sysno.ARCH_PRCTL, ARCH_CODE, PTR);
        sig(Sysno.PRLIMIT64, INT, INT, PTR, PTR);
        sig(Sysno.GETRLIMIT, INT, PTR);
        sig(Sysno.SETRLIMIT, INT, PTR);
        sig(Sysno.SCHED_GETAFFINITY, INT, UINT, PTR);
        sig(Sysno.SCHED_YIELD);
        sig(Sysno.CLOCK_GETTIME, CLOCK, PTR);
        sig(Sysno.CLOCK_GETRES, CLOCK, PTR);
        sig(Sysno.GETTIMEOFDAY, PTR, PTR);
        sig(Sysno.TIME, PTR);
        sig(Sysno.NANOSLEEP, PTR, PTR);
        sig(Sysno.CLOCK_NANOSLEEP, CLOCK, INT, PTR, PTR);
        sig(Sysno.RT_SIGACTION, SIGNAL, PTR, PTR, UINT);
        sig(Sysno.RT_SIGPROCMASK, SIG_HOW, PTR, PTR, UINT);
        sig(Sysno.RT_SIGRETURN);
        sig(Sysno.KILL, INT, SIGNAL);
        sig(Sysno.TGKILL, INT, INT, SIGNAL);
        sig(Sysno.TKILL, INT, SIGNAL);
        sig(Sysno.UNAME, PTR);
        sig(Sysno.SYSINFO, PTR);
        sig(Sysno.GETRANDOM, PTR, UINT, UINT);
        sig(Sysno.EXECVE, STR, STR_ARRAY, STR_ARRAY);
        sig(Sysno.WAIT4, INT, PTR, INT, PTR);
        sig(Sysno.FORK);
        sig(Sysno.VFORK);
        sig(Sysno.CLONE, PTR, PTR, PTR, PTR, PTR);
        sig(Sysno.FUTEX, PTR, INT, INT, PTR, PTR, INT);
        sig(Sysno.POLL, PTR, UINT, INT);
        sig(Sysno.SOCKET, INT, INT, INT);
        sig(Sysno.CONNECT, FD, PTR, UINT);
        sig(Sysno.BIND, FD, PTR, UINT);
        sig(Sysno.LISTEN, FD, INT);
        sig(Sysno.ACCEPT4, FD, PTR, PTR, INT);
        sig(Sysno.SENDTO, FD, BUF_IN, UINT, INT, PTR, UINT);
        sig(Sysno.RECVFROM, FD, BUF_OUT, UINT, INT, PTR, PTR);
    }
}
