/* Event descriptors: epoll (level and edge triggered, user data kept, delete), eventfd, timerfd. */
#include <stdio.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <time.h>
int main(void) {
    int ep = epoll_create1(EPOLL_CLOEXEC);
    int efd = eventfd(0, EFD_NONBLOCK);
    int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
    int p[2]; pipe(p);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0x1122334455667788ULL};
    epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev);
    ev.data.u64 = 42; epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev);
    ev.data.u64 = 7; ev.events = EPOLLIN | EPOLLET; epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
    struct epoll_event out[4];
    printf("nothing ready: %d\n", epoll_wait(ep, out, 4, 10));
    uint64_t one = 3; write(efd, &one, 8);
    int n = epoll_wait(ep, out, 4, 100);
    printf("eventfd ready: n=%d data=%llx\n", n, (unsigned long long)out[0].data.u64);
    uint64_t v; read(efd, &v, 8); printf("eventfd value %llu\n", (unsigned long long)v);
    struct itimerspec its = {{0, 0}, {0, 20000000}};
    timerfd_settime(tfd, 0, &its, NULL);
    n = epoll_wait(ep, out, 4, 1000);
    printf("timerfd ready: n=%d data=%llu\n", n, (unsigned long long)out[0].data.u64);
    read(tfd, &v, 8); printf("expirations %llu\n", (unsigned long long)v);
    write(p[1], "ab", 2);
    n = epoll_wait(ep, out, 4, 100); printf("pipe ready: n=%d data=%llu\n", n, (unsigned long long)out[0].data.u64);
    n = epoll_wait(ep, out, 4, 10); printf("edge-triggered again: %d\n", n);
    epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL);
    write(p[1], "c", 1);
    printf("after delete: %d\n", epoll_wait(ep, out, 4, 10));
    return 0;
}
