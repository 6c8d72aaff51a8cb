/* Processes: fork trees, wait status decoding, exec, pipes (EOF, SIGPIPE), vfork/posix_spawn,
 * system(), process groups and kill to a group, getppid after the parent is gone. */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
extern char **environ;
static void status(const char *what, int st) {
    if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
    else if (WIFSIGNALED(st)) printf("%s: killed by %d%s\n", what, WTERMSIG(st), WCOREDUMP(st) ? " (core)" : "");
    else printf("%s: other 0x%x\n", what, st);
}
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int st;
    /* a tree: each child forks a grandchild; exit codes travel up */
    for (int i = 0; i < 3; i++) {
        pid_t c = fork();
        if (c == 0) {
            pid_t g = fork();
            if (g == 0) _exit(10 + i);
            waitpid(g, &st, 0);
            _exit(WEXITSTATUS(st) + 1);
        }
        waitpid(c, &st, 0);
        status("tree", st);
    }
    /* memory is copied, not shared */
    int value = 1;
    pid_t c = fork();
    if (c == 0) { value = 2; _exit(value); }
    waitpid(c, &st, 0);
    printf("after fork value=%d child saw %d\n", value, WEXITSTATUS(st));
    /* pipe EOF once every writer is closed */
    int fd[2];
    pipe(fd);
    c = fork();
    if (c == 0) { close(fd[0]); for (int i = 0; i < 100; i++) dprintf(fd[1], "line %d\n", i); _exit(0); }
    close(fd[1]);
    char buf[4096]; long total = 0; ssize_t n;
    while ((n = read(fd[0], buf, sizeof buf)) > 0) total += n;
    printf("read %ld bytes then %zd (EOF)\n", total, n);
    close(fd[0]);
    waitpid(c, &st, 0);
    /* SIGPIPE: writing to a pipe without readers kills by default, EPIPE when ignored */
    pipe(fd);
    close(fd[0]); /* no reader anywhere before the child even exists: the write must fail */
    c = fork();
    if (c == 0) { write(fd[1], "x", 1); _exit(0); }
    close(fd[1]);
    waitpid(c, &st, 0);
    status("writer without reader", st);
    pipe(fd); close(fd[0]);
    signal(SIGPIPE, SIG_IGN);
    errno = 0;
    printf("ignored SIGPIPE: write=%zd errno=%s\n", write(fd[1], "x", 1), errno == EPIPE ? "EPIPE" : "?");
    signal(SIGPIPE, SIG_DFL);
    close(fd[1]);
    /* exec, and exec failures */
    c = fork();
    if (c == 0) { char *av[] = {"sh", "-c", "echo exec ok; exit 4", NULL}; execv("/bin/sh", av); _exit(99); }
    waitpid(c, &st, 0);
    status("execv sh", st);
    c = fork();
    if (c == 0) { execl("/nonexistent", "x", (char *)0); _exit(errno == ENOENT ? 42 : 43); }
    waitpid(c, &st, 0);
    status("exec missing", st);
    /* vfork and posix_spawn */
    c = vfork();
    if (c == 0) { execl("/bin/true", "true", (char *)0); _exit(127); }
    waitpid(c, &st, 0);
    status("vfork true", st);
    char *av[] = {"echo", "spawned", NULL};
    int rc = posix_spawn(&c, "/bin/echo", NULL, NULL, av, environ);
    waitpid(c, &st, 0);
    printf("posix_spawn rc=%d\n", rc);
    status("spawned echo", st);
    char *bad[] = {"nope", NULL};
    rc = posix_spawn(&c, "/nonexistent/prog", NULL, NULL, bad, environ);
    if (rc == 0) { waitpid(c, &st, 0); status("spawn missing (child)", st); }
    else printf("posix_spawn missing: %s\n", strerror(rc));
    printf("system: 0x%x\n", system("exit 3"));
    /* process groups */
    printf("own group leader: %d\n", getpgrp() == getpgid(0));
    c = fork();
    if (c == 0) { setpgid(0, 0); pause(); _exit(1); }
    setpgid(c, c);
    pid_t c2 = fork();
    if (c2 == 0) { setpgid(0, c); pause(); _exit(1); }
    setpgid(c2, c);
    usleep(200000);
    printf("child in its own group: %d\n", getpgid(c) == c && getpgid(c2) == c);
    kill(-c, SIGTERM);
    waitpid(c, &st, 0); status("group member 1", st);
    waitpid(c2, &st, 0); status("group member 2", st);
    errno = 0;
    printf("wait with no children: %d %s\n", wait(&st), errno == ECHILD ? "ECHILD" : "?");
    printf("kill nonexistent: %d %s\n", kill(999999, 0), errno == ESRCH ? "ESRCH" : "?");
    /* WNOHANG while the child runs */
    c = fork();
    if (c == 0) { usleep(600000); _exit(8); }
    printf("WNOHANG: %d\n", waitpid(c, &st, WNOHANG));
    waitpid(c, &st, 0); status("after WNOHANG", st);
    /* waitid */
    c = fork();
    if (c == 0) _exit(9);
    siginfo_t si; memset(&si, 0, sizeof si);
    waitid(P_PID, c, &si, WEXITED);
    printf("waitid: signo=%d code=%d status=%d pid ok=%d\n", si.si_signo, si.si_code, si.si_status, si.si_pid == c);
    return 0;
}
