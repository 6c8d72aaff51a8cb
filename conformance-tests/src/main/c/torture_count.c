/*
 * Exact results from read-modify-write instructions while the thread running them is stopped
 * asynchronously again and again: by a 1 ms interval timer's signals (mode "signals"), or by a
 * second thread of the process that keeps asking for the CPU (mode "threads", where lxrun's
 * preemption stops the spinning thread). Each loop iteration runs one memory-destination
 * instruction of several kinds; an instruction run twice after a stop (Unicorn rolled the guest
 * PC back to the start of an instruction whose store was already done) shows as a wrong count.
 * Prints the counts, which natively are exact.
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

struct counters {
    unsigned long add, inc, xadd_mem, xadd_reg, sub, adc, rot, stack;
};

static volatile unsigned long handled;
static volatile int done;

static void on_alarm(int sig) {
    (void)sig;
    handled++;
}

/* n iterations of memory-destination instructions whose repetition changes the result. */
static void hammer(struct counters *c, unsigned long n) {
    unsigned long one = 1;
    for (unsigned long i = 0; i < n; i++) {
        unsigned long x = 1;
        __asm__ volatile(
            "addq $1, %[add]\n\t"
            "incq %[inc]\n\t"
            "xaddq %[x], %[xadd]\n\t"
            "subq $1, %[sub]\n\t"
            "stc\n\t"
            "adcq $0, %[adc]\n\t"
            "rolq $1, %[rot]\n\t"
            : [add] "+m"(c->add), [inc] "+m"(c->inc), [xadd] "+m"(c->xadd_mem), [x] "+r"(x),
              [sub] "+m"(c->sub), [adc] "+m"(c->adc), [rot] "+m"(c->rot)
            :
            : "cc", "memory");
        c->xadd_reg += x;
        /* push/pop through memory: a repeated push or pop would move the stack pointer. */
        __asm__ volatile("pushq %[one]\n\taddq $1, (%%rsp)\n\tpopq %[one]\n\tsubq $1, %[one]"
                         : [one] "+r"(one) : : "cc", "memory");
        c->stack += one;
    }
}

static void *spinner(void *arg) {
    (void)arg;
    /* Wants the CPU without blocking: every yield is a syscall that queues for it again. */
    while (!done) sched_yield();
    return NULL;
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "signals";
    unsigned long n = argc > 2 ? strtoul(argv[2], NULL, 10) : 2000000;
    struct counters c = {0};
    c.sub = n;
    c.rot = 1;
    pthread_t th;
    if (strcmp(mode, "signals") == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_alarm;
        sa.sa_flags = SA_RESTART;
        sigaction(SIGALRM, &sa, NULL);
        struct itimerval it = {{0, 1000}, {0, 1000}};
        setitimer(ITIMER_REAL, &it, NULL);
    } else if (strcmp(mode, "threads") == 0) {
        pthread_create(&th, NULL, spinner, NULL);
    } else {
        fprintf(stderr, "usage: torture_count signals|threads [iterations]\n");
        return 2;
    }
    hammer(&c, n);
    if (strcmp(mode, "signals") == 0) {
        struct itimerval off = {{0, 0}, {0, 0}};
        setitimer(ITIMER_REAL, &off, NULL);
    } else {
        done = 1;
        pthread_join(th, NULL);
    }
    unsigned long rot_expect = 1UL << (n % 64);
    int exact = c.add == n && c.inc == n && c.xadd_mem == n && c.xadd_reg == n * (n - 1) / 2
                && c.sub == 0 && c.adc == n && c.rot == rot_expect && c.stack == n;
    printf("add %lu inc %lu xadd %lu sub %lu adc %lu rot %s stack %lu\n", c.add, c.inc, c.xadd_mem, c.sub,
           c.adc, c.rot == rot_expect ? "exact" : "WRONG", c.stack);
    printf("%s after %lu iterations\n", exact ? "exact" : "WRONG", n);
    return exact ? 0 : 1;
}
