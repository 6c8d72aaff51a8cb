/*
 * Processes sharing a descriptor table or a working directory (clone with CLONE_FILES or
 * CLONE_FS but no CLONE_THREAD, as some daemons and LTP's close_range02/unshare03 use): a
 * descriptor the child opens or closes is the parent's too, a chdir is seen by both; unshare,
 * close_range(CLOSE_RANGE_UNSHARE) and execve give the caller its own copy.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE 2
#endif

static char stack[256 * 1024];
static int pipefd[2];
static int opened = -1;

static int child_opens(void *arg) {
    (void)arg;
    opened = open("/dev/null", O_RDONLY); /* only the child's copy of this variable changes */
    if (write(pipefd[1], &opened, sizeof opened) != sizeof opened) return 3;
    return 0;
}

static int child_closes(void *arg) {
    return close(*(int *)arg) == 0 ? 0 : 1;
}

static int child_chdir(void *arg) {
    return chdir((const char *)arg) == 0 ? 0 : 1;
}

static int child_unshares(void *arg) {
    int fd = *(int *)arg;
    if (unshare(CLONE_FILES) != 0) return 2;
    return close(fd) == 0 ? 0 : 1; /* closes only the child's copy */
}

static int child_close_range(void *arg) {
    int fd = *(int *)arg;
    if (syscall(SYS_close_range, fd, fd, CLOSE_RANGE_UNSHARE) != 0) return 2;
    return fcntl(fd, F_GETFD) == -1 ? 0 : 1;
}

static volatile sig_atomic_t handled;

static void on_usr1(int sig) {
    (void)sig;
    handled++;
}

static int child_sets_handler(void *arg) {
    (void)arg;
    return signal(SIGUSR1, on_usr1) == SIG_ERR;
}

static int child_execs(void *arg) {
    (void)arg;
    execl("/bin/true", "true", (char *)NULL);
    return 127;
}

static int run(int (*fn)(void *), void *arg, int flags) {
    pid_t pid = clone(fn, stack + sizeof stack, flags | SIGCHLD, arg);
    if (pid < 0) return -1;
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int is_open(int fd) {
    return fcntl(fd, F_GETFD) != -1;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (pipe(pipefd) != 0) return 1;

    int r = run(child_opens, NULL, CLONE_FILES);
    int fd = -1;
    if (read(pipefd[0], &fd, sizeof fd) != sizeof fd) return 1;
    printf("CLONE_FILES: child %d, the child's descriptor is open here: %d\n", r, is_open(fd));

    r = run(child_closes, &fd, CLONE_FILES);
    printf("CLONE_FILES: child's close %d, still open here: %d\n", r, is_open(fd));

    fd = open("/dev/null", O_RDONLY);
    r = run(child_closes, &fd, 0);
    printf("no CLONE_FILES: child's close %d, still open here: %d\n", r, is_open(fd));

    r = run(child_unshares, &fd, CLONE_FILES);
    printf("unshare(CLONE_FILES) then close: %d, still open here: %d\n", r, is_open(fd));

    r = run(child_close_range, &fd, CLONE_FILES);
    printf("close_range UNSHARE: %d, still open here: %d\n", r, is_open(fd));

    int cloexec = open("/dev/null", O_RDONLY | O_CLOEXEC);
    r = run(child_execs, NULL, CLONE_FILES);
    printf("exec in a CLONE_FILES child: %d, close-on-exec descriptor still open here: %d\n", r, is_open(cloexec));

    r = run(child_sets_handler, NULL, CLONE_VM | CLONE_SIGHAND);
    raise(SIGUSR1);
    printf("CLONE_SIGHAND: child %d, its handler ran here: %d\n", r, (int)handled);
    r = run(child_execs, NULL, CLONE_VM | CLONE_SIGHAND | CLONE_VFORK);
    raise(SIGUSR1);
    printf("exec in a CLONE_SIGHAND child: %d, handler kept here: %d\n", r, (int)handled);
    signal(SIGUSR1, SIG_DFL);
    r = run(child_sets_handler, NULL, CLONE_SIGHAND);
    printf("CLONE_SIGHAND without CLONE_VM: %d %s\n", r, r < 0 ? strerror(errno) : "");

    char here[4096], now[4096];
    if (!getcwd(here, sizeof here)) return 1;
    r = run(child_chdir, "/", CLONE_FS);
    printf("CLONE_FS: child's chdir %d, cwd is now /: %d\n", r, getcwd(now, sizeof now) && strcmp(now, "/") == 0);
    if (chdir(here) != 0) return 1;
    r = run(child_chdir, "/", 0);
    printf("no CLONE_FS: child's chdir %d, cwd unchanged: %d\n", r, getcwd(now, sizeof now) && strcmp(now, here) == 0);

    r = run(child_chdir, "/", CLONE_FS | CLONE_FILES);
    printf("both: child %d, cwd is /: %d\n", r, getcwd(now, sizeof now) && strcmp(now, "/") == 0);
    return 0;
}
