/* Benchmark: one write of a byte into a pipe and one read of it back, N times in one thread;
 * prints the CPU time per write+read pair (the syscall path's per-call cost, no wake-ups). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 200000L;
    int fd[2];
    if (pipe(fd) != 0) { perror("pipe"); return 1; }
    char c = 'x';
    struct timespec a, b;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
    for (long i = 0; i < n; i++) {
        if (write(fd[1], &c, 1) != 1 || read(fd[0], &c, 1) != 1) { perror("pipe transfer"); return 1; }
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
    double us = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / 1e3 / n;
    printf("%ld pipe write+read pairs: %.2f us CPU each\n", n, us);
    return 0;
}
