/* 8 threads hammering malloc/free (arenas, tcache, cross-thread frees through a shared slot
 * table) while checking that every block keeps the bytes written into it. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 8
#define OPS 8000
#define SLOTS 256

static void *volatile shared[SLOTS];
static volatile long bad;

static void *worker(void *arg) {
    unsigned seed = (unsigned)(uintptr_t)arg * 2654435761u + 1;
    void *own[64] = {0};
    size_t ownsz[64] = {0};
    for (int i = 0; i < OPS; i++) {
        seed = seed * 1103515245u + 12345u;
        unsigned r = seed >> 8;
        int k = r % 64;
        if (own[k]) {
            unsigned char *p = own[k];
            for (size_t j = 0; j < ownsz[k]; j += (j < 64 || j + 64 > ownsz[k]) ? 1 : 61)
                if (p[j] != (unsigned char)(ownsz[k] + j)) { bad++; break; }
            if (r & 0x100) {
                /* hand it to whichever thread finds it next */
                void *prev = __atomic_exchange_n(&shared[r % SLOTS], own[k], __ATOMIC_ACQ_REL);
                free(prev);
            } else {
                free(own[k]);
            }
            own[k] = NULL;
        } else {
            /* mostly small blocks (tcache, bins), 1 in 16 up to 300 KB (mmap'd chunks) */
            size_t sz = (r & 0xf00) == 0 ? (r % 300000) + 1 : (r % 200) + 1;
            unsigned char *p = malloc(sz);
            if (!p) { bad++; continue; }
            for (size_t j = 0; j < sz; j += (j < 64 || j + 64 > sz) ? 1 : 61) p[j] = (unsigned char)(sz + j);
            own[k] = p;
            ownsz[k] = sz;
        }
    }
    for (int k = 0; k < 64; k++) free(own[k]);
    return NULL;
}

int main(void) {
    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, worker, (void *)(i + 1));
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
    for (int i = 0; i < SLOTS; i++) free(shared[i]);
    printf("malloc/free in %d threads: %s\n", THREADS, bad ? "CORRUPT" : "all blocks intact");
    return bad != 0;
}
