/* The vsyscall page as current kernels present it (vsyscall=xonly): its three entries work when
 * called, /proc/self/maps lists it, and reading it or jumping elsewhere into it gets SIGSEGV. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#define VSYSCALL 0xffffffffff600000UL
static sigjmp_buf back;

static void on_segv(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    printf("signal %d code %d addr %#lx\n", sig, si->si_code, (unsigned long)si->si_addr);
    siglongjmp(back, 1);
}

int main(void) {
    long (*vgettimeofday)(struct timeval *, struct timezone *) = (void *)VSYSCALL;
    long (*vtime)(time_t *) = (void *)(VSYSCALL + 0x400);
    long (*vgetcpu)(unsigned *, unsigned *, void *) = (void *)(VSYSCALL + 0x800);

    struct timeval tv = {0, 0};
    long r = vgettimeofday(&tv, NULL);
    time_t now = time(NULL);
    printf("gettimeofday %ld, close to time(): %s\n", r, tv.tv_sec >= now - 2 && tv.tv_sec <= now + 2 ? "yes" : "no");
    time_t t2 = 0;
    long t1 = vtime(&t2);
    printf("time agrees with its argument: %s, close: %s\n", t1 == t2 ? "yes" : "no",
           t1 >= now - 2 && t1 <= now + 2 ? "yes" : "no");
    unsigned cpu = 99, node = 99;
    r = vgetcpu(&cpu, &node, NULL);
    printf("getcpu %ld node %u cpu valid: %s\n", r, node, cpu < 1024 ? "yes" : "no");

    FILE *maps = fopen("/proc/self/maps", "r");
    char line[512];
    while (fgets(line, sizeof line, maps))
        if (strstr(line, "[vsyscall]")) fputs(line, stdout);
    fclose(maps);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    if (!sigsetjmp(back, 1)) {
        volatile unsigned char *p = (unsigned char *)VSYSCALL;
        printf("read %d\n", p[0]);
    }
    if (!sigsetjmp(back, 1)) {
        long (*middle)(void) = (void *)(VSYSCALL + 0x100);
        printf("middle %ld\n", middle());
    }
    printf("done\n");
    return 0;
}
