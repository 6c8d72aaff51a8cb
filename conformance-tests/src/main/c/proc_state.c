/*
 * The state letter in /proc/PID/stat as other processes see it (LTP's TST_PROCESS_STATE_WAIT
 * waits for 'S' before signalling a child): S only while the child waits (pause, a pipe read,
 * nanosleep, a futex), R while it runs guest code or a syscall that does not wait, and R at once
 * when kill(2) has woken it, before the woken child has run.
 */
#define _GNU_SOURCE
#define FUTEX_WAIT 0 /* linux/futex.h: musl-gcc has no kernel headers */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t woken;
static void on_usr1(int sig) { (void)sig; woken = 1; }

static char state_of(pid_t pid) {
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return '?';
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    return p && p[1] == ' ' ? p[2] : '?';
}

/* Polls until the state is want (5 s at most); returns the last state seen. */
static char wait_state(pid_t pid, char want) {
    char s = '?';
    for (int i = 0; i < 5000; i++) {
        s = state_of(pid);
        if (s == want) break;
        usleep(1000);
    }
    return s;
}

static void finish(pid_t pid) {
    kill(pid, SIGKILL);
    int st;
    waitpid(pid, &st, 0);
    printf("  reaped: %s\n", WIFSIGNALED(st) ? strsignal(WTERMSIG(st)) : "exit");
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

    /* pause, then a spin that never sleeps: R as soon as kill returns. */
    signal(SIGUSR1, on_usr1);
    pid_t c = fork();
    if (c == 0) {
        while (!woken) pause();
        for (;;) shared[0]++;
    }
    printf("pause: %c\n", wait_state(c, 'S'));
    kill(c, SIGUSR1);
    printf("right after kill: %c\n", state_of(c));
    int samples = 0, running = 0;
    for (int i = 0; i < 200; i++, samples++) running += state_of(c) == 'R';
    printf("spinning: R in %d of %d samples\n", running, samples);
    finish(c);

    /* A loop of syscalls that do not wait is running, not sleeping. */
    c = fork();
    if (c == 0) for (;;) syscall(SYS_getppid);
    wait_state(c, 'R');
    running = 0;
    for (int i = 0; i < 200; i++) running += state_of(c) == 'R';
    printf("getppid loop: R in %d of 200 samples\n", running);
    finish(c);

    /* Waits of other kinds. */
    int fds[2];
    if (pipe(fds) != 0) return 1;
    c = fork();
    if (c == 0) {
        char b;
        read(fds[0], &b, 1);
        _exit(0);
    }
    printf("pipe read: %c\n", wait_state(c, 'S'));
    finish(c);

    c = fork();
    if (c == 0) {
        struct timespec ts = {60, 0};
        nanosleep(&ts, NULL);
        _exit(0);
    }
    printf("nanosleep: %c\n", wait_state(c, 'S'));
    finish(c);

    c = fork();
    if (c == 0) {
        syscall(SYS_futex, &shared[1], FUTEX_WAIT, 0, NULL, NULL, 0);
        _exit(0);
    }
    printf("futex wait: %c\n", wait_state(c, 'S'));
    finish(c);
    return 0;
}
