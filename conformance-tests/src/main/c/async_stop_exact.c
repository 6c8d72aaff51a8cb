/*
 * Stops that arrive from outside must never make an instruction run twice or leave one half
 * done. Three parts, each printing what Linux gives:
 *  1. "timer": read-modify-write instructions on memory (add, inc, dec, xadd, neg twice, a
 *     string store) counted while a 1 ms interval timer sends SIGALRM;
 *  2. "kicks": the same while a second thread sends the counting thread a signal with
 *     pthread_kill as fast as it can (every one is an asynchronous stop under lxrun) and
 *     itself asks for the CPU (sched_yield), so that lxrun's preemption stops the counter too;
 *  3. "fault": a store that faults in the middle of a block of stores: the stores before it are
 *     done, the ones after it are not, and the signal frame's RIP is the faulting instruction.
 *     (si_addr is not compared: lxrun reports the RIP there, not the data address.)
 * Under Debian's Unicorn the stop of part 1/2 rolled the guest back to the start of an
 * instruction whose store was done (counts too high); part 3 guards the fix, which makes a
 * faulting store leave the block itself.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>

struct counts {
    unsigned long add, inc, dec, xadd, neg, stos, stack;
};

static volatile unsigned long signals_seen;
static volatile int done;

static void on_signal(int sig) {
    (void)sig;
    signals_seen++;
}

/* Each instruction's repetition changes the result; neg twice is the identity unless one repeats. */
static void count(struct counts *c, unsigned long n) {
    unsigned long buf[2] = {0, 0};
    for (unsigned long i = 0; i < n; i++) {
        unsigned long one = 1;
        unsigned long *dst = &buf[0];
        __asm__ volatile(
            "addq $3, %[add]\n\t"
            "incq %[inc]\n\t"
            "decq %[dec]\n\t"
            "lock xaddq %[one], %[xadd]\n\t"
            "negq %[neg]\n\t"
            "negq %[neg]\n\t"
            "addq $1, %[neg]\n\t"
            : [add] "+m"(c->add), [inc] "+m"(c->inc), [dec] "+m"(c->dec), [xadd] "+m"(c->xadd),
              [neg] "+m"(c->neg), [one] "+r"(one)
            :
            : "cc", "memory");
        /* stosq advances rdi: run twice it would write past buf[0] into buf[1]. */
        __asm__ volatile("cld\n\tmovq %[v], %%rax\n\tstosq\n\t"
                         : "+D"(dst) : [v] "r"(i + 1) : "rax", "memory");
        if (dst != &buf[1] || buf[1] != 0) c->stos = ~0UL;
        else c->stos++;
        /* push and pop through memory: one run twice moves the stack pointer. */
        unsigned long v = 1;
        __asm__ volatile("pushq %[v]\n\taddq $1, (%%rsp)\n\tpopq %[v]\n\tsubq $1, %[v]"
                         : [v] "+r"(v) : : "cc", "memory");
        c->stack += v;
    }
}

static int check(const char *what, const struct counts *c, unsigned long n) {
    int exact = c->add == 3 * n && c->inc == n && c->dec == (unsigned long)-(long)n && c->xadd == n
                && c->neg == n && c->stos == n && c->stack == n;
    printf("%s: add %lu inc %lu dec %ld xadd %lu neg %lu stos %lu stack %lu: %s\n", what, c->add, c->inc,
           (long)c->dec, c->xadd, c->neg, c->stos, c->stack, exact ? "exact" : "WRONG");
    return exact;
}

static pthread_t counter;

static void *kicker(void *arg) {
    (void)arg;
    while (!done) {
        pthread_kill(counter, SIGUSR1);
        sched_yield();
    }
    return NULL;
}

static sigjmp_buf after_fault;
static long fault_rip_offset;
extern const char fault_store[];

static void on_segv(int sig, siginfo_t *si, void *uc_) {
    (void)sig;
    ucontext_t *uc = uc_;
    (void)si;
    fault_rip_offset = (long)uc->uc_mcontext.gregs[REG_RIP] - (long)fault_store;
    siglongjmp(after_fault, 1);
}

static int fault_part(void) {
    char *page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) return 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    static volatile unsigned long before, after;
    before = after = 0;
    if (sigsetjmp(after_fault, 1) == 0) {
        /* One straight-line block: the faulting store sits between two counted stores. */
        __asm__ volatile(
            "incq %[before]\n\t"
            ".globl fault_store\n"
            "fault_store:\n\t"
            "movq $7, 64(%[ro])\n\t"
            "incq %[after]\n\t"
            : [before] "+m"(before), [after] "+m"(after)
            : [ro] "r"(page)
            : "cc", "memory");
    }
    int exact = before == 1 && after == 0 && fault_rip_offset == 0;
    printf("fault: before %lu after %lu rip %s: %s\n", before, after,
           fault_rip_offset == 0 ? "exact" : "WRONG", exact ? "exact" : "WRONG");
    munmap(page, 4096);
    return exact;
}

int main(int argc, char **argv) {
    unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
    int ok = 1;
    setvbuf(stdout, NULL, _IOLBF, 0);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);

    struct counts c = {0};
    struct itimerval it = {{0, 1000}, {0, 1000}};
    setitimer(ITIMER_REAL, &it, NULL);
    count(&c, n);
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    ok &= check("timer", &c, n);

    memset(&c, 0, sizeof c);
    counter = pthread_self();
    pthread_t th;
    pthread_create(&th, NULL, kicker, NULL);
    count(&c, n);
    done = 1;
    pthread_join(th, NULL);
    ok &= check("kicks", &c, n);

    ok &= fault_part();
    return ok ? 0 : 1;
}
