/* Each new process of a program starts with fresh memory, even where the previous process of
 * the same program had the same mappings: zeroed bss, heap, anonymous mappings and stack, data
 * holding its initial values, and no access to a place only the previous process had mapped.
 * Generations of this program replace (execve) or fork-exec each other, each one dirtying all
 * of that memory before handing over. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define GENERATIONS 8
#define FIXED ((char *)0x300000000UL)
#define FIXED_LEN (64 * 1024)

static unsigned char bss[256 * 1024];
static unsigned char data[8192] = {1, 2, 3, 4, 5, 6, 7, 8};
static sigjmp_buf escape;

static void on_fault(int sig) { siglongjmp(escape, sig); }

static int all(const unsigned char *p, size_t n, unsigned char v) {
    for (size_t i = 0; i < n; i++) if (p[i] != v) return 0;
    return 1;
}

/* Deep stack pages no code of this process has used yet must read as zero. */
__attribute__((noinline)) static int stack_is_fresh(int dirty) {
    volatile unsigned char deep[512 * 1024];
    int fresh = all((const unsigned char *)deep, 384 * 1024, 0);
    if (dirty) memset((void *)deep, 0xa5, sizeof deep);
    return fresh;
}

static const char *fixed_place(void) {
    struct sigaction sa = {0}, old_segv, old_bus;
    sa.sa_handler = on_fault;
    sigaction(SIGSEGV, &sa, &old_segv);
    sigaction(SIGBUS, &sa, &old_bus);
    const char *verdict;
    if (sigsetjmp(escape, 1) == 0) {
        volatile char c = *(volatile char *)FIXED;
        (void)c;
        verdict = "readable (wrong)";
    } else {
        verdict = "faults";
    }
    sigaction(SIGSEGV, &old_segv, NULL);
    sigaction(SIGBUS, &old_bus, NULL);
    return verdict;
}

static void check_and_dirty(int gen) {
    printf("gen %d: old fixed place %s", gen, fixed_place());
    printf(", bss %s", all(bss, sizeof bss, 0) ? "zero" : "DIRTY");
    printf(", data %s", data[0] == 1 && data[7] == 8 && all(data + 8, sizeof data - 8, 0) ? "initial" : "CHANGED");
    /* brk itself: musl's sbrk refuses to grow the break. */
    unsigned char *heap = (unsigned char *)syscall(SYS_brk, 0);
    if ((unsigned char *)syscall(SYS_brk, heap + 128 * 1024) != heap + 128 * 1024) { perror("brk"); exit(1); }
    printf(", brk %s", all(heap, 128 * 1024, 0) ? "zero" : "DIRTY");
    unsigned char *anon = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf(", mmap %s", all(anon, 1 << 20, 0) ? "zero" : "DIRTY");
    char *fixed = mmap(FIXED, FIXED_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    printf(", fixed %s", fixed == FIXED && all((unsigned char *)fixed, FIXED_LEN, 0) ? "zero" : "WRONG");
    printf(", stack %s\n", stack_is_fresh(1) ? "zero" : "DIRTY");
    fflush(stdout);
    memset(bss, 0x5a, sizeof bss);
    memset(data, 0x6b, sizeof data);
    memset(heap, 0x7c, 128 * 1024);
    memset(anon, 0x8d, 1 << 20);
    memset(fixed, 0x9e, FIXED_LEN);
}

int main(int argc, char **argv) {
    int gen = argc > 1 ? atoi(argv[1]) : 0;
    check_and_dirty(gen);
    if (gen + 1 >= GENERATIONS) return 0;
    char next[16];
    snprintf(next, sizeof next, "%d", gen + 1);
    char *args[] = {argv[0], next, NULL};
    if (gen % 2 == 0) {
        execv("/proc/self/exe", args);
        perror("execv");
        return 1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        execv("/proc/self/exe", args);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("gen %d: child exited %d\n", gen, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
}
