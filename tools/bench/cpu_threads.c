/* CPU-bound work split over T threads (argv[1], default 1): argv[2] million rounds of integer
 * mixing in total, no shared memory and no system calls while computing. Wall time with T=2 vs
 * T=1 shows whether a process's threads run at the same time. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static long rounds;

static void *work(void *arg) {
    unsigned long x = (unsigned long)arg * 0x9e3779b97f4a7c15UL + 1;
    for (long i = 0; i < rounds; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x += (unsigned long)i;
    }
    return (void *)x;
}

int main(int argc, char **argv) {
    int t = argc > 1 ? atoi(argv[1]) : 1;
    long total = (argc > 2 ? atol(argv[2]) : 200) * 1000000L;
    if (t < 1 || t > 64) return 2;
    rounds = total / t;
    pthread_t th[64];
    unsigned long sum = 0;
    for (long i = 0; i < t; i++) pthread_create(&th[i], NULL, work, (void *)(i + 1));
    for (int i = 0; i < t; i++) {
        void *r;
        pthread_join(th[i], &r);
        sum += (unsigned long)r;
    }
    printf("%d threads, %ld rounds: %lx\n", t, total, sum);
    return 0;
}
