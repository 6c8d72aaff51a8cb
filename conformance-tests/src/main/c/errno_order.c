/*
 * Which error Linux reports when a call has several things wrong (issue 19): the order of its
 * checks, found by syscall_fuzz's comparison with native runs. Each line is one call and the
 * errno it got (or OK); the differential test compares them with the native run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define KERNEL_ADDR 0xffff800000000000UL

static const char *name(int e) { /* musl has no strerrorname_np */
    switch (e) {
    case EPERM: return "EPERM"; case ENOENT: return "ENOENT"; case EBADF: return "EBADF"; case EACCES: return "EACCES";
    case EFAULT: return "EFAULT"; case EBUSY: return "EBUSY"; case ENOTDIR: return "ENOTDIR"; case EINVAL: return "EINVAL";
    case ESPIPE: return "ESPIPE"; case ERANGE: return "ERANGE"; case EOPNOTSUPP: return "EOPNOTSUPP"; case ENOTSOCK: return "ENOTSOCK";
    case EAFNOSUPPORT: return "EAFNOSUPPORT"; case ESOCKTNOSUPPORT: return "ESOCKTNOSUPPORT"; case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
    default: { static char b[16]; snprintf(b, sizeof b, "E%d", e); return b; }
    }
}
#define strerrorname_np name

static void show(const char *what, long r) {
    if (r < 0) printf("%s: %s\n", what, strerrorname_np(errno));
    else printf("%s: OK\n", what);
}

int main(void) {
    char dir[] = "/tmp/errno_order.XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) != 0) { perror("scratch"); return 1; }
    int f = open("file", O_RDWR | O_CREAT, 0644);
    write(f, "some bytes\n", 11);
    int p[2];
    pipe(p);

    /* positioned I/O: the offset, then the descriptor, then what the file is, then the buffer */
    show("pread64 pipe, bad buffer", syscall(SYS_pread64, p[0], KERNEL_ADDR, 10, 0));
    show("pwrite64 pipe, bad buffer", syscall(SYS_pwrite64, p[1], KERNEL_ADDR, 10, 0));
    show("pread64 bad fd, negative offset", syscall(SYS_pread64, 1000, KERNEL_ADDR, 10, -1));
    show("pread64 file, bad buffer", syscall(SYS_pread64, f, KERNEL_ADDR, 10, 0));

    /* newfstatat: an empty name with AT_EMPTY_PATH first, then the flags, then the name, then the buffer */
    char st[256];
    show("newfstatat junk flags, bad buffer", syscall(SYS_newfstatat, AT_FDCWD, "file", KERNEL_ADDR, 0x5a));
    show("newfstatat junk flags, missing name", syscall(SYS_newfstatat, AT_FDCWD, "nonexist", st, 0x5a));
    show("newfstatat bad fd, empty name, AT_EMPTY_PATH and junk", syscall(SYS_newfstatat, 1000, "", st, AT_EMPTY_PATH | 0x5a));
    show("newfstatat fd, empty name, AT_EMPTY_PATH and junk", syscall(SYS_newfstatat, f, "", st, AT_EMPTY_PATH | 0x5a));
    show("newfstatat cwd, empty name, AT_EMPTY_PATH and junk", syscall(SYS_newfstatat, AT_FDCWD, "", st, AT_EMPTY_PATH | 0x5a));

    show("newfstatat junk flags, NULL name", syscall(SYS_newfstatat, f, 0, st, 0x2));
    show("newfstatat junk flags, bad name", syscall(SYS_newfstatat, 1000, -1L, st, 0x86));
    show("newfstatat fd, NULL name, AT_EMPTY_PATH", syscall(SYS_newfstatat, f, 0, st, AT_EMPTY_PATH));
    show("newfstatat fd -1, NULL name, AT_EMPTY_PATH and junk", syscall(SYS_newfstatat, -1, 0, st, AT_EMPTY_PATH | 0x48c));
    show("newfstatat fd -1, NULL name, AT_EMPTY_PATH", syscall(SYS_newfstatat, -1, 0, st, AT_EMPTY_PATH));
    show("newfstatat fd -1, empty name, AT_EMPTY_PATH", syscall(SYS_newfstatat, -1, "", st, AT_EMPTY_PATH));
    show("newfstatat cwd, NULL name, AT_EMPTY_PATH", syscall(SYS_newfstatat, AT_FDCWD, 0, st, AT_EMPTY_PATH));

    /* mmap: the offset, then the descriptor of a file mapping, then length and flags */
    show("mmap bad fd, no MAP_PRIVATE or MAP_SHARED", (long)mmap(0, 4096, PROT_READ, 0, 1000, 0) == -1 ? -1 : 0);
    show("mmap bad fd, length 0", (long)mmap(0, 0, PROT_READ, MAP_PRIVATE, 1000, 0) == -1 ? -1 : 0);
    show("mmap bad fd, unaligned offset", (long)mmap(0, 4096, PROT_READ, MAP_PRIVATE, 1000, 5) == -1 ? -1 : 0);

    /* mmap: an impossible length before the mapping type; prot bits mmap does not know are ignored
       (fuzz seed 5); MAP_SHARED_VALIDATE is for files only */
    show("mmap length -1, no MAP_PRIVATE or MAP_SHARED", (long)mmap(0, -1UL, PROT_NONE, MAP_ANONYMOUS, -1, 0) == -1 ? -1 : 0);
    show("mmap length 2^48, no MAP_PRIVATE or MAP_SHARED", (long)mmap(0, 1UL << 48, PROT_NONE, MAP_ANONYMOUS, -1, 0) == -1 ? -1 : 0);
    show("mmap prot 0x100", (long)mmap(0, 4096, 0x100, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == -1 ? -1 : 0);
    show("mmap anonymous MAP_SHARED_VALIDATE", (long)mmap(0, 4096, PROT_READ, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0) == -1 ? -1 : 0);

    /* execve of a /proc file or a device: it exists, but is no executable regular file (fuzz seed 15) */
    char *xargv[] = {"x", NULL};
    show("execve /proc/self/status", syscall(SYS_execve, "/proc/self/status", xargv, 0));
    show("execve /proc/self", syscall(SYS_execve, "/proc/self", xargv, 0));
    show("execve /proc/self/status, bad argv", syscall(SYS_execve, "/proc/self/status", -1L, 0));
    show("execve /dev/null", syscall(SYS_execve, "/dev/null", xargv, 0));
    show("execve /proc/nonexist", syscall(SYS_execve, "/proc/nonexist", xargv, 0));

    /* utimensat: a NULL name is the descriptor itself, but with AT_FDCWD it is a bad address */
    show("utimensat AT_FDCWD, NULL name", syscall(SYS_utimensat, AT_FDCWD, 0, 0, 0));
    show("utimensat fd, NULL name, flags", syscall(SYS_utimensat, f, 0, 0, AT_SYMLINK_NOFOLLOW));
    show("utimensat bad fd, NULL name", syscall(SYS_utimensat, 1000, 0, 0, 0));

    /* MAP_32BIT: placed between 1 and 2 GiB, so 32 TiB does not fit (ENOMEM before the missing type) */
    show("mmap 32 TiB MAP_32BIT, no MAP_PRIVATE or MAP_SHARED", (long)mmap((void *)0x10000, 32UL << 40, PROT_READ, MAP_ANONYMOUS | MAP_32BIT, -1, 0) == -1 ? -1 : 0);
    char *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    printf("MAP_32BIT mapping below 2 GiB: %s\n", low != MAP_FAILED && (unsigned long)low < 0x80000000UL ? "yes" : "no");

    /* an O_PATH descriptor takes only the descriptor commands of fcntl, and cannot be mapped */
    int opath = open(".", O_PATH);
    int fpath = open("file", O_PATH);
    show("mmap O_PATH descriptor", (long)mmap(0, 4096, PROT_READ, MAP_PRIVATE, fpath, 0) == -1 ? -1 : 0);
    /* MAP_HUGETLB with a page size no pool has (2^4 bytes) */
    show("mmap MAP_HUGETLB, size 2^4", (long)mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | (4 << 26), -1, 0) == -1 ? -1 : 0);
    show("fcntl O_PATH, unknown command", syscall(SYS_fcntl, opath, 0x270f, 0x7fffffff));
    show("fcntl O_PATH, F_GETLK", syscall(SYS_fcntl, opath, F_GETLK, st));
    show("fcntl O_PATH, F_SETFL", syscall(SYS_fcntl, opath, F_SETFL, 0));
    show("fcntl O_PATH, F_GETFD", syscall(SYS_fcntl, opath, F_GETFD));
    show("fcntl file, unknown command", syscall(SYS_fcntl, f, 0x270f, 0x7fffffff));

    /* O_TMPFILE is checked before the name is looked up: it needs write access (fuzz seed 95) */
    show("openat O_TMPFILE|O_RDONLY, missing directory", syscall(SYS_openat, AT_FDCWD, "nonexist/x", O_TMPFILE | O_RDONLY, 0600));
    show("openat O_TMPFILE|O_CREAT|O_RDWR, missing directory", syscall(SYS_openat, AT_FDCWD, "nonexist/x", O_TMPFILE | O_CREAT | O_RDWR, 0600));
    show("openat O_TMPFILE|O_RDWR, missing directory", syscall(SYS_openat, AT_FDCWD, "nonexist/x", O_TMPFILE | O_RDWR, 0600));

    /* positioned I/O on a pipe is ESPIPE before the buffer or the access mode (fuzz seed 115) */
    show("pwrite64 pipe read end, buffer past user space", syscall(SYS_pwrite64, p[0], -1L, 4097, 8350));
    show("pread64 pipe write end, buffer past user space", syscall(SYS_pread64, p[1], -1L, 4097, 8350));
    show("pwrite64 read-only file, buffer past user space", syscall(SYS_pwrite64, open("file", O_RDONLY), -1L, 4097, 0));

    /* a read-only /proc file is a seq_file: pwrite is ESPIPE before its access mode */
    int status = open("/proc/self/status", O_RDONLY);
    show("pwrite64 /proc/self/status", syscall(SYS_pwrite64, status, "x", 1, 0));
    show("pwrite64 /proc/self/status, bad buffer", syscall(SYS_pwrite64, status, -1L, 4097, 8350));
    show("write /proc/self/status", syscall(SYS_write, status, "x", 1));

    /* recvmsg with more than UIO_MAXIOV iovecs is EMSGSIZE */
    int dg[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, dg);
    struct msghdr mh = {0};
    mh.msg_iovlen = 1025;
    show("recvmsg 1025 iovecs", syscall(SYS_recvmsg, dg[0], &mh, MSG_DONTWAIT));
    show("sendmsg 1025 iovecs", syscall(SYS_sendmsg, dg[0], &mh, MSG_DONTWAIT));

    /* generic ioctls: FIGETBSZ (a block size, so only whether it worked is shown), FIOCLEX and FIONCLEX */
    int bsz = 0;
    show("ioctl FIGETBSZ file", syscall(SYS_ioctl, f, 2, &bsz));
    show("ioctl FIGETBSZ file, bad pointer", syscall(SYS_ioctl, f, 2, 0x1000));
    show("ioctl FIOCLEX", syscall(SYS_ioctl, f, 0x5451, 0));
    show("fcntl F_GETFD after FIOCLEX", syscall(SYS_fcntl, f, F_GETFD) == FD_CLOEXEC ? 0 : -1);
    show("ioctl FIONCLEX", syscall(SYS_ioctl, f, 0x5450, 0));
    show("fcntl F_GETFD after FIONCLEX", syscall(SYS_fcntl, f, F_GETFD) == 0 ? 0 : -1);

    /* the alarm clocks exist only with an RTC device (as the host has one or not): EINVAL before EFAULT */
    show("clock_gettime CLOCK_BOOTTIME_ALARM", syscall(SYS_clock_gettime, 9, st));
    show("clock_gettime CLOCK_REALTIME_ALARM, bad pointer", syscall(SYS_clock_gettime, 8, KERNEL_ADDR));
    show("clock_getres CLOCK_BOOTTIME_ALARM", syscall(SYS_clock_getres, 9, st));

    /* pipe2: O_NOTIFICATION_PIPE (O_EXCL) is ENOPKG without watch queues, other flags EINVAL, both before the buffer */
    show("pipe2 O_EXCL", syscall(SYS_pipe2, KERNEL_ADDR, O_EXCL | O_NONBLOCK));
    show("pipe2 O_TRUNC", syscall(SYS_pipe2, KERNEL_ADDR, O_TRUNC));

    /* struct stat at an address that is 4 mod 8 (x86 allows it; a fuzz seed made it an internal error) */
    static long aligned[40];
    int devnull = open("/dev/null", O_RDONLY);
    show("fstat /dev/null into a buffer at 4 mod 8", syscall(SYS_fstat, devnull, (char *)aligned + 4));
    show("fstat file into a buffer at 4 mod 8", syscall(SYS_fstat, f, (char *)aligned + 4));

    /* getdents64 into kernel space: a write-only file is ENOTDIR, as with any buffer */
    show("getdents64 write-only file, kernel buffer", syscall(SYS_getdents64, open("file", O_WRONLY), KERNEL_ADDR, 4096));
    show("getdents64 O_PATH directory, kernel buffer", syscall(SYS_getdents64, opath, KERNEL_ADDR, 4096));

    /* zero bytes still need the right end of a pipe (vfs_write, vfs_read) */
    show("write 0 bytes to a pipe's read end", write(p[0], "", 0));
    show("read 0 bytes from a pipe's write end", read(p[1], st, 0));
    show("write 0 bytes to a pipe's write end", write(p[1], "", 0));

    /* readlinkat: the size (an int) first, then the name, then the buffer */
    show("readlinkat missing name, NULL buffer", syscall(SYS_readlinkat, AT_FDCWD, "nonexist", 0, 100));
    show("readlinkat regular file, NULL buffer", syscall(SYS_readlinkat, AT_FDCWD, "file", 0, 100));
    show("readlinkat size 2^32, bad name", syscall(SYS_readlinkat, AT_FDCWD, KERNEL_ADDR, st, 1UL << 32));
    show("readlinkat size -1", syscall(SYS_readlinkat, AT_FDCWD, "file", st, -1L));
    symlink("file", "link");
    show("readlinkat link, NULL buffer", syscall(SYS_readlinkat, AT_FDCWD, "link", 0, 100));

    /* getdents64 of a file that is no directory, into a bad buffer */
    show("getdents64 regular file, bad buffer", syscall(SYS_getdents64, f, KERNEL_ADDR, 65536));

    /* socketpair of families that have none */
    int sv[2];
    show("socketpair AF_INET", syscall(SYS_socketpair, AF_INET, SOCK_STREAM, 0, sv));
    show("socketpair AF_ALG", syscall(SYS_socketpair, 38, SOCK_STREAM, 0, sv));
    show("socketpair family 200", syscall(SYS_socketpair, 200, SOCK_STREAM, 0, sv));
    show("socketpair AF_UNIX bad type", syscall(SYS_socketpair, AF_UNIX, 99, 0, sv));

    /* accept asks the protocol before waiting or looking at the address (LTP accept01 hung) */
    int tcp = socket(AF_INET, SOCK_STREAM, 0), udp = socket(AF_INET, SOCK_DGRAM, 0);
    socklen_t alen = 16;
    show("accept unlistening TCP, bad address", syscall(SYS_accept, tcp, 3, &alen));
    show("accept unlistening TCP, null address", syscall(SYS_accept4, tcp, 0, 0, 0));
    show("accept4 unlistening TCP, junk flags", syscall(SYS_accept4, tcp, 0, 0, 0x4000));
    show("accept UDP", syscall(SYS_accept, udp, 0, 0));
    show("accept UNIX datagram", syscall(SYS_accept, sv[0] = socket(AF_UNIX, SOCK_DGRAM, 0), 0, 0));
    close(tcp); close(udp); close(sv[0]);

    /* sendmsg/recvmsg find the socket before reading the header */
    int plain = open("file", O_RDONLY);
    show("recvmsg regular file, bad header", syscall(SYS_recvmsg, plain, KERNEL_ADDR, 0));
    show("sendmsg regular file, bad header", syscall(SYS_sendmsg, plain, KERNEL_ADDR, 0));
    close(plain);

    /* nothing to move, but a buffer above user space: access_ok still says EFAULT */
    int zp[2];
    if (pipe(zp) == 0) {
        show("write 0 bytes from a kernel address", syscall(SYS_write, zp[1], KERNEL_ADDR, 0));
        show("read 0 bytes into a kernel address", syscall(SYS_read, zp[0], KERNEL_ADDR, 0));
        show("pread 0 bytes on a pipe, kernel address", syscall(SYS_pread64, zp[0], KERNEL_ADDR, 0, 0));
        close(zp[0]); close(zp[1]);
    }
    int zf = open("file", O_RDWR);
    show("pwrite 0 bytes from a kernel address", syscall(SYS_pwrite64, zf, KERNEL_ADDR, 0, 0));
    show("read 0 bytes from a file, user address 0x1000", syscall(SYS_read, zf, 0x1000, 0));
    close(zf);

    /* renameat2: flags, then "." or "..", then the names */
    show("renameat2 . to file/", syscall(SYS_renameat2, AT_FDCWD, ".", AT_FDCWD, "file/", 2));
    show("renameat2 file to ..", syscall(SYS_renameat2, AT_FDCWD, "file", AT_FDCWD, "..", 0));
    show("renameat2 EXCHANGE|NOREPLACE, empty name", syscall(SYS_renameat2, AT_FDCWD, "file", AT_FDCWD, "", 3));
    show("renameat2 unknown flag", syscall(SYS_renameat2, AT_FDCWD, "nonexist", AT_FDCWD, "x", 8));

    /* unlinkat and dup3: the flags before anything else */
    show("unlinkat junk flags, missing name", syscall(SYS_unlinkat, AT_FDCWD, "nonexist/x", 0x260));
    show("unlinkat junk flags, bad name", syscall(SYS_unlinkat, AT_FDCWD, KERNEL_ADDR, 0x60));
    show("dup3 bad fd, junk flags", syscall(SYS_dup3, -1, 16, 0x80));
    show("dup3 bad fd, same fd", syscall(SYS_dup3, 1000, 1000, 0));
    show("dup2 bad fd, same fd", syscall(SYS_dup2, 1000, 1000));

    /* zero-length buffers above user space, and getcwd's unsigned size */
    show("poll no fds at a kernel address", syscall(SYS_poll, -1L, 0, 0));
    show("poll no fds at NULL", syscall(SYS_poll, 0, 0, 0));
    show("getrandom no bytes at a kernel address", syscall(SYS_getrandom, -1L, 0, 0));
    show("getcwd bad buffer, size -1", syscall(SYS_getcwd, 0x1000, -1L));
    show("getcwd bad buffer, size 1", syscall(SYS_getcwd, 0x1000, 1));

    /* access: no execute bit on a /dev file, even for root */
    show("access /dev/null X_OK", syscall(SYS_access, "/dev/null", X_OK));

    /* execve: the file is opened before argv is read */
    pid_t c = fork();
    if (c == 0) {
        syscall(SYS_execve, "nonexist", KERNEL_ADDR, 0);
        _exit(errno);
    }
    int s;
    waitpid(c, &s, 0);
    printf("execve missing file, bad argv: %s\n", strerrorname_np(WEXITSTATUS(s)));

    /* x86 pages: writable or executable is readable */
    volatile char *x = mmap(0, 4096, PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    volatile char *w = mmap(0, 4096, PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("read PROT_EXEC page: %d, PROT_WRITE page: %d\n", x[10], w[10]);
    show("write from PROT_EXEC page", write(p[1], (char *)x, 4));

    unlink("link");
    unlink("file");
    chdir("/");
    rmdir(dir);
    return 0;
}
