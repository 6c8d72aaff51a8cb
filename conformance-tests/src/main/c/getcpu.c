/* getcpu names a CPU the thread may run on (one sched_getaffinity lists), on node 0. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) != 0) { perror("sched_getaffinity"); return 1; }
    int ok = 1;
    for (int i = 0; i < 100; i++) {
        unsigned cpu = 12345, node = 12345;
        long r = syscall(SYS_getcpu, &cpu, &node, NULL);
        if (r != 0 || node != 0 || !CPU_ISSET(cpu, &set)) ok = 0;
        int c = sched_getcpu();
        if (c < 0 || !CPU_ISSET(c, &set)) ok = 0;
    }
    printf("getcpu within the affinity mask on node 0: %s\n", ok ? "yes" : "no");
    unsigned cpu = 12345;
    printf("cpu only: %ld\n", syscall(SYS_getcpu, &cpu, NULL, NULL));
    printf("no pointers: %ld\n", syscall(SYS_getcpu, NULL, NULL, NULL));
    return 0;
}
