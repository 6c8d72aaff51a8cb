/*
 * Linux native AIO through the raw system calls (as libaio makes them): a context, writes,
 * reads, fsync and a vectored read submitted together, their completions collected with
 * io_getevents (each iocb's data and result), an eventfd told of each completion, and the
 * errors io_setup, io_submit, io_cancel and io_destroy give.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

/* The kernel's ABI (linux/aio_abi.h, which musl does not ship), x86-64 layout. */
typedef unsigned long aio_context_t;
enum { IOCB_CMD_PREAD = 0, IOCB_CMD_PWRITE = 1, IOCB_CMD_FSYNC = 2, IOCB_CMD_PREADV = 7 };
#define IOCB_FLAG_RESFD 1
struct iocb {
    uint64_t aio_data;
    uint32_t aio_key, aio_rw_flags;
    uint16_t aio_lio_opcode;
    int16_t aio_reqprio;
    uint32_t aio_fildes;
    uint64_t aio_buf, aio_nbytes;
    int64_t aio_offset;
    uint64_t aio_reserved2;
    uint32_t aio_flags, aio_resfd;
};
struct io_event {
    uint64_t data, obj;
    int64_t res, res2;
};

#define SHOW(what, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%-30s %ld %s\n", what, r_, r_ < 0 ? strerror(errno) : ""); } while (0)

static struct iocb cb(int op, int fd, void *buf, size_t n, off_t off, uint64_t data) {
    struct iocb c;
    memset(&c, 0, sizeof c);
    c.aio_lio_opcode = op;
    c.aio_fildes = fd;
    c.aio_buf = (uintptr_t)buf;
    c.aio_nbytes = n;
    c.aio_offset = off;
    c.aio_data = data;
    return c;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    aio_context_t ctx = 0;
    SHOW("io_setup 0 events", syscall(SYS_io_setup, 0, &ctx));
    SHOW("io_setup NULL ctxp", syscall(SYS_io_setup, 8, NULL));
    SHOW("io_setup 8", syscall(SYS_io_setup, 8, &ctx));
    aio_context_t again = ctx;
    SHOW("io_setup with ctx set", syscall(SYS_io_setup, 8, &again));

    char path[] = "/tmp/aioXXXXXX";
    int fd = mkstemp(path);
    unlink(path);
    char a[16] = "hello, aio", b[16] = "second part", r1[16] = {0}, r2[16] = {0}, r3[8] = {0};
    struct iovec iov[2] = {{r3, 4}, {r3 + 4, 4}};
    int efd = eventfd(0, 0);
    struct iocb w1 = cb(IOCB_CMD_PWRITE, fd, a, 10, 0, 101);
    struct iocb w2 = cb(IOCB_CMD_PWRITE, fd, b, 11, 10, 102);
    w2.aio_flags = IOCB_FLAG_RESFD;
    w2.aio_resfd = efd;
    struct iocb s = cb(IOCB_CMD_FSYNC, fd, NULL, 0, 0, 103);
    struct iocb *list[] = {&w1, &w2, &s};
    SHOW("io_submit 3", syscall(SYS_io_submit, ctx, 3, list));
    struct iocb rd1 = cb(IOCB_CMD_PREAD, fd, r1, 10, 0, 201);
    struct iocb rd2 = cb(IOCB_CMD_PREAD, fd, r2, 16, 10, 202);
    struct iocb rv = cb(IOCB_CMD_PREADV, fd, iov, 2, 3, 203);
    struct iocb *reads[] = {&rd1, &rd2, &rv};
    SHOW("io_submit 3 reads", syscall(SYS_io_submit, ctx, 3, reads));

    struct io_event ev[8];
    struct timespec ts = {1, 0};
    long n = syscall(SYS_io_getevents, ctx, 6, 8, ev, &ts);
    printf("io_getevents: %ld\n", n);
    long sum = 0;
    for (long i = 0; i < n; i++) sum += ev[i].data * 1000 + ev[i].res;
    printf("data*1000+res summed: %ld\n", sum);
    printf("read back: [%s] [%s] [%.8s]\n", r1, r2, r3);
    uint64_t count = 0;
    read(efd, &count, sizeof count);
    printf("eventfd count: %llu\n", (unsigned long long)count);
    struct timespec zero = {0, 0};
    SHOW("io_getevents nothing left", syscall(SYS_io_getevents, ctx, 0, 8, ev, &zero));
    SHOW("io_getevents min > nr", syscall(SYS_io_getevents, ctx, 3, 2, ev, &zero));

    int wo = open("/dev/null", O_WRONLY);
    struct iocb bad = cb(IOCB_CMD_PREAD, wo, r1, 4, 0, 301);
    struct iocb *badl[] = {&bad};
    SHOW("read of a write-only fd", syscall(SYS_io_submit, ctx, 1, badl));
    bad = cb(IOCB_CMD_PREAD, 999, r1, 4, 0, 302);
    SHOW("closed descriptor", syscall(SYS_io_submit, ctx, 1, badl));
    bad = cb(77, fd, r1, 4, 0, 303);
    SHOW("unknown command", syscall(SYS_io_submit, ctx, 1, badl));
    struct iocb *two[] = {&w1, &bad};
    SHOW("good then bad", syscall(SYS_io_submit, ctx, 2, two));
    n = syscall(SYS_io_getevents, ctx, 1, 8, ev, &ts);
    printf("after good then bad: %ld event, data %llu\n", n, n > 0 ? (unsigned long long)ev[0].data : 0ULL);
    SHOW("io_submit bad context", syscall(SYS_io_submit, 12345, 1, badl));
    SHOW("io_cancel finished", syscall(SYS_io_cancel, ctx, &w1, ev));
    SHOW("io_cancel NULL iocb", syscall(SYS_io_cancel, ctx, NULL, ev));
    SHOW("io_destroy", syscall(SYS_io_destroy, ctx));
    SHOW("io_destroy again", syscall(SYS_io_destroy, ctx));
    return 0;
}
