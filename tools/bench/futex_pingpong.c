/* Benchmark: two threads hand a token back and forth through futexes; prints round trips/s. */
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static _Atomic int turn; /* 0: ping's turn, 1: pong's */
static long rounds;

static void wait_for(int want) {
    int v;
    while ((v = atomic_load(&turn)) != want) syscall(SYS_futex, &turn, FUTEX_WAIT_PRIVATE, v, NULL, NULL, 0);
}

static void hand_to(int who) {
    atomic_store(&turn, who);
    syscall(SYS_futex, &turn, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *pong(void *arg) {
    (void)arg;
    for (long i = 0; i < rounds; i++) { wait_for(1); hand_to(0); }
    return NULL;
}

int main(int argc, char **argv) {
    rounds = argc > 1 ? atol(argv[1]) : 100000;
    pthread_t t;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    pthread_create(&t, NULL, pong, NULL);
    for (long i = 0; i < rounds; i++) { hand_to(1); wait_for(0); }
    pthread_join(t, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double s = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
    printf("%ld round trips in %.3f s: %.0f/s\n", rounds, s, rounds / s);
    return 0;
}
