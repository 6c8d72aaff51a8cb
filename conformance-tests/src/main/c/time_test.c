/* Clocks and sleeps: consistency checks, since the values themselves differ run to run. */
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
static long long ns(struct timespec t) { return t.tv_sec * 1000000000LL + t.tv_nsec; }
int main(void) {
    struct timespec a, b, r;
    clock_gettime(CLOCK_MONOTONIC, &a);
    struct timespec d = {0, 20 * 1000 * 1000};
    printf("nanosleep: %d\n", nanosleep(&d, NULL));
    clock_gettime(CLOCK_MONOTONIC, &b);
    long long slept = ns(b) - ns(a);
    printf("slept at least 20ms: %d, under 2s: %d\n", slept >= 20000000LL, slept < 2000000000LL);
    clock_gettime(CLOCK_REALTIME, &r);
    time_t t = time(NULL);
    struct timeval tv;
    gettimeofday(&tv, NULL);
    printf("realtime agrees with time(): %d\n", r.tv_sec - t <= 1 && t - r.tv_sec <= 1);
    printf("gettimeofday agrees: %d\n", tv.tv_sec - t <= 1 && t - tv.tv_sec <= 1);
    printf("after 2020: %d\n", t > 1577836800);
    struct timespec res;
    printf("getres: %d\n", clock_getres(CLOCK_MONOTONIC, &res));
    printf("resolution <= 1ms: %d\n", res.tv_sec == 0 && res.tv_nsec <= 1000000);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
    printf("cputime sane: %d\n", a.tv_sec >= 0 && a.tv_nsec >= 0 && a.tv_nsec < 1000000000);
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_nsec += 5000000;
    if (until.tv_nsec >= 1000000000) { until.tv_sec++; until.tv_nsec -= 1000000000; }
    printf("clock_nanosleep abstime: %d\n", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL));
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("reached deadline: %d\n", ns(b) >= ns(until));
    return 0;
}
