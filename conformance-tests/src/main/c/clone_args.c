/*
 * clone3's argument rules and CLONE_PIDFD, and waitid on a nonblocking pidfd: the errors
 * copy_process and clone3 give, in their order, and a pidfd that names the new child.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x1000
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

struct args {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};

static long clone3(struct args *a, size_t size) {
    return syscall(SYS_clone3, a, size);
}

static void expect(const char *what, struct args a, size_t size) {
    errno = 0;
    long r = clone3(&a, size);
    if (r == 0) _exit(0);
    if (r > 0) waitpid(r, NULL, 0);
    printf("%-28s %s\n", what, r > 0 ? "created" : strerror(errno));
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct args base = {.exit_signal = SIGCHLD};
    struct args a;
    expect("plain", base, sizeof base);
    expect("size 63", base, 63);
    a = base; a.flags = CLONE_SIGHAND; expect("sighand without VM", a, sizeof a);
    a = base; a.flags = CLONE_THREAD; expect("thread without sighand", a, sizeof a);
    a = base; a.flags = CLONE_FS | CLONE_NEWNS; expect("fs with newns", a, sizeof a);
    a = base; a.exit_signal = 65; expect("signal 65", a, sizeof a);
    a = base; a.stack_size = 4; expect("stack size without stack", a, sizeof a);
    static char stack[8192];
    a = base; a.stack = (uintptr_t)stack; expect("stack without size", a, sizeof a);

    /* A larger struct than the kernel's: the extra bytes must be readable zeros. */
    long page = sysconf(_SC_PAGESIZE);
    char *two = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(two + page, page);
    struct args *edge = (struct args *)(two + page - sizeof(struct args));
    *edge = base;
    errno = 0;
    long r = clone3(edge, sizeof(struct args) + 1);
    printf("%-28s %s\n", "extra byte unmapped", r < 0 ? strerror(errno) : "created");
    struct args *big = (struct args *)two;
    memset(two, 0, 200);
    *big = base;
    r = clone3(big, sizeof(struct args) + 16);
    if (r == 0) _exit(0);
    if (r > 0) waitpid(r, NULL, 0);
    printf("%-28s %s\n", "extra zero bytes", r > 0 ? "created" : strerror(errno));
    two[sizeof(struct args) + 3] = 1;
    errno = 0;
    r = clone3(big, sizeof(struct args) + 16);
    printf("%-28s %s\n", "extra nonzero byte", r < 0 ? strerror(errno) : "created");

    a = base; a.flags = CLONE_PIDFD; a.pidfd = (uintptr_t)(two + page);
    expect("pidfd at a bad address", a, sizeof a);

    int pidfd = -1;
    a = base; a.flags = CLONE_PIDFD; a.pidfd = (uintptr_t)&pidfd;
    int go[2];
    if (pipe(go) != 0) return 1;
    r = clone3(&a, sizeof a);
    if (r == 0) {
        char c;
        read(go[0], &c, 1);
        _exit(7);
    }
    printf("pidfd made: %d\n", pidfd >= 0);
    siginfo_t info;
    memset(&info, 0, sizeof info);
    errno = 0;
    int w = waitid(P_PIDFD, pidfd, &info, WEXITED | WNOHANG);
    printf("waitid WNOHANG before exit: %d pid %d\n", w, info.si_pid);
    write(go[1], "x", 1);
    w = waitid(P_PIDFD, pidfd, &info, WEXITED);
    printf("waitid after exit: %d, same child %d, status %d\n", w, info.si_pid == r, info.si_status);
    close(pidfd);

    /* A nonblocking pidfd (pidfd_open with PIDFD_NONBLOCK): EAGAIN instead of waiting. */
    pid_t c = fork();
    if (c == 0) {
        char ch;
        read(go[0], &ch, 1);
        _exit(3);
    }
    int nb = syscall(SYS_pidfd_open, c, O_NONBLOCK);
    errno = 0;
    w = waitid(P_PIDFD, nb, &info, WEXITED);
    printf("nonblocking pidfd, child running: %d %s\n", w, w < 0 ? strerror(errno) : "");
    memset(&info, 0, sizeof info);
    w = waitid(P_PIDFD, nb, &info, WEXITED | WNOHANG);
    printf("same with WNOHANG: %d pid %d\n", w, info.si_pid);
    write(go[1], "x", 1);
    do w = waitid(P_PIDFD, nb, &info, WEXITED); while (w < 0 && errno == EAGAIN);
    printf("after exit: %d status %d\n", w, info.si_status);
    return 0;
}
