/* POSIX timers: SIGEV_SIGNAL with si_code/si_value/si_timerid, one-shot and periodic, overruns,
   TIMER_ABSTIME, SIGEV_NONE, SIGEV_THREAD_ID, libc's SIGEV_THREAD, gettime/old values, errors,
   and timers vanishing across fork and exec. Only facts that do not depend on timing are printed. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000L

static void result(const char *what, long r) {
    printf("%s: %ld %s\n", what, r, r < 0 ? strerror(errno) : "ok");
}

static int raw_gettime(int id) {
    struct itimerspec its;
    return syscall(SYS_timer_gettime, id, &its) == 0 ? 0 : errno;
}

static void arm(timer_t t, long value_ns, long interval_ns) {
    struct itimerspec its = {{0, interval_ns}, {value_ns / 1000000000L, value_ns % 1000000000L}};
    if (timer_settime(t, 0, &its, NULL) != 0) perror("timer_settime");
}

static volatile sig_atomic_t hits, got_code, got_value, got_timerid;

static void on_timer(int sig, siginfo_t *si, void *uc) {
    (void)sig; (void)uc;
    got_code = si->si_code;
    got_value = si->si_value.sival_int;
    got_timerid = si->si_timerid;
    hits++;
}

static pid_t thread_tid;
static sem_t ready, go;
static int thread_sig;

static void *waiter(void *arg) {
    (void)arg;
    thread_tid = syscall(SYS_gettid);
    sem_post(&ready);
    sem_wait(&go);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, thread_sig);
    siginfo_t si;
    struct timespec limit = {5, 0};
    int sig = sigtimedwait(&s, &si, &limit);
    printf("thread got: %s code=%s value=%d\n", sig == thread_sig ? "its signal" : "nothing",
           si.si_code == SI_TIMER ? "SI_TIMER" : "?", si.si_value.sival_int);
    return NULL;
}

static sem_t notified;
static int notify_value;

static void notify(union sigval v) {
    notify_value = v.sival_int;
    sem_post(&notified);
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "after-exec") == 0) {
        printf("after exec, timer %s: %s\n", argv[2], strerror(raw_gettime(atoi(argv[2]))));
        return 0;
    }

    /* 1. One-shot SIGEV_SIGNAL to a handler with SA_SIGINFO. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_timer;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGRTMIN, &sa, NULL);
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGRTMIN;
    sev.sigev_value.sival_int = 77;
    timer_t t1;
    result("timer_create monotonic", timer_create(CLOCK_MONOTONIC, &sev, &t1));
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &block, &old);
    arm(t1, 20 * MS, 0);
    while (!hits) sigsuspend(&old);
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("one-shot: hits=%d code=%s value=%d timerid ok=%d\n", (int)hits, got_code == SI_TIMER ? "SI_TIMER" : "?",
           (int)got_value, (long)got_timerid == (long)(intptr_t)t1);
    struct itimerspec cur;
    timer_gettime(t1, &cur);
    printf("after expiry: value=%ld.%09ld interval=%ld.%09ld\n", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec,
           (long)cur.it_interval.tv_sec, cur.it_interval.tv_nsec);

    /* 2. Periodic, taken with sigwaitinfo. */
    int sig2 = SIGRTMIN + 2;
    sigaddset(&block, sig2);
    sigprocmask(SIG_BLOCK, &block, NULL);
    sev.sigev_signo = sig2;
    sev.sigev_value.sival_int = 200;
    timer_t t2;
    timer_create(CLOCK_BOOTTIME, &sev, &t2);
    arm(t2, 10 * MS, 10 * MS);
    sigset_t only2;
    sigemptyset(&only2);
    sigaddset(&only2, sig2);
    for (int i = 0; i < 4; i++) {
        siginfo_t si;
        int s = sigwaitinfo(&only2, &si);
        printf("periodic %d: sig ok=%d code=%s value=%d\n", i, s == sig2, si.si_code == SI_TIMER ? "SI_TIMER" : "?",
               si.si_value.sival_int);
    }
    timer_gettime(t2, &cur);
    printf("periodic gettime: interval=%ld value in (0,10ms]=%d\n", cur.it_interval.tv_nsec,
           cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 10 * MS);
    struct itimerspec zero = {{0, 0}, {0, 0}}, prev;
    timer_settime(t2, 0, &zero, &prev);
    printf("disarm old: interval=%ld value>0=%d\n", prev.it_interval.tv_nsec,
           prev.it_value.tv_sec > 0 || prev.it_value.tv_nsec > 0);
    timer_gettime(t2, &cur);
    printf("disarmed: %ld %ld\n", cur.it_value.tv_nsec, cur.it_interval.tv_nsec);
    timer_delete(t2);
    struct timespec drain = {0, 0};
    siginfo_t ignored;
    while (sigtimedwait(&only2, &ignored, &drain) > 0) { }

    /* 3. Overruns: a 1 ms period while the signal stays blocked. */
    int sig3 = SIGRTMIN + 3;
    sigaddset(&block, sig3);
    sigprocmask(SIG_BLOCK, &block, NULL);
    sev.sigev_signo = sig3;
    sev.sigev_value.sival_int = 300;
    timer_t t3;
    timer_create(CLOCK_MONOTONIC, &sev, &t3);
    arm(t3, 1 * MS, 1 * MS);
    struct timespec pause = {0, 60 * MS};
    nanosleep(&pause, NULL);
    sigset_t only3;
    sigemptyset(&only3);
    sigaddset(&only3, sig3);
    siginfo_t si3;
    sigwaitinfo(&only3, &si3);
    printf("overrun: si_overrun>5=%d getoverrun matches=%d\n", si3.si_overrun > 5,
           timer_getoverrun(t3) == si3.si_overrun);
    timer_delete(t3);

    /* 4. SIGEV_NONE: no signal, but the time left can be read. */
    struct sigevent none;
    memset(&none, 0, sizeof none);
    none.sigev_notify = SIGEV_NONE;
    timer_t t4;
    timer_create(CLOCK_MONOTONIC, &none, &t4);
    arm(t4, 2000 * MS, 0);
    timer_gettime(t4, &cur);
    printf("SIGEV_NONE left in (1s,2s]=%d\n", cur.it_value.tv_sec == 1 || (cur.it_value.tv_sec == 2 && cur.it_value.tv_nsec == 0));
    arm(t4, 5 * MS, 0);
    nanosleep(&pause, NULL);
    timer_gettime(t4, &cur);
    printf("SIGEV_NONE expired: %ld.%09ld\n", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec);
    timer_delete(t4);

    /* 5. TIMER_ABSTIME on CLOCK_REALTIME, in the future and in the past. */
    int sig5 = SIGRTMIN + 5;
    sigaddset(&block, sig5);
    sigprocmask(SIG_BLOCK, &block, NULL);
    sev.sigev_signo = sig5;
    sev.sigev_value.sival_int = 500;
    timer_t t5;
    timer_create(CLOCK_REALTIME, &sev, &t5);
    struct itimerspec abs = {{0, 0}, {0, 0}};
    clock_gettime(CLOCK_REALTIME, &abs.it_value);
    abs.it_value.tv_nsec += 30 * MS;
    if (abs.it_value.tv_nsec >= 1000000000L) { abs.it_value.tv_sec++; abs.it_value.tv_nsec -= 1000000000L; }
    timer_settime(t5, TIMER_ABSTIME, &abs, NULL);
    sigset_t only5;
    sigemptyset(&only5);
    sigaddset(&only5, sig5);
    siginfo_t si5;
    struct timespec limit = {5, 0};
    int got5 = sigtimedwait(&only5, &si5, &limit);
    printf("absolute future: %d value=%d\n", got5 == sig5, si5.si_value.sival_int);
    abs.it_value.tv_sec -= 100;
    timer_settime(t5, TIMER_ABSTIME, &abs, NULL);
    printf("absolute past: %d\n", sigtimedwait(&only5, &si5, &limit) == sig5);
    timer_delete(t5);

    /* 6. SIGEV_THREAD_ID: the signal goes to one thread, not the process. */
    thread_sig = SIGRTMIN + 6;
    sigaddset(&block, thread_sig);
    sigprocmask(SIG_BLOCK, &block, NULL);
    sem_init(&ready, 0, 0);
    sem_init(&go, 0, 0);
    pthread_t th;
    pthread_create(&th, NULL, waiter, NULL);
    sem_wait(&ready);
    struct sigevent tsev;
    memset(&tsev, 0, sizeof tsev);
    tsev.sigev_notify = SIGEV_THREAD_ID;
    tsev.sigev_signo = thread_sig;
    tsev.sigev_value.sival_int = 600;
#ifdef sigev_notify_thread_id
    tsev.sigev_notify_thread_id = thread_tid;
#else
    tsev._sigev_un._tid = thread_tid;
#endif
    timer_t t6;
    result("timer_create thread id", timer_create(CLOCK_MONOTONIC, &tsev, &t6));
    arm(t6, 5 * MS, 0);
    nanosleep(&pause, NULL);
    sigset_t pend;
    sigpending(&pend);
    printf("main sees it pending: %d\n", sigismember(&pend, thread_sig));
    sem_post(&go);
    pthread_join(th, NULL);
    timer_delete(t6);
#ifdef sigev_notify_thread_id
    tsev.sigev_notify_thread_id = 999999;
#else
    tsev._sigev_un._tid = 999999;
#endif
    result("thread id of no thread", timer_create(CLOCK_MONOTONIC, &tsev, &t6));

    /* 7. SIGEV_THREAD: libc runs the function on a thread of its own. */
    sem_init(&notified, 0, 0);
    struct sigevent thr;
    memset(&thr, 0, sizeof thr);
    thr.sigev_notify = SIGEV_THREAD;
    thr.sigev_notify_function = notify;
    thr.sigev_value.sival_int = 700;
    timer_t t7;
    result("timer_create SIGEV_THREAD", timer_create(CLOCK_MONOTONIC, &thr, &t7));
    arm(t7, 10 * MS, 0);
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 5;
    int w = sem_timedwait(&notified, &deadline);
    printf("SIGEV_THREAD ran: %d value=%d\n", w == 0, notify_value);
    timer_delete(t7);

    /* 8. Errors. */
    timer_t t8;
    result("bogus clock", timer_create(12345, &sev, &t8));
    struct sigevent bad = sev;
    bad.sigev_signo = 200;
    result("bad signal number", timer_create(CLOCK_MONOTONIC, &bad, &t8));
    bad.sigev_signo = SIGRTMIN;
    bad.sigev_notify = 77;
    result("bad notify", timer_create(CLOCK_MONOTONIC, &bad, &t8));
    struct itimerspec badv = {{0, 0}, {0, 1000000000L}};
    result("bad nanoseconds", timer_settime(t1, 0, &badv, NULL));
    result("raw gettime of deleted", -raw_gettime((int)(intptr_t)t5));
    result("raw delete of deleted", syscall(SYS_timer_delete, (int)(intptr_t)t5));
    result("raw getoverrun of never", syscall(SYS_timer_getoverrun, 4242));

    /* 9. A forked child has no timers; exec deletes them. */
    int id1 = (int)(intptr_t)t1;
    printf("own timer before fork: %s\n", strerror(raw_gettime(id1)));
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        printf("child sees parent's timer: %s\n", strerror(raw_gettime(id1)));
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    char idtext[16];
    snprintf(idtext, sizeof idtext, "%d", id1);
    fflush(stdout);
    execl("/proc/self/exe", argv[0], "after-exec", idtext, (char *)NULL);
    perror("execl");
    return 1;
}
