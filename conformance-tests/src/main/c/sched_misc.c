/* Calls Python's regression tests make: msync of a shared file mapping (and its errors),
 * clock_settime (what Linux says to this caller), sched_get_priority_min/max,
 * sched_rr_get_interval, sched_setaffinity kept and reported by sched_getaffinity (also in a
 * child), F_GETPIPE_SZ/F_SETPIPE_SZ, F_NOTIFY, and SIOCGIFINDEX/SIOCGIFNAME for lo. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SHOW(label, expr) do { errno = 0; long r_ = (long) (expr); printf("%s: %ld %s\n", label, r_, r_ < 0 ? strerror(errno) : ""); } while (0)

static void msyncs(const char *dir) {
    char path[4096];
    snprintf(path, sizeof path, "%s/msync_file", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    ftruncate(fd, 8192);
    char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    memcpy(p, "written through the mapping", 27);
    SHOW("msync MS_SYNC", msync(p, 8192, MS_SYNC));
    char buf[32] = {0};
    pread(fd, buf, 27, 0);
    printf("file has: %s\n", buf);
    SHOW("msync MS_ASYNC|MS_INVALIDATE", msync(p, 100, MS_ASYNC | MS_INVALIDATE));
    SHOW("msync unaligned", msync(p + 1, 100, MS_SYNC));
    SHOW("msync both", msync(p, 100, MS_SYNC | MS_ASYNC));
    SHOW("msync bad flag", msync(p, 100, 8));
    SHOW("msync length 0", msync(p, 0, MS_SYNC));
    munmap(p + 4096, 4096);
    SHOW("msync over a hole", msync(p, 8192, MS_SYNC));
    munmap(p, 4096);
    char *anon = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SHOW("msync private anonymous", msync(anon, 4096, MS_SYNC));
    close(fd);
    unlink(path);
}

static void clocks(void) {
    /* Never a valid REALTIME setting: run as root with CAP_SYS_TIME it would move the host's clock. */
    struct timespec now, bad = {0, 1000000000};
    clock_gettime(CLOCK_REALTIME, &now);
    SHOW("clock_settime bad nsec", clock_settime(CLOCK_REALTIME, &bad));
    SHOW("clock_settime MONOTONIC", clock_settime(CLOCK_MONOTONIC, &now));
    SHOW("clock_settime PROCESS_CPUTIME", clock_settime(CLOCK_PROCESS_CPUTIME_ID, &now));
    SHOW("clock_settime bad id", clock_settime(100, &now));
    SHOW("clock_settime negative REALTIME", clock_settime(CLOCK_REALTIME, &(struct timespec){-1, 0}));
}

static void sched(void) {
    int pol[] = {SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE, 6, 42};
    for (int i = 0; i < 7; i++)
        printf("policy %d: min %d max %d\n", pol[i], sched_get_priority_min(pol[i]), sched_get_priority_max(pol[i]));
    struct timespec ts;
    SHOW("sched_rr_get_interval self", sched_rr_get_interval(0, &ts));
    printf("interval under a second: %d\n", ts.tv_sec == 0 && ts.tv_nsec >= 0);
    SHOW("sched_rr_get_interval -1", sched_rr_get_interval(-1, &ts));
    SHOW("sched_rr_get_interval no such pid", sched_rr_get_interval(999999, &ts));

    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(0, &set);
    SHOW("setaffinity {0}", sched_setaffinity(0, sizeof set, &set));
    CPU_ZERO(&set);
    SHOW("getaffinity", sched_getaffinity(0, sizeof set, &set));
    printf("count %d cpu0 %d\n", CPU_COUNT(&set), CPU_ISSET(0, &set));
    pid_t c = fork();
    if (c == 0) {
        cpu_set_t s2;
        CPU_ZERO(&s2);
        sched_getaffinity(0, sizeof s2, &s2);
        printf("child inherits: count %d cpu0 %d\n", CPU_COUNT(&s2), CPU_ISSET(0, &s2));
        fflush(stdout);
        _exit(0);
    }
    waitpid(c, NULL, 0);
    CPU_ZERO(&set);
    SHOW("setaffinity empty", sched_setaffinity(0, sizeof set, &set));
    CPU_SET(1000, &set);
    SHOW("setaffinity offline cpu", sched_setaffinity(0, sizeof set, &set));
    unsigned long small = 1;
    SHOW("setaffinity 4-byte mask", syscall(SYS_sched_setaffinity, 0, 4, &small));
    unsigned long big[2];
    SHOW("getaffinity 4 bytes", syscall(SYS_sched_getaffinity, 0, 4, big));
    SHOW("getaffinity 16 bytes", syscall(SYS_sched_getaffinity, 0, 16, big));
    SHOW("getaffinity no such pid", syscall(SYS_sched_getaffinity, 999999, 16, big));
}

static void pipes(const char *dir) {
    int p[2];
    pipe(p);
    SHOW("F_GETPIPE_SZ", fcntl(p[0], F_GETPIPE_SZ));
    SHOW("F_SETPIPE_SZ 5000", fcntl(p[1], F_SETPIPE_SZ, 5000));
    SHOW("F_GETPIPE_SZ", fcntl(p[0], F_GETPIPE_SZ));
    SHOW("F_SETPIPE_SZ 1", fcntl(p[1], F_SETPIPE_SZ, 1));
    char data[8192];
    memset(data, 'x', sizeof data);
    fcntl(p[1], F_SETPIPE_SZ, 65536);
    write(p[1], data, sizeof data);
    SHOW("F_SETPIPE_SZ below content", fcntl(p[1], F_SETPIPE_SZ, 4096));
    SHOW("F_SETPIPE_SZ huge", fcntl(p[1], F_SETPIPE_SZ, 1 << 30));
    int f = open(dir, O_RDONLY | O_DIRECTORY);
    SHOW("F_GETPIPE_SZ on a directory", fcntl(f, F_GETPIPE_SZ));
    close(f);
}

static void interfaces(void) {
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    SHOW("SIOCGIFINDEX lo", ioctl(s, SIOCGIFINDEX, &ifr));
    int index = ifr.ifr_ifindex;
    printf("lo index %d, if_nametoindex agrees %d\n", index, if_nametoindex("lo") == (unsigned) index);
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_ifindex = index;
    SHOW("SIOCGIFNAME", ioctl(s, SIOCGIFNAME, &ifr));
    printf("name %s\n", ifr.ifr_name);
    strcpy(ifr.ifr_name, "nosuchif0");
    SHOW("SIOCGIFINDEX unknown", ioctl(s, SIOCGIFINDEX, &ifr));
    int fd = open("/dev/null", O_RDONLY);
    SHOW("SIOCGIFINDEX on a file", ioctl(fd, SIOCGIFINDEX, &ifr));
    close(s);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *dir = argc > 1 ? argv[1] : ".";
    msyncs(dir);
    clocks();
    sched();
    pipes(dir);
    interfaces();
    return 0;
}
