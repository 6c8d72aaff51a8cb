/*
 * lxbench: the C workloads of `lxrun bench`, one static binary so every mode (native, qemu-user,
 * translation, VM) runs exactly the same machine code. Usage: lxbench WORKLOAD SIZE [PROGRAM].
 * pipe and tcp take an optional time limit in seconds after SIZE. Each workload prints one line (a checksum or a count) so a wrong result shows up as a failure
 * rather than as a fast time.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what) { perror(what); exit(1); }

/* The deadline of the two-process workloads: a stuck peer ends the run with a reason, not a hang. */
static const char *workload = "";
static long limit_seconds;
static pid_t peer;

static void on_alarm(int sig) {
    (void)sig;
    char msg[160];
    int n = snprintf(msg, sizeof msg, "lxbench: %s did not finish within %ld s\n", workload, limit_seconds);
    (void)!write(2, msg, (size_t)n);
    if (peer > 0) kill(peer, SIGKILL); /* the other process of the pair too */
    _exit(1);
}

/* Integer arithmetic and branches with few stores: the emulated CPU's raw speed. */
static int cpu(long n) {
    unsigned long x = 0x9E3779B97F4A7C15UL, sum = 0;
    for (long i = 0; i < n; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        sum += (x >> 3) % 65521;
    }
    printf("%lu\n", sum);
    return 0;
}

/* The cheapest real syscall, made directly: the cost of one kernel round trip. */
static int syscalls(long n) {
    long s = 0;
    for (long i = 0; i < n; i++) s += syscall(SYS_getppid);
    printf("%ld\n", s == n * (long)getppid() ? n : -1);
    return 0;
}

/* Create, write, stat and unlink many small files in the current directory. */
static int files(long n) {
    char name[64], data[100];
    memset(data, 'x', sizeof data);
    long total = 0;
    for (long i = 0; i < n; i++) {
        snprintf(name, sizeof name, "f%ld", i);
        int fd = open(name, O_CREAT | O_WRONLY | O_TRUNC, 0644);
        if (fd < 0) die("open");
        if (write(fd, data, sizeof data) != sizeof data) die("write");
        close(fd);
    }
    for (long i = 0; i < n; i++) {
        struct stat st;
        snprintf(name, sizeof name, "f%ld", i);
        if (stat(name, &st) < 0) die("stat");
        total += st.st_size;
        if (unlink(name) < 0) die("unlink");
    }
    printf("%ld\n", total);
    return 0;
}

/* Write a file of n MiB in 64 KiB blocks, then read it back. */
static int bigfile(long mib) {
    static char buf[65536];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (char)i;
    int fd = open("big.dat", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0) die("open");
    for (long i = 0; i < mib * 16; i++) if (write(fd, buf, sizeof buf) != sizeof buf) die("write");
    close(fd);
    fd = open("big.dat", O_RDONLY);
    if (fd < 0) die("open");
    long total = 0;
    ssize_t r;
    while ((r = read(fd, buf, sizeof buf)) > 0) total += r;
    close(fd);
    unlink("big.dat");
    printf("%ld\n", total);
    return 0;
}

/* fork, exec PROGRAM (which exits at once), wait: n times. */
static int forkexec(long n, const char *prog) {
    for (long i = 0; i < n; i++) {
        pid_t p = fork();
        if (p < 0) die("fork");
        if (p == 0) {
            execl(prog, prog, "nop", "0", (char *)0);
            _exit(127);
        }
        int st;
        if (waitpid(p, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) die("child");
    }
    printf("%ld\n", n);
    return 0;
}

/* Copy everything from fd to nowhere, returning the byte count. */
static long drain(int fd) {
    static char buf[65536];
    long total = 0;
    ssize_t r;
    while ((r = read(fd, buf, sizeof buf)) > 0) total += r;
    return total;
}

static void fill(int fd, long mib) {
    static char buf[65536];
    memset(buf, 'p', sizeof buf);
    for (long i = 0; i < mib * 16; i++) {
        for (size_t off = 0; off < sizeof buf;) {
            ssize_t w = write(fd, buf + off, sizeof buf - off);
            if (w <= 0) die("write");
            off += (size_t)w;
        }
    }
}

/* A child writes n MiB into a pipe; the parent reads it all. */
static int pipes(long mib) {
    int p[2];
    if (pipe(p) < 0) die("pipe");
    pid_t c = fork();
    if (c == 0) { close(p[0]); fill(p[1], mib); _exit(0); }
    peer = c;
    close(p[1]);
    long total = drain(p[0]);
    waitpid(c, NULL, 0);
    printf("%ld\n", total);
    return 0;
}

/* A child sends n MiB over loopback TCP; the parent accepts and reads it all. */
static int tcp(long mib) {
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    if (ls < 0) die("socket");
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (bind(ls, (struct sockaddr *)&a, sizeof a) < 0 || listen(ls, 1) < 0) die("bind");
    if (getsockname(ls, (struct sockaddr *)&a, &len) < 0) die("getsockname");
    pid_t c = fork();
    if (c == 0) {
        int s = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(s, (struct sockaddr *)&a, sizeof a) < 0) die("connect");
        fill(s, mib);
        close(s);
        _exit(0);
    }
    peer = c;
    /* Wait for the sender's connection, or for the sender to give up (no loopback: ENETUNREACH). */
    for (;;) {
        struct pollfd p = {ls, POLLIN, 0};
        if (poll(&p, 1, 100) > 0) break;
        int st;
        if (waitpid(c, &st, WNOHANG) == c) {
            fprintf(stderr, "lxbench: tcp: the sender ended before connecting (status %d)\n", st);
            return 1;
        }
    }
    int s = accept(ls, NULL, NULL);
    if (s < 0) die("accept");
    long total = drain(s);
    waitpid(c, NULL, 0);
    printf("%ld\n", total);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: lxbench WORKLOAD SIZE [PROGRAM]\n"); return 2; }
    const char *w = argv[1];
    long n = atol(argv[2]);
    if (!strcmp(w, "nop")) return 0;
    if (!strcmp(w, "cpu")) return cpu(n);
    if (!strcmp(w, "syscall")) return syscalls(n);
    if (!strcmp(w, "files")) return files(n);
    if (!strcmp(w, "bigfile")) return bigfile(n);
    if (!strcmp(w, "forkexec")) return forkexec(n, argc > 3 ? argv[3] : "/proc/self/exe");
    if (!strcmp(w, "pipe") || !strcmp(w, "tcp")) {
        workload = w;
        limit_seconds = argc > 3 ? atol(argv[3]) : 0;
        if (limit_seconds > 0) {
            signal(SIGALRM, on_alarm);
            alarm((unsigned)limit_seconds);
        }
        return !strcmp(w, "pipe") ? pipes(n) : tcp(n);
    }
    fprintf(stderr, "lxbench: unknown workload %s\n", w);
    return 2;
}
