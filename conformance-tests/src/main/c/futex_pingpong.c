/* Two threads pass a turn back and forth ROUNDS times through futex wait/wake (no spinning). */
/* musl-gcc has no kernel headers: the two operations used, from linux/futex.h */
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile int turn;
static int rounds = 20000;

static void wait_for(int want) {
    int v;
    while ((v = __atomic_load_n(&turn, __ATOMIC_ACQUIRE)) != want)
        syscall(SYS_futex, &turn, FUTEX_WAIT_PRIVATE, v, NULL, NULL, 0);
}

static void give(int to) {
    __atomic_store_n(&turn, to, __ATOMIC_RELEASE);
    syscall(SYS_futex, &turn, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *pong(void *arg) {
    (void)arg;
    for (int i = 0; i < rounds; i++) {
        wait_for(1);
        give(0);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc > 1) rounds = atoi(argv[1]);
    pthread_t t;
    pthread_create(&t, NULL, pong, NULL);
    for (int i = 0; i < rounds; i++) {
        give(1);
        wait_for(0);
    }
    pthread_join(t, NULL);
    printf("%d futex round trips\n", rounds);
    return 0;
}
