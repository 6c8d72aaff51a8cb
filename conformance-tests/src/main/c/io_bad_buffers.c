/*
 * read, write, pread and socketpair with buffers the caller cannot give, in Linux's order of
 * checks: the descriptor and its access mode (EBADF) before access_ok (EFAULT), the file's own
 * answer when it never touches the buffer (0 at end of file, EAGAIN on an empty pipe, EPIPE, a
 * write to /dev/null), the bytes before the fault for a regular file, and socketpair's EFAULT
 * before its family and type are looked at. Found by lxrun's syscall fuzzer (issue 19).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define KERNEL ((void *)0xffff800000000000ULL)

/* musl has no strerrorname_np */
static const char *name(int e) {
    switch (e) {
    case EBADF: return "EBADF";
    case EFAULT: return "EFAULT";
    case EAGAIN: return "EAGAIN";
    case EISDIR: return "EISDIR";
    case ESPIPE: return "ESPIPE";
    case EPIPE: return "EPIPE";
    case EINVAL: return "EINVAL";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case ESOCKTNOSUPPORT: return "ESOCKTNOSUPPORT";
    case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
    default: return "other";
    }
}

static volatile size_t huge = SIZE_MAX; /* a variable: the compiler would warn at a constant */
static void *volatile nil; /* NULL through a variable, for the same reason */

static void show(const char *what, long r) {
    if (r < 0) printf("%-44s %s (%d)\n", what, name(errno), errno);
    else printf("%-44s OK %ld\n", what, r);
}

int main(void) {
    signal(SIGPIPE, SIG_IGN);
    char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(page + 4096, 4096, PROT_NONE);
    char *three = page + 4096 - 3; /* three good bytes, then PROT_NONE */
    char buf[64];
    char dir[] = "/tmp/io_bad_buffers.XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) != 0) return 1;

    int ro = open("empty", O_RDONLY | O_CREAT, 0600);
    int wo = open("out", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int ten = open("ten", O_RDWR | O_CREAT | O_TRUNC, 0600);
    write(ten, "0123456789", 10);
    int dfd = open(".", O_RDONLY | O_DIRECTORY);
    int path = open("ten", O_PATH);
    int null = open("/dev/null", O_RDWR);

    show("write(read-only fd, NULL, 10)", write(ro, nil, 10));
    show("write(read-only fd, kernel, 10)", write(ro, KERNEL, 10));
    show("write(O_PATH fd, NULL, 10)", write(path, nil, 10));
    show("write(write-only fd, kernel, 10)", write(wo, KERNEL, 10));
    show("write(write-only fd, NULL, 10)", write(wo, nil, 10));
    show("write(write-only fd, buf, SIZE_MAX)", write(wo, buf, huge));
    show("write(write-only fd, kernel, 0)", write(wo, KERNEL, 0));
    show("write(write-only fd, 3 good bytes, 10)", write(wo, three, 10));
    show("read(write-only fd, NULL, 10)", read(wo, nil, 10));
    show("read(write-only fd, kernel, 10)", read(wo, KERNEL, 10));
    show("read(empty file, NULL, 10)", read(ro, nil, 10));
    show("read(empty file, kernel, 10)", read(ro, KERNEL, 10));
    show("read(empty file, buf, SIZE_MAX)", read(ro, buf, huge));
    lseek(ten, 0, SEEK_SET);
    show("read(10-byte file, NULL, 10)", read(ten, nil, 10));
    show("read(10-byte file, 3 good bytes, 10)", read(ten, three, 10));
    printf("  got %.3s, offset now %ld\n", three, (long)lseek(ten, 0, SEEK_CUR));
    show("pread(10-byte file, 3 good bytes, 10, 5)", pread(ten, three, 10, 5));
    printf("  got %.3s\n", three);
    show("pread(10-byte file, NULL, 10, 10)", pread(ten, nil, 10, 10));
    show("read(directory, kernel, 10)", read(dfd, KERNEL, 10));
    show("read(directory, buf, 10)", read(dfd, buf, 10));
    show("read(/dev/null, NULL, 10)", read(null, nil, 10));
    show("write(/dev/null, NULL, 10)", write(null, nil, 10));
    show("write(/dev/null, kernel, 10)", write(null, KERNEL, 10));

    int p[2];
    pipe2(p, O_NONBLOCK);
    show("read(empty non-blocking pipe, NULL, 10)", read(p[0], nil, 10));
    show("read(empty non-blocking pipe, kernel, 10)", read(p[0], KERNEL, 10));
    show("pread(pipe, kernel, 10, 0)", pread(p[0], KERNEL, 10, 0));
    write(p[1], "abcdef", 6);
    show("read(pipe with 6 bytes, NULL, 10)", read(p[0], nil, 10));
    show("read(pipe with 6 bytes, 3 good bytes, 10)", read(p[0], three, 10));
    show("read(pipe, buf, 10) after", read(p[0], buf, 10));
    show("write(pipe, NULL, 10)", write(p[1], nil, 10));
    show("write(pipe, 3 good bytes, 10)", write(p[1], three, 10));
    show("read(pipe, buf, 10) after the writes", read(p[0], buf, 10));
    close(p[0]);
    show("write(pipe without reader, NULL, 10)", write(p[1], nil, 10));

    int sv[2];
    show("socketpair(AF_UNIX, SOCK_STREAM, NULL)", socketpair(AF_UNIX, SOCK_STREAM, 0, nil));
    show("socketpair(family 999, SOCK_STREAM, NULL)", socketpair(999, SOCK_STREAM, 0, nil));
    show("socketpair(AF_UNIX, type 7, NULL)", socketpair(AF_UNIX, 7, 0, (int *)KERNEL));
    show("socketpair(family 999, SOCK_STREAM, sv)", socketpair(999, SOCK_STREAM, 0, sv));
    show("socketpair(AF_UNIX, bad flags, NULL)", socketpair(AF_UNIX, SOCK_STREAM | 0x100, 0, nil));
    show("socketpair(AF_INET, SOCK_STREAM, NULL)", socketpair(AF_INET, SOCK_STREAM, 0, nil));
    show("socketpair(AF_UNIX, SOCK_STREAM, sv)", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    show("write(socket, NULL, 10)", write(sv[0], nil, 10));
    show("read(socket, kernel, 10)", read(sv[1], KERNEL, 10));

    unlink("empty");
    unlink("out");
    unlink("ten");
    chdir("/");
    rmdir(dir);
    return 0;
}
