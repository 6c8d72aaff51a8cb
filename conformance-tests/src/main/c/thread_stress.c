/*
 * Many threads under contention: 64 threads increment one mutex-protected counter, meet at a
 * barrier made of a condition variable each round, and pass a token around a ring of
 * semaphores. Exact totals or the test fails; a lost wakeup shows up as a hang (the harness
 * bounds the run).
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

#define THREADS 64
#define ROUNDS 20
#define INCREMENTS 500
#define LAPS 20

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn = PTHREAD_COND_INITIALIZER;
static long counter;
static int arrived, generation;
static sem_t ring[THREADS];
static long token_passes;

static void barrier(void) {
    pthread_mutex_lock(&lock);
    int gen = generation;
    if (++arrived == THREADS) {
        arrived = 0;
        generation++;
        pthread_cond_broadcast(&turn);
    } else {
        while (gen == generation) pthread_cond_wait(&turn, &lock);
    }
    pthread_mutex_unlock(&lock);
}

static void *worker(void *arg) {
    long id = (long)arg;
    for (int r = 0; r < ROUNDS; r++) {
        for (int i = 0; i < INCREMENTS; i++) {
            pthread_mutex_lock(&lock);
            counter++;
            pthread_mutex_unlock(&lock);
        }
        barrier();
    }
    for (int lap = 0; lap < LAPS; lap++) {
        sem_wait(&ring[id]);
        token_passes++; /* only the token holder runs here */
        sem_post(&ring[(id + 1) % THREADS]);
    }
    return NULL;
}

int main(void) {
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) sem_init(&ring[i], 0, 0);
    for (long i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, worker, (void *)i);
    sem_post(&ring[0]);
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
    printf("counter=%ld (expected %d)\n", counter, THREADS * ROUNDS * INCREMENTS);
    printf("barrier generations=%d (expected %d)\n", generation, ROUNDS);
    printf("token passes=%ld (expected %d)\n", token_passes, THREADS * LAPS);
    return counter == (long)THREADS * ROUNDS * INCREMENTS && token_passes == THREADS * LAPS ? 0 : 1;
}
