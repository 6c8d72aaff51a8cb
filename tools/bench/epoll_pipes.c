/* Benchmark: epoll over 1,000 pipes; each round writes one byte to every pipe and collects all events. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define PIPES 1000

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 100;
    struct rlimit rl = { 4096, 4096 };
    setrlimit(RLIMIT_NOFILE, &rl);
    static int fds[PIPES][2];
    int ep = epoll_create1(0);
    for (int i = 0; i < PIPES; i++) {
        if (pipe(fds[i]) != 0) { perror("pipe"); return 1; }
        struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (unsigned)i };
        epoll_ctl(ep, EPOLL_CTL_ADD, fds[i][0], &ev);
    }
    struct epoll_event evs[256];
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    long events = 0;
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < PIPES; i++) if (write(fds[i][1], "x", 1) != 1) return 1;
        int left = PIPES;
        while (left > 0) {
            int n = epoll_wait(ep, evs, 256, -1);
            for (int k = 0; k < n; k++) { char c; if (read(fds[evs[k].data.u32][0], &c, 1) == 1) left--; }
            events += n;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double s = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
    printf("%d rounds x %d pipes: %ld events in %.3f s (%.0f events/s)\n", rounds, PIPES, events, s, events / s);
    return 0;
}
