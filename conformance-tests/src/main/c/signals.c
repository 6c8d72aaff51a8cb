#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <setjmp.h>
#include <sys/wait.h>
#include <sys/time.h>
#include <time.h>
#include <errno.h>
/* Signal delivery: handlers with and without SA_SIGINFO, faults caught and left by siglongjmp,
 * FP state kept across a handler, masks and pending sets, SIGCHLD, sigaltstack, stack overflow
 * on the alternate stack, alarm/setitimer, EINTR versus SA_RESTART, sigsuspend. */
static volatile int got;
static sigjmp_buf jb;
static void h(int s) { got = s; }
static void hinfo(int s, siginfo_t *si, void *uc) { got = s * 100 + (si->si_code == SI_USER); }
static void segv(int s, siginfo_t *si, void *uc) { siglongjmp(jb, 1); }
static int recurse(int n) { volatile char buf[1024]; buf[0] = n; return recurse(n + 1) + buf[0]; }
static void fph(int s) { volatile double x = 1.5; for (int i = 0; i < 10; i++) x *= 1.1; got = (int)x; }
int main(void) {
    signal(SIGUSR1, h);
    raise(SIGUSR1);
    printf("got %d\n", got);
    struct sigaction sa = {0};
    sa.sa_sigaction = hinfo; sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR2, &sa, NULL);
    kill(getpid(), SIGUSR2);
    printf("siginfo got %d\n", got);
    sa.sa_sigaction = segv; sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    if (sigsetjmp(jb, 1) == 0) { *(volatile int *)8 = 1; printf("no fault?\n"); }
    else printf("recovered from segv\n");
    double d = 3.25; signal(SIGALRM, fph); raise(SIGALRM); printf("fp preserved %.2f got %d\n", d * 2, got);
    sigset_t set, old; sigemptyset(&set); sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old); got = 0; raise(SIGUSR1);
    printf("blocked: got %d\n", got);
    sigset_t pend; sigpending(&pend); printf("pending usr1: %d\n", sigismember(&pend, SIGUSR1));
    sigprocmask(SIG_SETMASK, &old, NULL); printf("unblocked: got %d\n", got);
    pid_t p = fork();
    if (p == 0) { pause(); _exit(1); }
    usleep(100000); kill(p, SIGTERM); int st; waitpid(p, &st, 0);
    printf("child killed by %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
    signal(SIGCHLD, h); got = 0;
    p = fork(); if (p == 0) _exit(3);
    while (!got) pause();
    waitpid(p, &st, 0); printf("sigchld %d status %d\n", got, WEXITSTATUS(st));
    stack_t ss = {0}; ss.ss_sp = malloc(65536); ss.ss_size = 65536; sigaltstack(&ss, NULL);
    sa.sa_handler = h; sa.sa_flags = SA_ONSTACK; sigaction(SIGUSR1, &sa, NULL); got = 0; raise(SIGUSR1);
    printf("altstack handler got %d\n", got);

    sa.sa_sigaction = segv; sa.sa_flags = SA_SIGINFO | SA_ONSTACK; sigaction(SIGSEGV, &sa, NULL);
    if (sigsetjmp(jb, 1) == 0) { recurse(1); printf("no overflow?\n"); }
    else printf("stack overflow caught on the alternate stack\n");

    sa.sa_handler = h; sa.sa_flags = 0; sigemptyset(&sa.sa_mask); sigaction(SIGALRM, &sa, NULL);
    got = 0; alarm(1); alarm(0); printf("alarm cancelled: %d\n", alarm(0));
    struct itimerval it = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &it, NULL);
    struct timespec ts = {5, 0};
    int r = nanosleep(&ts, NULL);
    printf("nanosleep interrupted: r=%d errno=%s got=%d\n", r, errno == EINTR ? "EINTR" : "other", got);

    p = fork(); if (p == 0) { usleep(300000); _exit(5); }
    setitimer(ITIMER_REAL, &it, NULL);
    errno = 0; r = waitpid(p, &st, 0);
    printf("waitpid without SA_RESTART: %s\n", r == -1 && errno == EINTR ? "EINTR" : "completed");
    if (r == -1) waitpid(p, &st, 0);
    sa.sa_flags = SA_RESTART; sigaction(SIGALRM, &sa, NULL);
    p = fork(); if (p == 0) { usleep(300000); _exit(6); }
    setitimer(ITIMER_REAL, &it, NULL);
    r = waitpid(p, &st, 0);
    printf("waitpid with SA_RESTART: %s status %d\n", r == p ? "restarted" : "EINTR", WEXITSTATUS(st));

    signal(SIGCHLD, SIG_DFL); /* only SIGUSR1 may wake the sigsuspend below */
    sigset_t blockall, waitset; sigemptyset(&blockall); sigaddset(&blockall, SIGUSR1);
    sigprocmask(SIG_BLOCK, &blockall, NULL);
    sa.sa_handler = h; sa.sa_flags = 0; sigaction(SIGUSR1, &sa, NULL);
    got = 0;
    p = fork(); if (p == 0) { kill(getppid(), SIGUSR1); _exit(0); }
    sigemptyset(&waitset);
    sigsuspend(&waitset);
    printf("sigsuspend woke with %d\n", got);
    waitpid(p, &st, 0);
    sigprocmask(SIG_SETMASK, NULL, &old);
    printf("mask restored after sigsuspend: %d\n", sigismember(&old, SIGUSR1));
    return 0;
}
