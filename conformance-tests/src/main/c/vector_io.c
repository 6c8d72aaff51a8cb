/* Vectored I/O as one transfer: writev of at most PIPE_BUF bytes to a nearly full pipe is
   all-or-nothing; writev to a datagram socket sends one datagram and readv takes one across its
   iovecs; writev atomicity against a concurrent reader; zero-length and bad iovecs; preadv/pwritev
   on a pipe (ESPIPE) and on a file; iovecs straddling two mappings; SIGPIPE on a readerless pipe.
   Then sendfile to a readerless pipe (EPIPE and SIGPIPE) and copy_file_range edge cases. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t sigpipes;
static void on_sigpipe(int s) { (void)s; sigpipes++; }

static void show(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

static void nearly_full_pipe(void) {
    int p[2];
    if (pipe(p) != 0) return;
    if (fcntl(p[1], F_SETPIPE_SZ, 4096) < 0) { show("F_SETPIPE_SZ", -1); return; }
    fcntl(p[1], F_SETFL, O_NONBLOCK);
    static char fill[4000];
    memset(fill, 'f', sizeof fill);
    show("fill", write(p[1], fill, sizeof fill));
    char a[60], b[60];
    memset(a, 'a', sizeof a);
    memset(b, 'b', sizeof b);
    struct iovec iov[2] = { { a, sizeof a }, { b, sizeof b } };
    /* 120 bytes <= PIPE_BUF: Linux writes all of them or none. */
    show("writev 2x60 into 96 free bytes", writev(p[1], iov, 2));
    static char drain[8192];
    show("drain", read(p[0], drain, sizeof drain));
    show("writev 2x60 into an empty pipe", writev(p[1], iov, 2));
    char x[30] = { 0 }, y[200] = { 0 };
    struct iovec rv[2] = { { x, 30 }, { y, sizeof y } };
    show("readv 30+200", readv(p[0], rv, 2));
    printf("x=%.30s y=%.90s\n", x, y);
    close(p[0]);
    close(p[1]);
}

static void datagrams(void) {
    int s[2];
    if (socketpair(AF_UNIX, SOCK_DGRAM, 0, s) != 0) { show("socketpair", -1); return; }
    struct iovec w[3] = { { "hello", 5 }, { " ", 1 }, { "world", 5 } };
    show("writev 3 iovecs to a datagram socket", writev(s[0], w, 3));
    show("send abc", send(s[0], "abc", 3, 0));
    char one[4] = { 0 }, rest[100] = { 0 };
    struct iovec r[2] = { { one, 4 }, { rest, sizeof rest } };
    show("readv 4+100 takes one datagram", readv(s[1], r, 2));
    printf("one=%.4s rest=%s\n", one, rest);
    memset(rest, 0, sizeof rest);
    show("recv the next", recv(s[1], rest, sizeof rest, 0));
    printf("next=%s\n", rest);
    close(s[0]);
    close(s[1]);
}

static int reader_fd;
static void *reader(void *arg) {
    long *torn = arg;
    char buf[64];
    for (;;) {
        ssize_t n = read(reader_fd, buf, sizeof buf);
        if (n <= 0) return NULL;
        /* Every writev below is 64 bytes of one letter; reads of 64 bytes from a pipe fed only
           such atomic writes always see one whole write. */
        for (ssize_t i = 1; i < n; i++) if (buf[i] != buf[0]) { (*torn)++; break; }
        if (n != 64) (*torn)++;
    }
}

static void *writer(void *arg) {
    int fd = (int)(long)arg >> 8;
    char letter = (char)((long)arg & 0xff);
    char bytes[64];
    memset(bytes, letter, sizeof bytes);
    struct iovec iov[16];
    for (int i = 0; i < 16; i++) iov[i] = (struct iovec){ bytes + 4 * i, 4 };
    for (int k = 0; k < 2000; k++) if (writev(fd, iov, 16) != 64) break;
    return NULL;
}

static void concurrent(void) {
    int p[2];
    if (pipe(p) != 0) return;
    reader_fd = p[0];
    long torn = 0;
    pthread_t r, w1, w2;
    pthread_create(&r, NULL, reader, &torn);
    pthread_create(&w1, NULL, writer, (void *)(long)(p[1] << 8 | 'A'));
    pthread_create(&w2, NULL, writer, (void *)(long)(p[1] << 8 | 'B'));
    pthread_join(w1, NULL);
    pthread_join(w2, NULL);
    close(p[1]);
    pthread_join(r, NULL);
    close(p[0]);
    printf("concurrent writev: torn reads %ld\n", torn);
}

static void edges(const char *dir) {
    int p[2];
    if (pipe(p) != 0) return;
    struct iovec none[2] = { { NULL, 0 }, { NULL, 0 } };
    show("writev of zero bytes to a pipe", writev(p[1], none, 2));
    show("readv of zero bytes from an empty pipe", readv(p[0], none, 2));
    show("readv iovcnt 0", readv(p[0], none, 0));
    struct iovec neg[1] = { { "x", (size_t)-1 } };
    show("writev negative length", writev(p[1], neg, 1));
    /* Raw calls: the compiler rightly warns about these arguments, which are the point here. */
    show("writev bad iovec array", syscall(SYS_writev, p[1], 8L, 1));
    show("readv iovcnt 1025", syscall(SYS_readv, p[0], none, 1025));
    struct iovec one[1] = { { "abc", 3 } };
    show("pwritev on a pipe", pwritev(p[1], one, 1, 0));
    show("preadv on a pipe", preadv(p[0], one, 1, 0));
    /* The second iovec faults: Linux's pipe write copies what it can, then stops. */
    struct iovec part[2] = { { "good", 4 }, { (void *)8, 4 } };
    long r = writev(p[1], part, 2);
    int err = errno;
    char buf[16] = { 0 };
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    long held = read(p[0], buf, sizeof buf);
    /* Kernels differ in whether the good part goes in first; either way the result must say so. */
    printf("writev good+bad to a pipe: %s\n", (r == 4 && held == 4 && memcmp(buf, "good", 4) == 0) ||
           (r < 0 && err == EFAULT && held < 0) ? "consistent" : "inconsistent");

    /* A buffer straddling two mappings (an anonymous page, then a file page): still one transfer. */
    char path[512];
    snprintf(path, sizeof path, "%s/vio", dir);
    int f = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    ftruncate(f, 4096);
    char *two = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mmap(two + 4096, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, f, 0);
    memset(two + 4096 - 8, 's', 16);
    struct iovec st[2] = { { "<", 1 }, { two + 4096 - 8, 16 } };
    show("writev straddling two mappings", writev(p[1], st, 2));
    struct iovec back[2] = { { buf, 5 }, { two + 4096 - 4, 8 } };
    memset(two + 4096 - 4, '.', 8);
    show("readv into a straddling buffer", readv(p[0], back, 2));
    printf("got %.5s|%.8s\n", buf, two + 4096 - 4);

    show("pwritev on a file", pwritev(f, st, 2, 100));
    char fb[32] = { 0 };
    struct iovec fr[2] = { { fb, 3 }, { fb + 3, 20 } };
    show("preadv on a file", preadv(f, fr, 2, 99));
    printf("file: %.17s\n", fb + 1);
    munmap(two, 8192);
    close(f);

    close(p[0]);
    show("writev to a readerless pipe", writev(p[1], one, 1));
    printf("SIGPIPE count %d\n", (int)sigpipes);
    close(p[1]);
}

static void sendfile_cases(const char *dir) {
    char path[512];
    snprintf(path, sizeof path, "%s/sf", dir);
    int f = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    show("write file", write(f, "0123456789abcdef", 16));
    int p[2];
    pipe(p);
    off_t off = 4;
    show("sendfile 6 from offset 4 into a pipe", sendfile(p[1], f, &off, 6));
    printf("offset now %ld\n", (long)off);
    char buf[32] = { 0 };
    show("read", read(p[0], buf, sizeof buf));
    printf("piped: %s\n", buf);
    show("sendfile from a pipe end opened for writing", sendfile(p[1], p[1], NULL, 4));
    close(p[0]);
    int before = sigpipes;
    off = 0;
    show("sendfile to a readerless pipe", sendfile(p[1], f, &off, 4));
    printf("sendfile raised SIGPIPE: %s\n", sigpipes > before ? "yes" : "no");
    close(p[1]);

    snprintf(path, sizeof path, "%s/cfr", dir);
    int g = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    loff_t in = 2, out = 0;
    show("copy_file_range 5", copy_file_range(f, &in, g, &out, 5, 0));
    printf("offsets %ld %ld\n", (long)in, (long)out);
    in = 100;
    show("copy_file_range past the end", copy_file_range(f, &in, g, &out, 5, 0));
    show("copy_file_range bad flags", copy_file_range(f, NULL, g, NULL, 5, 1));
    in = 0; out = 4;
    show("copy_file_range overlapping in one file", copy_file_range(f, &in, f, &out, 8, 0));
    pipe(p);
    show("copy_file_range to a pipe", copy_file_range(f, NULL, p[1], NULL, 4, 0));
    close(p[0]);
    close(p[1]);
    memset(buf, 0, sizeof buf);
    show("pread copy", pread(g, buf, sizeof buf, 0));
    printf("copied: %s\n", buf);
    close(f);
    close(g);
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : ".";
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, on_sigpipe);
    nearly_full_pipe();
    datagrams();
    concurrent();
    edges(dir);
    sendfile_cases(dir);
    return 0;
}
