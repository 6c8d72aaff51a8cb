/* splice, tee and preadv2/pwritev2 in the directory given as argv[1]: file -> pipe with and
   without an offset, tee into a second pipe, pipe -> file, errors for two regular files and an
   empty pipe with SPLICE_F_NONBLOCK, and the RWF_* flags (append, offset -1, unknown flag). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#ifndef SYS_preadv2
#define SYS_preadv2 327
#define SYS_pwritev2 328
#endif
#ifndef RWF_HIPRI
#define RWF_HIPRI 0x1
#define RWF_APPEND 0x10
#endif

/* musl has no preadv2/pwritev2 wrappers: the raw calls (the high offset word is unused on x86-64). */
static long my_preadv2(int fd, const struct iovec *iov, int n, long off, int flags) {
    return syscall(SYS_preadv2, fd, iov, n, off, 0L, flags);
}
static long my_pwritev2(int fd, const struct iovec *iov, int n, long off, int flags) {
    return syscall(SYS_pwritev2, fd, iov, n, off, 0L, flags);
}

static void show(const char *what, long r) {
    if (r < 0) printf("%s: errno %d\n", what, errno);
    else printf("%s: %ld\n", what, r);
}

static void drain(const char *what, int fd) {
    char buf[128] = {0};
    ssize_t n = read(fd, buf, sizeof buf - 1);
    printf("%s: [%.*s]\n", what, (int)(n > 0 ? n : 0), buf);
}

int main(int argc, char **argv) {
    if (argc < 2 || chdir(argv[1]) != 0) return 2;
    int f = open("src", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(f, "0123456789abcdefghij", 20);
    int p[2], q[2];
    pipe(p);
    pipe(q);
    loff_t off = 5;
    show("splice file@5 -> pipe", splice(f, &off, p[1], NULL, 6, 0));
    printf("offset now %lld, file position %ld\n", (long long)off, (long)lseek(f, 0, SEEK_CUR));
    show("tee pipe -> pipe", tee(p[0], q[1], 100, 0));
    drain("first pipe", p[0]);
    drain("second pipe", q[0]);
    lseek(f, 10, SEEK_SET);
    show("splice file(pos 10) -> pipe", splice(f, NULL, p[1], NULL, 4, 0));
    printf("file position %ld\n", (long)lseek(f, 0, SEEK_CUR));
    int g = open("dst", O_RDWR | O_CREAT | O_TRUNC, 0644);
    loff_t at = 3;
    show("splice pipe -> file@3", splice(p[0], NULL, g, &at, 100, 0));
    char buf[32] = {0};
    pread(g, buf, sizeof buf - 1, 0);
    printf("dst: [%s] (%zu bytes)\n", buf + 3, 3 + strlen(buf + 3));
    show("splice file -> file", splice(f, NULL, g, NULL, 4, 0));
    show("splice empty pipe NONBLOCK", splice(p[0], NULL, g, NULL, 4, SPLICE_F_NONBLOCK));
    show("tee empty pipe NONBLOCK", tee(p[0], q[1], 4, SPLICE_F_NONBLOCK));
    show("splice bad fd", splice(99, NULL, p[1], NULL, 4, 0));

    char a[4] = {0}, b[5] = {0};
    struct iovec iov[2] = {{a, 3}, {b, 4}};
    lseek(f, 2, SEEK_SET);
    show("preadv2 at -1 HIPRI", my_preadv2(f, iov, 2, -1, RWF_HIPRI));
    printf("got [%s][%s], position %ld\n", a, b, (long)lseek(f, 0, SEEK_CUR));
    show("preadv2 at 12 no flags", my_preadv2(f, iov, 2, 12, 0));
    printf("got [%s][%s]\n", a, b);
    struct iovec w = {"XY", 2};
    show("pwritev2 APPEND", my_pwritev2(f, &w, 1, 0, RWF_APPEND));
    memset(buf, 0, sizeof buf);
    pread(f, buf, sizeof buf - 1, 0);
    printf("src: [%s]\n", buf);
    show("preadv2 unknown flag", my_preadv2(f, iov, 2, 0, 0x4000));
    close(f);
    close(g);
    return 0;
}
