/* PR_SET_PDEATHSIG and PR_SET_CHILD_SUBREAPER: the death signal is per thread and not inherited
   by fork or new threads; it comes when the parent process dies (the orphan then belongs to the
   nearest subreaper) and also when only the parent *thread* that forked the child ends. The
   program makes itself a subreaper so every run sees the same new parent. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *yes_no(int b) { return b ? "yes" : "no"; }

static int get_pdeathsig(void) {
    int sig = -1;
    prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0);
    return sig;
}

/* Waits up to 10 s for sig, which the caller has blocked; 0 on timeout. */
static int await_signal(int sig, siginfo_t *si) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    struct timespec limit = {10, 0};
    return sigtimedwait(&s, si, &limit) == sig;
}

static void block(int sig) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    sigprocmask(SIG_BLOCK, &s, NULL);
}

static void *report_thread_value(void *arg) {
    (void)arg;
    printf("new thread inherits pdeathsig: %s\n", yes_no(get_pdeathsig() != 0));
    return NULL;
}

/* 1. Not inherited by fork children or new threads; bad signals refused. */
static void inheritance(void) {
    printf("set SIGUSR1: %d\n", prctl(PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0));
    printf("read back SIGUSR1: %s\n", yes_no(get_pdeathsig() == SIGUSR1));
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        printf("fork child inherits pdeathsig: %s\n", yes_no(get_pdeathsig() != 0));
        fflush(stdout);
        _exit(0);
    }
    waitpid(c, NULL, 0);
    pthread_t th;
    pthread_create(&th, NULL, report_thread_value, NULL);
    pthread_join(th, NULL);
    errno = 0;
    int r = prctl(PR_SET_PDEATHSIG, 65, 0, 0, 0);
    printf("set signal 65: %d %s\n", r, strerror(errno));
    printf("still SIGUSR1: %s\n", yes_no(get_pdeathsig() == SIGUSR1));
    prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
    printf("cleared: %s\n", yes_no(get_pdeathsig() == 0));
}

/* 2. The middle process dies: its children get their death signals and the subreaper (us) as parent. */
static void process_death(void) {
    pid_t me = getpid();
    int sub = -1;
    printf("become subreaper: %d\n", prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
    prctl(PR_GET_CHILD_SUBREAPER, &sub, 0, 0, 0);
    printf("subreaper flag: %d\n", sub);
    int ready[2];
    pipe(ready);
    fflush(stdout);
    pid_t middle = fork();
    if (middle == 0) {
        pid_t self = getpid();
        prctl(PR_GET_CHILD_SUBREAPER, &sub, 0, 0, 0);
        printf("fork child is subreaper: %s\n", yes_no(sub != 0));
        fflush(stdout);
        if (fork() == 0) {
            /* Handles the signal: reports what it says, then exits 7. */
            block(SIGUSR1);
            prctl(PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0);
            int parent_ok = getppid() == self;
            write(ready[1], "a", 1);
            siginfo_t si;
            int got = await_signal(SIGUSR1, &si);
            printf("orphan: parent was middle: %s, got SIGUSR1: %s, SI_USER: %s, si_pid is dead parent: %s, "
                   "new parent is subreaper: %s\n", yes_no(parent_ok), yes_no(got), yes_no(got && si.si_code == SI_USER),
                   yes_no(got && si.si_pid == self), yes_no(getppid() == me));
            fflush(stdout);
            _exit(7);
        }
        if (fork() == 0) {
            /* Default action: SIGTERM ends it. The alarm only turns a missing signal into a failure. */
            prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
            write(ready[1], "b", 1);
            alarm(10);
            for (;;) pause();
        }
        char c;
        read(ready[0], &c, 1);
        read(ready[0], &c, 1);
        _exit(0);
    }
    int st, middle_st;
    waitpid(middle, &middle_st, 0);
    int exited7 = 0, termed = 0, others = 0;
    for (int i = 0; i < 2; i++) {
        pid_t w = waitpid(-1, &st, 0);
        if (w < 0) break;
        if (WIFEXITED(st) && WEXITSTATUS(st) == 7) exited7++;
        else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM) termed++;
        else others++;
    }
    /* Printed only now: the orphans write their lines as the middle process dies. */
    printf("middle exited: %s\n", yes_no(WIFEXITED(middle_st) && WEXITSTATUS(middle_st) == 0));
    printf("subreaper reaped: exited 7: %d, killed by SIGTERM: %d, other: %d\n", exited7, termed, others);
    printf("no more children: %s\n", yes_no(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD));
}

static int thread_pipe[2];

/* Forks a child and ends once the child is ready: the child loses its parent thread, not its parent process. */
static void *forking_thread(void *arg) {
    pid_t *child = arg;
    pid_t leader = getpid();
    fflush(stdout);
    *child = fork();
    if (*child == 0) {
        block(SIGUSR2);
        prctl(PR_SET_PDEATHSIG, SIGUSR2, 0, 0, 0);
        write(thread_pipe[1], "r", 1);
        siginfo_t si;
        int got = await_signal(SIGUSR2, &si);
        printf("parent thread ended: got SIGUSR2: %s, ppid unchanged: %s\n", yes_no(got), yes_no(getppid() == leader));
        fflush(stdout);
        _exit(3);
    }
    char c;
    read(thread_pipe[0], &c, 1);
    return NULL;
}

/* 3. Only the thread that forked ends; the process lives on. */
static void thread_death(void) {
    pipe(thread_pipe);
    pthread_t th;
    pid_t child = 0;
    pthread_create(&th, NULL, forking_thread, &child);
    pthread_join(th, NULL);
    int st;
    pid_t w = waitpid(child, &st, 0);
    printf("child of ended thread reaped by the process: %s, status %d\n", yes_no(w == child), WEXITSTATUS(st));
}

int main(void) {
    inheritance();
    process_death();
    thread_death();
    return 0;
}
