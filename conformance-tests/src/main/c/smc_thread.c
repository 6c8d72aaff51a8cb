/*
 * Code another thread rewrites: a "compiler" thread writes new code into a page and a
 * "runner" thread calls it, in turns synchronised by a barrier, as JIT runtimes do. Part 1:
 * the compiler flips the page W^X (RW, write, RX); part 2: the page stays RWX and the compiler
 * only stores into it. The runner must see each new version (Linux: the sums below).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

typedef int (*fn)(void);

static unsigned char *code;
static pthread_barrier_t turn;
static int rounds = 200;
static int flips;

static void emit(int value) {
    code[0] = 0xb8;
    memcpy(code + 1, &value, 4);
    code[5] = 0xc3;
}

static void *compiler(void *arg) {
    (void)arg;
    for (int i = 1; i <= rounds; i++) {
        if (flips) mprotect(code, 4096, PROT_READ | PROT_WRITE);
        emit(i);
        if (flips) mprotect(code, 4096, PROT_READ | PROT_EXEC);
        pthread_barrier_wait(&turn); /* code i is ready */
        pthread_barrier_wait(&turn); /* the runner ran it */
    }
    return NULL;
}

static long run(int with_flips) {
    flips = with_flips;
    code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | (with_flips ? 0 : PROT_EXEC), MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    pthread_barrier_init(&turn, NULL, 2);
    pthread_t th;
    pthread_create(&th, NULL, compiler, NULL);
    long sum = 0;
    for (int i = 1; i <= rounds; i++) {
        pthread_barrier_wait(&turn);
        int got = ((fn)code)();
        if (got != i) printf("round %d ran version %d\n", i, got);
        sum += got;
        pthread_barrier_wait(&turn);
    }
    pthread_join(th, NULL);
    pthread_barrier_destroy(&turn);
    munmap(code, 4096);
    return sum;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("w^x flips: sum %ld\n", run(1));
    printf("rwx stores: sum %ld\n", run(0));
    return 0;
}
