/* ptrace(2) from the tracer's side: syscall stops (changing and skipping calls), PEEK/POKE of data
 * and code, int3 with GETREGS/SETREGS/GETSIGINFO, SINGLESTEP over a known loop, fork events,
 * signal-delivery stops (suppressing, passing, changing a signal), SEIZE/INTERRUPT and TracerPid. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif

static void stop_self(void) {
    syscall(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0);
    syscall(SYS_kill, syscall(SYS_getpid), SIGSTOP);
}

static int wait_stop(pid_t pid) {
    int st;
    if (waitpid(pid, &st, __WALL) != pid) { perror("waitpid"); exit(1); }
    return st;
}

static void describe(const char *what, int st) {
    if (WIFSTOPPED(st)) printf("%s: stopped sig=%d event=%d\n", what, WSTOPSIG(st), st >> 16);
    else if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
    else if (WIFSIGNALED(st)) printf("%s: killed by %d\n", what, WTERMSIG(st));
}

/* 1: the syscalls of a deterministic child, the tracer changing one and skipping another. */
static void test_syscalls(void) {
    pid_t pid = fork();
    if (pid == 0) {
        stop_self();
        long a = syscall(SYS_getppid);         /* turned into getpid by the tracer */
        long b = syscall(SYS_getuid);          /* skipped; the tracer sets 1234 at the exit stop */
        long c = syscall(SYS_close, -1);
        syscall(SYS_exit_group, (a == syscall(SYS_getpid) ? 1 : 0) + (b == 1234 ? 2 : 0) + (c == -EBADF ? 4 : 0));
    }
    describe("syscalls first", wait_stop(pid));
    ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD);
    int entry = 1;
    for (;;) {
        ptrace(PTRACE_SYSCALL, pid, 0, 0);
        int st = wait_stop(pid);
        if (!WIFSTOPPED(st)) { describe("syscalls end", st); break; }
        struct user_regs_struct r;
        ptrace(PTRACE_GETREGS, pid, 0, &r);
        if (WSTOPSIG(st) != (SIGTRAP | 0x80)) { printf("unexpected stop %d\n", WSTOPSIG(st)); continue; }
        if (entry) {
            printf("entry %lld rax=%lld\n", (long long) r.orig_rax, (long long) r.rax);
            if (r.orig_rax == SYS_getppid) { r.orig_rax = SYS_getpid; ptrace(PTRACE_SETREGS, pid, 0, &r); }
            else if (r.orig_rax == SYS_getuid) { r.orig_rax = -1; ptrace(PTRACE_SETREGS, pid, 0, &r); }
        } else {
            long long rax = (long long) r.rax;
            if (r.orig_rax == SYS_getpid) printf("exit %lld is child pid: %d\n", (long long) r.orig_rax, rax == pid);
            else printf("exit %lld rax=%lld\n", (long long) r.orig_rax, rax);
            if (r.orig_rax == (unsigned long long) -1) { r.rax = 1234; ptrace(PTRACE_SETREGS, pid, 0, &r); }
        }
        entry = !entry;
    }
}

static volatile long shared_word = 11;

__attribute__((noinline, noipa)) int code_word(void) { return 1; }

/* 2: PEEKDATA/POKEDATA of a variable, PEEKTEXT/POKETEXT of a function already run. */
static void test_peek_poke(void) {
    pid_t pid = fork();
    if (pid == 0) {
        int first = code_word();
        stop_self();
        int second = code_word();
        syscall(SYS_exit_group, (int) shared_word + first * 100 + second * 10);
    }
    wait_stop(pid);
    errno = 0;
    long v = ptrace(PTRACE_PEEKDATA, pid, &shared_word, 0);
    printf("peekdata %ld errno %d\n", v, errno);
    printf("pokedata %ld\n", ptrace(PTRACE_POKEDATA, pid, &shared_word, 5));
    long text = ptrace(PTRACE_PEEKTEXT, pid, (void *) code_word, 0);
    printf("peektext equals own code: %d\n", memcmp(&text, (void *) code_word, 8) == 0);
    unsigned char patch[6] = {0xb8, 0x07, 0, 0, 0, 0xc3}; /* mov $7,%eax; ret */
    long word = text;
    memcpy(&word, patch, 6);
    printf("poketext %ld\n", ptrace(PTRACE_POKETEXT, pid, (void *) code_word, word));
    errno = 0;
    ptrace(PTRACE_PEEKDATA, pid, (void *) 8, 0);
    printf("peek unmapped errno %s\n", errno == EIO || errno == EFAULT ? "EIO/EFAULT" : strerror(errno));
    ptrace(PTRACE_CONT, pid, 0, 0);
    describe("peek/poke end", wait_stop(pid));
}

/* 3: int3 stops with SIGTRAP, rip after it; SETREGS changes what the child sees. */
static void test_breakpoint(void) {
    extern char after_int3[];
    pid_t pid = fork();
    if (pid == 0) {
        stop_self();
        long v;
        __asm__ volatile("int3\n.globl after_int3\nafter_int3:" : "=a"(v) : "a"(0L));
        syscall(SYS_exit_group, (int) v);
    }
    wait_stop(pid);
    ptrace(PTRACE_CONT, pid, 0, 0);
    int st = wait_stop(pid);
    describe("int3", st);
    struct user_regs_struct r;
    ptrace(PTRACE_GETREGS, pid, 0, &r);
    printf("rip after int3: %d orig_rax %lld cs %#llx ss %#llx\n", r.rip == (unsigned long long) after_int3,
           (long long) r.orig_rax, (unsigned long long) r.cs, (unsigned long long) r.ss);
    errno = 0;
    long peek_rip = ptrace(PTRACE_PEEKUSER, pid, offsetof(struct user, regs.rip), 0);
    printf("peekuser rip matches: %d\n", peek_rip == (long) r.rip);
    siginfo_t si;
    ptrace(PTRACE_GETSIGINFO, pid, 0, &si);
    printf("siginfo signo %d code %#x\n", si.si_signo, si.si_code);
    r.rax = 42;
    ptrace(PTRACE_SETREGS, pid, 0, &r);
    ptrace(PTRACE_CONT, pid, 0, 0);
    describe("int3 end", wait_stop(pid));
}

/* 4: SINGLESTEP counts the instructions of a known loop. */
static void test_singlestep(void) {
    extern char loop_start[], loop_end[];
    pid_t pid = fork();
    if (pid == 0) {
        stop_self();
        __asm__ volatile("int3\n.globl loop_start\nloop_start:\n"
                         "mov $10, %%ecx\n1: dec %%ecx\njnz 1b\n"
                         ".globl loop_end\nloop_end:\n" ::: "ecx", "cc");
        syscall(SYS_exit_group, 0);
    }
    wait_stop(pid);
    ptrace(PTRACE_CONT, pid, 0, 0);
    wait_stop(pid); /* the int3 */
    int steps = 0, sigs_ok = 1;
    struct user_regs_struct r;
    ptrace(PTRACE_GETREGS, pid, 0, &r);
    printf("at loop start: %d\n", r.rip == (unsigned long long) loop_start);
    while (r.rip != (unsigned long long) loop_end && steps < 1000) {
        ptrace(PTRACE_SINGLESTEP, pid, 0, 0);
        int st = wait_stop(pid);
        if (!WIFSTOPPED(st) || WSTOPSIG(st) != SIGTRAP) sigs_ok = 0;
        ptrace(PTRACE_GETREGS, pid, 0, &r);
        steps++;
    }
    siginfo_t si;
    ptrace(PTRACE_GETSIGINFO, pid, 0, &si);
    printf("steps %d all SIGTRAP %d last code %d\n", steps, sigs_ok, si.si_code);
    ptrace(PTRACE_CONT, pid, 0, 0);
    describe("singlestep end", wait_stop(pid));
}

/* 5: TRACEFORK: the parent's fork event and the grandchild's first stop, whatever their order. */
static void test_fork_events(void) {
    pid_t pid = fork();
    if (pid == 0) {
        stop_self();
        pid_t g = fork();
        if (g == 0) syscall(SYS_exit_group, 7);
        int st;
        waitpid(g, &st, 0);
        syscall(SYS_exit_group, WEXITSTATUS(st) + 1);
    }
    wait_stop(pid);
    ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEFORK);
    ptrace(PTRACE_CONT, pid, 0, 0);
    int fork_event = 0, grand_stop = 0, grand_exit = -1, child_exit = -1;
    unsigned long msg = 0;
    pid_t grand = -1;
    while (child_exit < 0 || grand_exit < 0) {
        int st;
        pid_t w = waitpid(-1, &st, __WALL);
        if (w < 0) { perror("waitpid"); break; }
        if (w == pid && WIFSTOPPED(st) && (st >> 16) == PTRACE_EVENT_FORK) {
            fork_event = 1;
            ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg);
            grand = (pid_t) msg;
            ptrace(PTRACE_CONT, pid, 0, 0);
        } else if (w != pid && WIFSTOPPED(st)) {
            grand_stop = WSTOPSIG(st);
            ptrace(PTRACE_CONT, w, 0, 0);
        } else if (w == pid && WIFEXITED(st)) {
            child_exit = WEXITSTATUS(st);
        } else if (w != pid && WIFEXITED(st)) {
            grand_exit = WEXITSTATUS(st);
            if (grand == -1) grand = w;
        } else if (WIFSTOPPED(st)) {
            ptrace(PTRACE_CONT, w, 0, 0);
        }
    }
    printf("fork event %d grandchild first stop sig %d grandchild exit %d child exit %d\n", fork_event, grand_stop,
           grand_exit, child_exit);
}

static volatile int handled;
static void on_usr2(int sig) { (void) sig; handled++; }

/* 6: signal-delivery stops: SIGUSR1 suppressed, SIGUSR2 passed to its handler, SIGWINCH changed to SIGUSR2. */
static void test_signal_stops(void) {
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGUSR2, on_usr2);
        stop_self();
        syscall(SYS_kill, syscall(SYS_getpid), SIGUSR1);
        syscall(SYS_kill, syscall(SYS_getpid), SIGUSR2);
        syscall(SYS_kill, syscall(SYS_getpid), SIGWINCH);
        syscall(SYS_exit_group, 10 + handled);
    }
    wait_stop(pid);
    ptrace(PTRACE_CONT, pid, 0, 0);
    for (;;) {
        int st = wait_stop(pid);
        if (!WIFSTOPPED(st)) { describe("signals end", st); break; }
        int sig = WSTOPSIG(st), pass = sig;
        if (sig == SIGUSR1) pass = 0;
        if (sig == SIGWINCH) pass = SIGUSR2;
        siginfo_t si;
        ptrace(PTRACE_GETSIGINFO, pid, 0, &si);
        printf("signal stop %d (siginfo %d, from child: %d) -> %d\n", sig, si.si_signo, si.si_pid == pid, pass);
        ptrace(PTRACE_CONT, pid, 0, pass);
    }
}

static int tracer_pid_of(pid_t pid) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    int tp = -1;
    if (!f) return -1;
    while (fgets(line, sizeof line, f)) if (sscanf(line, "TracerPid: %d", &tp) == 1) break;
    fclose(f);
    return tp;
}

/* 7: SEIZE does not stop; INTERRUPT does (PTRACE_EVENT_STOP); TracerPid; PTRACE_KILL. */
static void test_seize(void) {
    int p[2];
    if (pipe(p) != 0) return;
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        if (write(p[1], "r", 1) != 1) _exit(1);
        for (volatile unsigned long i = 0;; i++) { }
    }
    close(p[1]);
    char c;
    if (read(p[0], &c, 1) != 1) return;
    printf("tracer before seize: %d\n", tracer_pid_of(pid));
    printf("seize %ld\n", ptrace(PTRACE_SEIZE, pid, 0, 0));
    printf("tracer after seize is us: %d\n", tracer_pid_of(pid) == getpid());
    int st;
    printf("running after seize (WNOHANG): %d\n", waitpid(pid, &st, WNOHANG | __WALL));
    printf("interrupt %ld\n", ptrace(PTRACE_INTERRUPT, pid, 0, 0));
    st = wait_stop(pid);
    describe("interrupt", st);
    printf("kill %ld\n", ptrace(PTRACE_KILL, pid, 0, 0));
    describe("seize end", wait_stop(pid));
    close(p[0]);
}

/* 8: PTRACE_GETSIGMASK/SETSIGMASK: the tracee's blocked set, its size checked, SIGKILL/SIGSTOP never blocked. */
static void test_sigmask(void) {
    pid_t pid = fork();
    if (pid == 0) {
        sigset_t s;
        sigemptyset(&s);
        sigaddset(&s, SIGUSR1);
        sigprocmask(SIG_BLOCK, &s, NULL);
        stop_self();
        sigprocmask(SIG_BLOCK, NULL, &s);
        syscall(SYS_exit_group, 20 + sigismember(&s, SIGUSR2) * 2 + sigismember(&s, SIGUSR1));
    }
    wait_stop(pid);
    unsigned long long mask = 0;
    errno = 0;
    long r = ptrace(PTRACE_GETSIGMASK, pid, (void *) 4, &mask);
    printf("getsigmask size 4: %ld %s\n", r, strerror(errno));
    r = ptrace(PTRACE_GETSIGMASK, pid, (void *) 8, &mask);
    printf("getsigmask: %ld usr1 %d usr2 %d\n", r, (int) ((mask >> (SIGUSR1 - 1)) & 1), (int) ((mask >> (SIGUSR2 - 1)) & 1));
    mask = (1ULL << (SIGUSR2 - 1)) | (1ULL << (SIGKILL - 1)) | (1ULL << (SIGSTOP - 1));
    r = ptrace(PTRACE_SETSIGMASK, pid, (void *) 8, &mask);
    mask = 0;
    ptrace(PTRACE_GETSIGMASK, pid, (void *) 8, &mask);
    printf("setsigmask: %ld now %#llx\n", r, mask);
    ptrace(PTRACE_CONT, pid, 0, 0);
    describe("sigmask end", wait_stop(pid));
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    test_syscalls();
    test_peek_poke();
    test_breakpoint();
    test_singlestep();
    test_fork_events();
    test_signal_stops();
    test_seize();
    test_sigmask();
    errno = 0;
    long r = ptrace(PTRACE_CONT, 1, 0, 0);
    printf("not a tracee: %ld errno %s\n", r, strerror(errno));
    return 0;
}
