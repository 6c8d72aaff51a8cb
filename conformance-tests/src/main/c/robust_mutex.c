/* Robust mutexes: an owner that dies holding the lock (a thread, a forked process that exits or is
   killed, with and without a waiter) hands the next locker EOWNERDEAD; pthread_mutex_consistent
   repairs it, and unlocking without it leaves the mutex unrecoverable. Also get_robust_list. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t *m;

static const char *name(int e) {
    switch (e) {
    case 0: return "0";
    case EOWNERDEAD: return "EOWNERDEAD";
    case ENOTRECOVERABLE: return "ENOTRECOVERABLE";
    case EBUSY: return "EBUSY";
    default: return strerror(e);
    }
}

static void *die_holding(void *arg) {
    (void)arg;
    pthread_mutex_lock(m);
    return NULL;
}

static void recover(const char *what) {
    int r = pthread_mutex_lock(m);
    printf("%s: lock=%s", what, name(r));
    if (r == EOWNERDEAD) printf(" consistent=%s", name(pthread_mutex_consistent(m)));
    printf(" unlock=%s", name(pthread_mutex_unlock(m)));
    printf(" relock=%s", name(pthread_mutex_lock(m)));
    printf(" unlock=%s\n", name(pthread_mutex_unlock(m)));
}

static void child_dies_holding(int how, int sleep_ms) {
    pid_t c = fork();
    if (c == 0) {
        pthread_mutex_lock(m);
        if (sleep_ms) {
            struct timespec ts = {0, sleep_ms * 1000000L};
            nanosleep(&ts, NULL);
        }
        if (how == 1) raise(SIGKILL);
        _exit(0);
    }
    if (sleep_ms) {
        /* Let the child take the lock, then wait for it inside pthread_mutex_lock. */
        struct timespec ts = {0, sleep_ms * 1000000L / 4};
        nanosleep(&ts, NULL);
    } else {
        waitpid(c, NULL, 0);
    }
}

int main(void) {
    m = mmap(NULL, sizeof *m, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(m, &a);

    pthread_t th;
    pthread_create(&th, NULL, die_holding, NULL);
    pthread_join(th, NULL);
    recover("thread died holding it");

    child_dies_holding(0, 0);
    recover("child exited holding it");

    child_dies_holding(1, 0);
    recover("child killed holding it");

    child_dies_holding(0, 200);
    recover("waiter while child exits");
    while (waitpid(-1, NULL, 0) > 0) { }

    child_dies_holding(0, 0);
    int r = pthread_mutex_lock(m);
    printf("no consistent: lock=%s", name(r));
    printf(" unlock=%s", name(pthread_mutex_unlock(m)));
    printf(" next lock=%s", name(pthread_mutex_lock(m)));
    printf(" trylock=%s\n", name(pthread_mutex_trylock(m)));

    /* A robust list is registered for every thread by the C library (lazily by musl). */
    void *head;
    size_t len;
    long g = syscall(SYS_get_robust_list, 0, &head, &len);
    printf("get_robust_list: %ld len=%zu\n", g, len);
    g = syscall(SYS_get_robust_list, 999999, &head, &len);
    printf("get_robust_list of no thread: %ld %s\n", g, strerror(errno));
    g = syscall(SYS_set_robust_list, head, 7);
    printf("set_robust_list bad size: %ld %s\n", g, strerror(errno));
    return 0;
}
