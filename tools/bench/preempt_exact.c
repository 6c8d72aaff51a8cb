/* Are asynchronous preemptions exact? T threads each count to N in a thread-private counter
 * without any syscall, so under lxrun they change turns only by the preemption timer's
 * uc_emu_stop. Any total above T*N means an instruction ran twice after a stop.
 *   preempt_exact [atomic]   (atomic: also add to one shared counter with lock xadd) */
#include <pthread.h>
#include <stdio.h>
#define T 8
#define N 2000000
static volatile long own[T];
static long shared;
static int atomic;

static void *count(void *arg) {
    long id = (long)arg;
    for (int i = 0; i < N; i++) {
        if (atomic) __atomic_fetch_add(&shared, 1, __ATOMIC_SEQ_CST);
        own[id]++;
    }
    return 0;
}

int main(int argc, char **argv) {
    atomic = argc > 1;
    pthread_t t[T];
    for (long i = 0; i < T; i++) pthread_create(&t[i], 0, count, (void *)i);
    long sum = 0;
    for (int i = 0; i < T; i++) {
        pthread_join(t[i], 0);
        sum += own[i];
    }
    printf("sum %ld shared %ld expected %d\n", sum, shared, T * N);
    return sum != (long)T * N || (atomic && shared != (long)T * N);
}
