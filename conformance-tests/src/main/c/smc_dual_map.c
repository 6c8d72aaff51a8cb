/*
 * A JIT's dual mapping: one memfd mapped writable at one address and executable at another
 * (.NET's W^X mode, libffi closures). Code is written through the writable view and run
 * through the executable one; every new version must run at once (x86 keeps instruction
 * fetch coherent with stores to the same physical page, whatever the virtual address).
 * Parts: same thread; a second thread running what the first writes, in turns; a view made
 * executable only after code was written; a forked child writing code its parent then runs.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

typedef int (*fn)(void);

static unsigned char *rw;
static fn rx;
static pthread_barrier_t turn;
static int rounds = 200;

static void emit(unsigned char *p, int value) {
    p[0] = 0xb8; /* mov eax, imm32 */
    memcpy(p + 1, &value, 4);
    p[5] = 0xc3; /* ret */
}

static void *runner(void *arg) {
    long *sum = arg;
    for (int i = 1; i <= rounds; i++) {
        pthread_barrier_wait(&turn); /* the writer emitted version i */
        *sum += rx();
        pthread_barrier_wait(&turn);
    }
    return NULL;
}

static int map_views(int fd) {
    rw = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    void *x = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
    if (rw == MAP_FAILED || x == MAP_FAILED) return -1;
    rx = (fn)x;
    return 0;
}

int main(void) {
    int fd = memfd_create("jit", 0);
    if (fd < 0 || ftruncate(fd, 4096) != 0 || map_views(fd) != 0) { perror("setup"); return 1; }

    long sum = 0, stale = 0;
    for (int i = 1; i <= rounds; i++) {
        emit(rw, i);
        int got = rx();
        stale += got != i;
        sum += got;
    }
    printf("same thread: sum %ld, stale %ld\n", sum, stale);

    /* Code at several places in the page, each rewritten: only the stored-to bytes change. */
    sum = 0;
    for (int i = 1; i <= rounds; i++) {
        emit(rw + 64 * (i % 8), i);
        sum += ((fn)((char *)rx + 64 * (i % 8)))();
    }
    printf("eight functions: sum %ld\n", sum);

    long tsum = 0;
    pthread_t t;
    pthread_barrier_init(&turn, NULL, 2);
    pthread_create(&t, NULL, runner, &tsum);
    for (int i = 1; i <= rounds; i++) {
        emit(rw, 1000 + i);
        pthread_barrier_wait(&turn);
        pthread_barrier_wait(&turn);
    }
    pthread_join(t, NULL);
    printf("other thread: sum %ld\n", tsum);

    /* The executable view made after the code was written, then rewritten. */
    int fd2 = memfd_create("jit2", 0);
    if (fd2 < 0 || ftruncate(fd2, 4096) != 0) return 1;
    unsigned char *w2 = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd2, 0);
    emit(w2, 7);
    fn x2 = (fn)mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_SHARED, fd2, 0);
    int first = x2();
    emit(w2, 8);
    printf("late executable view: %d then %d\n", first, x2());

    /* A forked child writes through its inherited writable view; the parent runs the result. */
    emit(rw, 1);
    int before = rx();
    pid_t child = fork();
    if (child == 0) {
        emit(rw, 4242);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    printf("written by a child: %d then %d\n", before, rx());
    return 0;
}
