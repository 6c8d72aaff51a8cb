/* Faults report what Linux reports: si_code and si_addr for reads, writes and instruction
 * fetches of unmapped and protected memory, the saved RIP at the faulting instruction, SI_KERNEL
 * for privileged instructions; and a handler that fixes the protection lets the access go on. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

static sigjmp_buf back;
static char *page;
static volatile int fix_protection;
static volatile unsigned long fault_rip;

static void on_fault(int sig, siginfo_t *si, void *ctx) {
    ucontext_t *uc = ctx;
    fault_rip = uc->uc_mcontext.gregs[REG_RIP];
    long off = page ? (char *)si->si_addr - page : 0;
    if (page && off >= 0 && off < 3 * 4096)
        printf("  signal %d code %d addr page+%#lx\n", sig, si->si_code, (unsigned long)off);
    else if (si->si_addr && si->si_addr == (void *)fault_rip)
        printf("  signal %d code %d addr is the faulting instruction\n", sig, si->si_code); /* PIE: no absolute address */
    else
        printf("  signal %d code %d addr %#lx\n", sig, si->si_code, (unsigned long)si->si_addr);
    if (fix_protection) {
        mprotect(page + 4096, 4096, PROT_READ | PROT_WRITE);
        fix_protection = 0;
        return; /* the faulting store runs again and now succeeds */
    }
    siglongjmp(back, 1);
}

#define TRY(label, stmt) do { printf("%s\n", label); fflush(stdout); if (!sigsetjmp(back, 1)) { stmt; printf("  no fault\n"); } } while (0)

extern char fault_here[];

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGTRAP, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);

    /* three pages: read-write, read-only, then a hole */
    page = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(page + 4096, 4096, PROT_READ);
    munmap(page + 2 * 4096, 4096);
    volatile char *p = page;

    TRY("read unmapped", (void)p[2 * 4096 + 5]);
    TRY("write unmapped", p[2 * 4096 + 17] = 1);
    TRY("write read-only", p[4096 + 3] = 1);
    TRY("read 8 bytes across into the hole", (void)*(volatile uint64_t *)(page + 3 * 4096 - 4));
    TRY("read null", (void)*(volatile int *)0);
    TRY("write low address", *(volatile int *)0x10 = 1);
    TRY("execute unmapped", ((void (*)(void))(page + 2 * 4096))());
    TRY("execute non-executable", ((void (*)(void))(page))());
    mprotect(page, 4096, PROT_NONE);
    TRY("read PROT_NONE", (void)p[100]);
    mprotect(page, 4096, PROT_READ | PROT_WRITE);
    /* Several #GP and #DE in a row: each is its own fault, never a double fault. Non-canonical
     * addresses are left out: Unicorn cuts them to 52 bits instead of raising #GP
     * (docs/architecture.md). */
    TRY("privileged cli", __asm__ volatile("cli"));
    TRY("int3", __asm__ volatile("int3"));
    TRY("ud2", __asm__ volatile("ud2"));
    TRY("privileged hlt", __asm__ volatile("hlt"));
    TRY("divide by zero", { volatile int z = 0; volatile int x = 5 / z; (void)x; });
    TRY("divide by zero again", { volatile int z = 0; volatile int x = 7 / z; (void)x; });
    TRY("privileged cli again", __asm__ volatile("cli"));

    /* the saved RIP is the faulting instruction */
    printf("saved rip at the faulting load\n");
    if (!sigsetjmp(back, 1)) {
        __asm__ volatile(".globl fault_here\nfault_here: movb (%0), %%al" : : "r"(page + 2 * 4096) : "al");
    }
    printf("  rip is the load: %s\n", fault_rip == (unsigned long)fault_here ? "yes" : "no");

    printf("handler makes the page writable and returns\n");
    fix_protection = 1;
    p[4096 + 9] = 42;
    printf("  stored %d\n", p[4096 + 9]);
    return 0;
}
