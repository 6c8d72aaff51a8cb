/* signalfd: blocked signals read with their info (kill, tgkill, sigqueue, SIGCHLD), non-blocking
   and blocking reads, readiness for poll/select/epoll, mask updates, coalescing and queueing. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int readable(int fd) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int n = poll(&p, 1, 0);
    return n == 1 && (p.revents & POLLIN);
}

/* Prints a call's result and errno (evaluated after the call, unlike printf arguments). */
static void result(const char *what, long r) {
    printf("%s: %ld %s\n", what, r, r < 0 ? strerror(errno) : "ok");
}

static const char *code(int c) {
    switch (c) {
    case SI_USER: return "SI_USER";
    case SI_QUEUE: return "SI_QUEUE";
    case SI_TKILL: return "SI_TKILL";
    case CLD_EXITED: return "CLD_EXITED";
    case CLD_KILLED: return "CLD_KILLED";
    default: return "other";
    }
}

int main(void) {
    sigset_t all;
    sigemptyset(&all);
    sigaddset(&all, SIGUSR1);
    sigaddset(&all, SIGUSR2);
    sigaddset(&all, SIGRTMIN + 1);
    sigaddset(&all, SIGCHLD);
    sigprocmask(SIG_BLOCK, &all, NULL);

    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGUSR1);
    int fd = signalfd(-1, &m, SFD_NONBLOCK | SFD_CLOEXEC);
    printf("created: %d cloexec=%d nonblock=%d\n", fd >= 0, fcntl(fd, F_GETFD) & FD_CLOEXEC,
           !!(fcntl(fd, F_GETFL) & O_NONBLOCK));
    struct signalfd_siginfo si[4];
    result("empty read", read(fd, si, sizeof si));
    result("short buffer", read(fd, si, 100));
    printf("readable before: %d\n", readable(fd));

    kill(getpid(), SIGUSR1);
    printf("readable after kill: %d\n", readable(fd));
    fd_set rs;
    FD_ZERO(&rs);
    FD_SET(fd, &rs);
    struct timeval tv = {0, 0};
    printf("select: %d\n", select(fd + 1, &rs, NULL, NULL, &tv));
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 99};
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    struct epoll_event out;
    int n = epoll_wait(ep, &out, 1, 0);
    printf("epoll: %d data=%llu\n", n, (unsigned long long)out.data.u64);
    ssize_t r = read(fd, si, sizeof si);
    printf("read %zd: signo=%u code=%s pid ok=%d uid ok=%d\n", r, si[0].ssi_signo, code(si[0].ssi_code),
           si[0].ssi_pid == (unsigned)getpid(), si[0].ssi_uid == getuid());
    printf("readable after read: %d epoll: %d\n", readable(fd), epoll_wait(ep, &out, 1, 0));

    /* Standard signals coalesce. */
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGUSR1);
    printf("two kills read as: %zd\n", read(fd, si, sizeof si));

    /* Signals outside the mask stay pending until the mask grows. */
    raise(SIGUSR2);
    printf("SIGUSR2 outside mask readable: %d\n", readable(fd));
    sigaddset(&m, SIGUSR2);
    sigaddset(&m, SIGRTMIN + 1);
    sigaddset(&m, SIGCHLD);
    printf("mask update returns fd: %d\n", signalfd(fd, &m, 0) == fd);
    printf("readable after mask update: %d\n", readable(fd));
    r = read(fd, si, sizeof si);
    printf("read %zd: signo=%u code=%s\n", r, si[0].ssi_signo, code(si[0].ssi_code));

    /* Real-time signals queue, each with its value. */
    union sigval v;
    v.sival_int = 1234;
    sigqueue(getpid(), SIGRTMIN + 1, v);
    v.sival_int = 5678;
    sigqueue(getpid(), SIGRTMIN + 1, v);
    r = read(fd, si, sizeof si);
    printf("queued read %zd:", r);
    for (int i = 0; i < r / (ssize_t)sizeof si[0]; i++)
        printf(" [rt+%d %s int=%d ptr=%llu]", si[i].ssi_signo - SIGRTMIN, code(si[i].ssi_code), si[i].ssi_int,
               (unsigned long long)si[i].ssi_ptr);
    printf("\n");

    /* A blocking read wakes when another process sends a signal. */
    fcntl(fd, F_SETFL, 0);
    pid_t c = fork();
    if (c == 0) {
        struct timespec ts = {0, 30000000};
        nanosleep(&ts, NULL);
        kill(getppid(), SIGUSR2);
        _exit(7);
    }
    r = read(fd, si, sizeof si[0]);
    printf("blocking read %zd: signo=%s from child=%d\n", r, si[0].ssi_signo == SIGUSR2 ? "SIGUSR2" : "?",
           si[0].ssi_pid == (unsigned)c);
    /* The child's exit arrives as SIGCHLD with its status. */
    r = read(fd, si, sizeof si[0]);
    printf("SIGCHLD read %zd: code=%s status=%d pid ok=%d\n", r, code(si[0].ssi_code), si[0].ssi_status,
           si[0].ssi_pid == (unsigned)c);
    int st;
    waitpid(c, &st, 0);

    /* Errors: a descriptor that is not a signalfd, bad flags, bad mask size. */
    int p[2];
    pipe(p);
    result("pipe as signalfd", signalfd(p[0], &m, 0));
    result("bad flags", signalfd(-1, &m, 0x1234));
    close(fd);
    result("closed fd", signalfd(fd, &m, 0));
    return 0;
}
