/* Processes that share the address space (vfork, clone(CLONE_VM) without CLONE_THREAD,
 * posix_spawn) change it while a thread of the parent spins in user code with no system call.
 * A probe thread reads a page in a tight loop; a vfork child makes the page inaccessible, or a
 * CLONE_VM child unmaps it: the probe's next read must fault (SIGSEGV, caught), as on Linux,
 * where the whole address space changes at once. The child waits for that fault (at most 10 s)
 * and reports through its exit status. Then posix_spawn runs this program again 10 times while
 * worker threads map and unmap memory of their own. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 5

extern char **environ;

static volatile char *volatile page;
static volatile int armed, spinning, faulted, quit, stop_workers;
static sigjmp_buf probe_jump;

static void on_segv(int sig) {
    (void)sig;
    siglongjmp(probe_jump, 1);
}

/* Spins on the page with no system call until the read faults, once per round. */
static void *probe(void *arg) {
    (void)arg;
    for (volatile int r = 1; r <= 2 * ROUNDS; r++) { /* volatile: kept across siglongjmp */
        while (armed != r && !quit) sched_yield();
        if (quit) break;
        if (sigsetjmp(probe_jump, 1) == 0) {
            long sum = 0;
            spinning = r;
            for (;;) sum += page[0];
        }
        faulted = r;
    }
    return NULL;
}

/* Waits (with system calls: this is the child) until the probe faulted in round r. */
static int wait_for_fault(int r) {
    struct timespec ms = {0, 1000000};
    for (int i = 0; i < 10000; i++) {
        if (faulted == r) return 0;
        nanosleep(&ms, NULL);
    }
    return 1;
}

static int round_no;

static int clone_child(void *arg) {
    (void)arg;
    munmap((void *)page, 4096);
    return wait_for_fault(round_no);
}

static void map_page(void) {
    char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) { perror("mmap"); exit(1); }
    p[0] = 1;
    page = p;
}

static void arm(int r) {
    round_no = r;
    armed = r;
    while (spinning != r) sched_yield();
}

static void *worker(void *arg) {
    long id = (long)arg;
    while (!stop_workers) {
        char *p = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) continue;
        for (int i = 0; i < 8 * 4096; i += 64) p[i] = (char)(i + id);
        mprotect(p, 4096, PROT_READ);
        munmap(p, 8 * 4096);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "spawned") == 0) return 7;
    setvbuf(stdout, NULL, _IONBF, 0);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_segv;
    sigaction(SIGSEGV, &sa, NULL);

    pthread_t prober;
    pthread_create(&prober, NULL, probe, NULL);

    int r = 0;
    for (int i = 0; i < ROUNDS; i++) {
        map_page();
        arm(++r);
        pid_t pid = vfork();
        if (pid == 0) {
            mprotect((void *)page, 4096, PROT_NONE);
            _exit(wait_for_fault(r));
        }
        int status;
        waitpid(pid, &status, 0);
        printf("vfork round %d: child %s\n", i,
               WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "saw the probe fault" : "waited in vain");
        while (faulted != r) sched_yield();
        munmap((void *)page, 4096);
    }

    size_t stack_size = 256 * 1024;
    char *stack = mmap(NULL, stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (int i = 0; i < ROUNDS; i++) {
        map_page();
        arm(++r);
        pid_t pid = clone(clone_child, stack + stack_size, CLONE_VM | SIGCHLD, NULL);
        if (pid < 0) { perror("clone"); return 1; }
        int status;
        waitpid(pid, &status, 0);
        printf("clone(CLONE_VM) round %d: child %s\n", i,
               WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "saw the probe fault" : "waited in vain");
        while (faulted != r) sched_yield();
    }
    quit = 1;
    pthread_join(prober, NULL);

    pthread_t workers[2];
    for (long i = 0; i < 2; i++) pthread_create(&workers[i], NULL, worker, (void *)i);
    int sevens = 0;
    for (int i = 0; i < 10; i++) {
        pid_t pid;
        char *args[] = {argv[0], "spawned", NULL};
        int err = posix_spawn(&pid, "/proc/self/exe", NULL, NULL, args, environ);
        if (err) { printf("posix_spawn: %s\n", strerror(err)); continue; }
        int status;
        waitpid(pid, &status, 0);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 7) sevens++;
    }
    stop_workers = 1;
    for (int i = 0; i < 2; i++) pthread_join(workers[i], NULL);
    printf("posix_spawn with threads mapping memory: %d of 10 children exited 7\n", sevens);
    return 0;
}
