/* Priority-inheritance mutexes (PTHREAD_PRIO_INHERIT), which libc builds on FUTEX_LOCK_PI,
   FUTEX_UNLOCK_PI and FUTEX_TRYLOCK_PI: contention across threads, trylock, timed locks,
   error checking, a condition variable, robust PI mutexes whose owner dies (with and without a
   waiter), a signal handler running while a thread waits for the lock, and the raw futex calls'
   answers on words whose values are known. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* From Linux's uapi linux/futex.h, which musl's compiler does not see. */
#define FUTEX_LOCK_PI 6
#define FUTEX_UNLOCK_PI 7
#define FUTEX_TRYLOCK_PI 8
#define WAITERS 0x80000000u
#define OWNER_DIED 0x40000000u
#define TID_MASK 0x3fffffffu

static const char *yes_no(int b) { return b ? "yes" : "no"; }

static void init_pi(pthread_mutex_t *m, int type, int robust) {
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, type);
    pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
    if (robust) pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    int r = pthread_mutex_init(m, &a);
    if (r != 0) printf("pthread_mutex_init: %s\n", strerror(r));
    pthread_mutexattr_destroy(&a);
}

static pthread_mutex_t counted;
static long counter;

static void *incrementer(void *arg) {
    (void)arg;
    for (int i = 0; i < 3000; i++) {
        pthread_mutex_lock(&counted);
        long c = counter;
        if (i % 50 == 0) sched_yield(); /* let the others find it locked */
        counter = c + 1;
        pthread_mutex_unlock(&counted);
    }
    return NULL;
}

static void contention(void) {
    init_pi(&counted, PTHREAD_MUTEX_NORMAL, 0);
    pthread_t th[4];
    for (int i = 0; i < 4; i++) pthread_create(&th[i], NULL, incrementer, NULL);
    for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
    printf("4 threads x 3000 increments: %ld\n", counter);
}

static pthread_mutex_t held;
static sem_t locked, release;

static void *holder(void *arg) {
    (void)arg;
    pthread_mutex_lock(&held);
    sem_post(&locked);
    sem_wait(&release);
    pthread_mutex_unlock(&held);
    return NULL;
}

static void abs_in(clockid_t c, struct timespec *ts, long ms) {
    clock_gettime(c, ts);
    ts->tv_nsec += ms * 1000000L;
    ts->tv_sec += ts->tv_nsec / 1000000000L;
    ts->tv_nsec %= 1000000000L;
}

static void held_elsewhere(void) {
    init_pi(&held, PTHREAD_MUTEX_ERRORCHECK, 0);
    sem_init(&locked, 0, 0);
    sem_init(&release, 0, 0);
    pthread_t th;
    pthread_create(&th, NULL, holder, NULL);
    sem_wait(&locked);
    printf("trylock while held by another thread: %s\n", strerror(pthread_mutex_trylock(&held)));
    printf("unlock by a non-owner: %s\n", strerror(pthread_mutex_unlock(&held)));
    struct timespec ts;
    abs_in(CLOCK_REALTIME, &ts, 50);
    printf("timedlock (CLOCK_REALTIME): %s\n", strerror(pthread_mutex_timedlock(&held, &ts)));
#ifdef __GLIBC__
    abs_in(CLOCK_MONOTONIC, &ts, 50);
    printf("clocklock (CLOCK_MONOTONIC): %s\n", strerror(pthread_mutex_clocklock(&held, CLOCK_MONOTONIC, &ts)));
#endif
    sem_post(&release);
    abs_in(CLOCK_REALTIME, &ts, 10000);
    printf("timedlock once released: %s\n", strerror(pthread_mutex_timedlock(&held, &ts)));
    printf("relock of an error-checking PI mutex: %s\n", strerror(pthread_mutex_lock(&held)));
    pthread_join(th, NULL);
    pthread_mutex_unlock(&held);
}

static pthread_mutex_t cm;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int items, consumed;

static void *consumer(void *arg) {
    (void)arg;
    pthread_mutex_lock(&cm);
    while (consumed < 100) {
        while (items == 0) pthread_cond_wait(&cv, &cm);
        items--;
        consumed++;
    }
    pthread_mutex_unlock(&cm);
    return NULL;
}

static void condition(void) {
    init_pi(&cm, PTHREAD_MUTEX_NORMAL, 0);
    pthread_t th;
    pthread_create(&th, NULL, consumer, NULL);
    for (int i = 0; i < 100; i++) {
        pthread_mutex_lock(&cm);
        items++;
        pthread_cond_signal(&cv);
        pthread_mutex_unlock(&cm);
        if (i % 10 == 0) sched_yield();
    }
    pthread_join(th, NULL);
    printf("condition variable with a PI mutex: consumed %d\n", consumed);
}

static pthread_mutex_t robust;
static sem_t robust_taken;

static void *die_holding(void *arg) {
    pthread_mutex_lock(&robust);
    sem_post(&robust_taken);
    if (arg) {
        struct timespec t = {0, 100000000L}; /* give the main thread time to start waiting */
        nanosleep(&t, NULL);
    }
    return NULL;
}

static void owner_death(int with_waiter) {
    pthread_t th;
    sem_init(&robust_taken, 0, 0);
    pthread_create(&th, NULL, die_holding, with_waiter ? "wait" : NULL);
    sem_wait(&robust_taken);
    if (!with_waiter) pthread_join(th, NULL);
    int r = pthread_mutex_lock(&robust);
    printf("robust PI, owner died %s: %s\n", with_waiter ? "while we waited" : "before", strerror(r));
    if (with_waiter) pthread_join(th, NULL);
    if (r == EOWNERDEAD) printf("made consistent: %d\n", pthread_mutex_consistent(&robust));
    pthread_mutex_unlock(&robust);
}

static pthread_mutex_t sigm;
static volatile sig_atomic_t handled;
static pthread_t main_thread;

static void on_usr1(int sig) { (void)sig; handled++; }

static void *signal_then_unlock(void *arg) {
    (void)arg;
    pthread_mutex_lock(&sigm);
    sem_post(&locked);
    struct timespec t = {0, 50000000L};
    nanosleep(&t, NULL);
    pthread_kill(main_thread, SIGUSR1);
    nanosleep(&t, NULL);
    pthread_mutex_unlock(&sigm);
    return NULL;
}

static void signal_while_waiting(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1; /* no SA_RESTART: the lock must be retried anyway */
    sigaction(SIGUSR1, &sa, NULL);
    init_pi(&sigm, PTHREAD_MUTEX_NORMAL, 0);
    main_thread = pthread_self();
    pthread_t th;
    pthread_create(&th, NULL, signal_then_unlock, NULL);
    sem_wait(&locked);
    int r = pthread_mutex_lock(&sigm);
    printf("lock with a handler run meanwhile: %s, handler ran: %s\n", strerror(r), yes_no(handled == 1));
    pthread_mutex_unlock(&sigm);
    pthread_join(th, NULL);
}

static long futex(uint32_t *w, int op) {
    long r = syscall(SYS_futex, w, op, 0, NULL, NULL, 0);
    return r < 0 ? -errno : r;
}

/* A raw call on a word that held before: prints its result and what the word holds after. */
static void raw(const char *what, uint32_t before, int op) {
    uint32_t tid = syscall(SYS_gettid), w = before;
    long r = futex(&w, op);
    printf("%s: %s, word after: %s%s%s\n", what, r == 0 ? "ok" : strerror(-r),
           (w & TID_MASK) == tid ? "ours" : (w & TID_MASK) == 0 ? "free" : (w & TID_MASK) == (before & TID_MASK) ? "unchanged owner" : "?",
           w & OWNER_DIED ? " +owner-died" : "", w & WAITERS ? " +waiters" : "");
}

static void raw_calls(void) {
    uint32_t tid = syscall(SYS_gettid);
    raw("TRYLOCK_PI on a free word", 0, FUTEX_TRYLOCK_PI);
    raw("TRYLOCK_PI on our own lock", tid, FUTEX_TRYLOCK_PI);
    raw("LOCK_PI on our own lock", tid, FUTEX_LOCK_PI);
    raw("UNLOCK_PI of our lock", tid, FUTEX_UNLOCK_PI);
    raw("UNLOCK_PI of a free word", 0, FUTEX_UNLOCK_PI);
    raw("LOCK_PI, owner tid names no thread", 0x3ffffff0, FUTEX_LOCK_PI);
    raw("TRYLOCK_PI, owner tid names no thread", 0x3ffffff0, FUTEX_TRYLOCK_PI);
    raw("LOCK_PI on an owner-died word", OWNER_DIED, FUTEX_LOCK_PI);
    raw("UNLOCK_PI of our owner-died lock", OWNER_DIED | tid, FUTEX_UNLOCK_PI);
    raw("UNLOCK_PI with the waiters bit and nobody waiting", WAITERS | tid, FUTEX_UNLOCK_PI);
    raw("UNLOCK_PI of another thread's lock", 0x3ffffff0, FUTEX_UNLOCK_PI);
}

int main(void) {
    contention();
    held_elsewhere();
    condition();
    init_pi(&robust, PTHREAD_MUTEX_NORMAL, 1);
    owner_death(0);
    owner_death(1);
    signal_while_waiting();
    raw_calls();
    return 0;
}
