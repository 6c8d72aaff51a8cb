/* Address-space changes while other threads run guest code. A probe thread spins (no system
 * call between its checks) on a page the main thread maps, then makes read-only, then unmaps:
 * after each change returns, the probe's next access must see it (the write and the read then
 * fault: SIGSEGV, caught and counted). Meanwhile worker threads compute on their own memory and
 * map and unmap scratch pages of their own, so barriers meet threads in every state. */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <sched.h>

#define ROUNDS 60
#define WORKERS 3

static volatile int go, ack, stop_workers;
static volatile char *volatile page;
static __thread sigjmp_buf *catcher;
static volatile long faults, wrong;

static void on_segv(int sig) {
    (void)sig;
    if (catcher) siglongjmp(*catcher, 1);
    _exit(99);
}

static void wait_go(int want) {
    for (long i = 0; go != want; i++) {
        if ((i & 0xfff) == 0xfff) sched_yield();
        __asm__ volatile("pause");
    }
}

/* 1 if the access faulted */
static int try_write(volatile char *p, char v) {
    sigjmp_buf jb;
    catcher = &jb;
    if (sigsetjmp(jb, 1)) { catcher = NULL; return 1; }
    *p = v;
    catcher = NULL;
    return 0;
}

static int try_read(volatile char *p, char *out) {
    sigjmp_buf jb;
    catcher = &jb;
    if (sigsetjmp(jb, 1)) { catcher = NULL; return 1; }
    *out = *p;
    catcher = NULL;
    return 0;
}

static void *probe(void *arg) {
    (void)arg;
    for (int r = 1; r <= ROUNDS; r++) {
        char c;
        wait_go(3 * r - 2);                      /* page mapped read-write */
        if (try_read(page, &c) || c != (char)r) wrong++;
        if (try_write(page + 1, 'w')) wrong++;
        ack = 3 * r - 2;
        wait_go(3 * r - 1);                      /* page now read-only */
        if (try_write(page + 2, 'x')) faults++; else wrong++;
        if (try_read(page, &c) || c != (char)r) wrong++;
        ack = 3 * r - 1;
        wait_go(3 * r);                          /* page now unmapped */
        if (try_read(page, &c)) faults++; else wrong++;
        ack = 3 * r;
    }
    return NULL;
}

static void *worker(void *arg) {
    long id = (long)arg, sum = 0;
    long *own = malloc(4096 * sizeof(long));
    for (long n = 0; !stop_workers; n++) {
        for (int i = 0; i < 4096; i++) own[i] = own[i] * 3 + i + id;
        for (int i = 0; i < 4096; i++) sum += own[i];
        if ((n & 3) == 0) {
            char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (m == MAP_FAILED) { wrong++; continue; }
            memset(m, (int)n, 3 * 4096);
            mprotect(m + 4096, 4096, PROT_READ);
            if (m[4096] != (char)n) wrong++;
            munmap(m, 3 * 4096);
        }
    }
    free(own);
    return (void *)sum;
}

static void wait_ack(int want) {
    while (ack != want) sched_yield();
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_segv;
    sa.sa_flags = SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    pthread_t p, w[WORKERS];
    for (long i = 0; i < WORKERS; i++) pthread_create(&w[i], NULL, worker, (void *)i);
    pthread_create(&p, NULL, probe, NULL);
    for (int r = 1; r <= ROUNDS; r++) {
        /* A fixed place far below where mmap hands out memory: no worker's mapping reuses it. */
        char *m = mmap((void *)0x100000000000UL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        if (m == MAP_FAILED) { perror("mmap"); return 2; }
        m[0] = (char)r;
        page = m;
        go = 3 * r - 2;
        wait_ack(3 * r - 2);
        if (m[1] != 'w') wrong++;
        mprotect(m, 4096, PROT_READ);
        go = 3 * r - 1;
        wait_ack(3 * r - 1);
        munmap(m, 4096);
        go = 3 * r;
        wait_ack(3 * r);
    }
    pthread_join(p, NULL);
    stop_workers = 1;
    for (int i = 0; i < WORKERS; i++) pthread_join(w[i], NULL);
    printf("%d rounds: %ld faults where Linux faults, %ld wrong\n", ROUNDS, faults, wrong);
    return wrong != 0;
}
