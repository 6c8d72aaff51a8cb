/* Timers that count CPU time: setitimer's ITIMER_VIRTUAL and ITIMER_PROF, and POSIX timers on
   CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID and another thread's clock. Each check is a
   relation that holds however fast the machine is: a timer fires only after its clock has moved
   by its value, a CPU timer does not move while its process or thread sleeps. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000LL

static const char *yes_no(int b) { return b ? "yes" : "no"; }

static long long read_clock(clockid_t c) {
    struct timespec ts;
    clock_gettime(c, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static volatile sig_atomic_t hits[65];
static volatile int last_code, last_value;

static void on_signal(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    last_code = si->si_code;
    last_value = si->si_value.sival_int;
    hits[sig]++;
}

static void handle(int sig) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(sig, &sa, NULL);
}

/* Uses CPU until sig has been seen n times in all, or 20 s of this thread's CPU time (a failure). */
static int spin_until(int sig, int n) {
    long long give_up = read_clock(CLOCK_THREAD_CPUTIME_ID) + 20000 * MS;
    volatile unsigned long x = 0;
    while (hits[sig] < n && read_clock(CLOCK_THREAD_CPUTIME_ID) < give_up) {
        for (int i = 0; i < 100000; i++) x += i;
    }
    return hits[sig] >= n;
}

static void set_itimer(int which, long long value_ns, long long interval_ns, struct itimerval *old) {
    struct itimerval v = {{interval_ns / 1000000000, interval_ns % 1000000000 / 1000},
                          {value_ns / 1000000000, value_ns % 1000000000 / 1000}};
    if (setitimer(which, &v, old) != 0) perror("setitimer");
}

static long long remaining(int which) {
    struct itimerval v;
    getitimer(which, &v);
    return v.it_value.tv_sec * 1000000000LL + v.it_value.tv_usec * 1000LL;
}

static void sleep_ms(long ms) {
    struct timespec t = {ms / 1000, ms % 1000 * MS};
    while (nanosleep(&t, &t) != 0 && errno == EINTR) {}
}

static void itimers(void) {
    handle(SIGVTALRM);
    handle(SIGPROF);

    long long start = read_clock(CLOCK_PROCESS_CPUTIME_ID);
    set_itimer(ITIMER_VIRTUAL, 60 * MS, 0, NULL);
    long long left = remaining(ITIMER_VIRTUAL);
    /* Linux adds a tick to the value, so that at least the whole value passes: up to 10 ms (HZ=100). */
    printf("ITIMER_VIRTUAL armed, remaining within its value: %s\n", yes_no(left > 0 && left <= 70 * MS));
    int got = spin_until(SIGVTALRM, 1);
    long long used = read_clock(CLOCK_PROCESS_CPUTIME_ID) - start;
    /* Linux counts user time by ticks, so the signal may come up to a tick or two before 60 ms. */
    printf("SIGVTALRM: %s, si_code SI_KERNEL: %s, after 40+ ms of CPU: %s\n", yes_no(got),
           yes_no(last_code == SI_KERNEL), yes_no(used >= 40 * MS));
    printf("one-shot disarmed after firing: %s\n", yes_no(remaining(ITIMER_VIRTUAL) == 0));

    set_itimer(ITIMER_PROF, 20 * MS, 20 * MS, NULL);
    got = spin_until(SIGPROF, 3);
    struct itimerval old;
    set_itimer(ITIMER_PROF, 0, 0, &old);
    printf("periodic SIGPROF three times: %s, old interval %ld.%06ld\n", yes_no(got), (long)old.it_interval.tv_sec,
           (long)old.it_interval.tv_usec);

    /* Sleeping uses no CPU: a 30 ms CPU timer must still be armed after 150 ms of sleep. */
    int before = hits[SIGVTALRM] + hits[SIGPROF];
    set_itimer(ITIMER_VIRTUAL, 30 * MS, 0, NULL);
    set_itimer(ITIMER_PROF, 30 * MS, 0, NULL);
    sleep_ms(150);
    printf("CPU itimers fired during a sleep: %s\n", yes_no(hits[SIGVTALRM] + hits[SIGPROF] != before));
    printf("still armed: %s %s\n", yes_no(remaining(ITIMER_VIRTUAL) > 0), yes_no(remaining(ITIMER_PROF) > 0));
    set_itimer(ITIMER_VIRTUAL, 2000 * MS, 0, &old);
    printf("old value returned: %s\n", yes_no(old.it_value.tv_sec == 0 && old.it_value.tv_usec > 0));
    set_itimer(ITIMER_VIRTUAL, 0, 0, NULL);
    set_itimer(ITIMER_PROF, 0, 0, NULL);
    printf("disarmed: %s\n", yes_no(remaining(ITIMER_VIRTUAL) == 0 && remaining(ITIMER_PROF) == 0));
    struct itimerval bad = {{0, 0}, {0, 1000000}};
    errno = 0;
    int r = setitimer(ITIMER_PROF, &bad, NULL);
    printf("bad usec: %d %s\n", r, strerror(errno));
}

static timer_t make_timer(clockid_t clock, int sig, int value) {
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = sig;
    ev.sigev_value.sival_int = value;
    timer_t t;
    if (timer_create(clock, &ev, &t) != 0) {
        printf("timer_create(%d): %s\n", (int)clock, strerror(errno));
        return 0;
    }
    return t;
}

static void arm(timer_t t, int flags, long long value_ns, long long interval_ns) {
    struct itimerspec its = {{interval_ns / 1000000000, interval_ns % 1000000000},
                             {value_ns / 1000000000, value_ns % 1000000000}};
    if (timer_settime(t, flags, &its, NULL) != 0) perror("timer_settime");
}

static long long timer_left(timer_t t) {
    struct itimerspec its;
    timer_gettime(t, &its);
    return its.it_value.tv_sec * 1000000000LL + its.it_value.tv_nsec;
}

static volatile clockid_t burner_clock;

static void *burner(void *arg) {
    (void)arg;
    clockid_t own;
    pthread_getcpuclockid(pthread_self(), &own);
    burner_clock = own;
    long long end = read_clock(CLOCK_THREAD_CPUTIME_ID) + 150 * MS;
    volatile unsigned long x = 0;
    while (read_clock(CLOCK_THREAD_CPUTIME_ID) < end) {
        for (int i = 0; i < 100000; i++) x += i;
    }
    return NULL;
}

static void posix_cpu_timers(void) {
    int p1 = SIGRTMIN, p2 = SIGRTMIN + 1, th = SIGRTMIN + 2;
    handle(p1);
    handle(p2);
    handle(th);

    timer_t pt = make_timer(CLOCK_PROCESS_CPUTIME_ID, p1, 42);
    long long start = read_clock(CLOCK_PROCESS_CPUTIME_ID);
    arm(pt, 0, 30 * MS, 0);
    long long left = timer_left(pt);
    printf("process CPU timer: remaining within its value: %s\n", yes_no(left > 0 && left <= 30 * MS));
    int got = spin_until(p1, 1);
    printf("process CPU timer fired: %s, SI_TIMER: %s, value %d, after its 30 ms: %s\n", yes_no(got),
           yes_no(last_code == SI_TIMER), last_value, yes_no(read_clock(CLOCK_PROCESS_CPUTIME_ID) - start >= 30 * MS));
    printf("disarmed after firing: %s\n", yes_no(timer_left(pt) == 0));

    /* Absolute expiry on the process clock, then every 10 ms. */
    arm(pt, TIMER_ABSTIME, read_clock(CLOCK_PROCESS_CPUTIME_ID) + 20 * MS, 10 * MS);
    got = spin_until(p1, 4);
    timer_delete(pt);
    printf("absolute periodic process CPU timer fired three more times: %s\n", yes_no(got));

    /* While another thread works and this one waits, the process clock moves and this thread's does not. */
    timer_t proc = make_timer(CLOCK_PROCESS_CPUTIME_ID, p2, 1);
    timer_t mine = make_timer(CLOCK_THREAD_CPUTIME_ID, th, 2);
    arm(proc, 0, 30 * MS, 0);
    arm(mine, 0, 30 * MS, 0);
    pthread_t t;
    pthread_create(&t, NULL, burner, NULL);
    pthread_join(t, NULL);
    printf("while another thread worked: process timer fired: %s, own thread timer fired: %s\n", yes_no(hits[p2] == 1),
           yes_no(hits[th] != 0));
    got = spin_until(th, 1);
    printf("own thread timer fired once this thread worked: %s\n", yes_no(got));
    timer_delete(proc);
    timer_delete(mine);

    /* SIGEV_NONE on the thread clock: only its remaining time can be seen. */
    struct sigevent none = {.sigev_notify = SIGEV_NONE};
    timer_t quiet;
    printf("SIGEV_NONE thread timer: %d\n", timer_create(CLOCK_THREAD_CPUTIME_ID, &none, &quiet));
    arm(quiet, 0, 1000 * MS, 0);
    left = timer_left(quiet);
    printf("remaining within its value: %s\n", yes_no(left > 0 && left <= 1000 * MS));
    timer_delete(quiet);

    /* A timer on another (live) thread's clock; a process clock id naming no process. */
    burner_clock = 0;
    pthread_create(&t, NULL, burner, NULL);
    while (burner_clock == 0) sched_yield();
    timer_t other = make_timer(burner_clock, p2, 3);
    if (other) arm(other, 0, 20 * MS, 0);
    pthread_join(t, NULL);
    printf("timer on the other thread's clock fired: %s\n", yes_no(hits[p2] == 2 && last_value == 3));
    if (other) timer_delete(other);
    struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = p1};
    timer_t none_t;
    errno = 0;
    int r = timer_create((~999999 << 3) | 2, &ev, &none_t);
    printf("timer on an unknown pid's clock: %d %s\n", r, strerror(errno));
}

int main(void) {
    itimers();
    posix_cpu_timers();
    return 0;
}
