/* Blocking reads on a pipe: EINTR from a handler without SA_RESTART, death by a signal while
 * blocked, and a transparent restart with SA_RESTART. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <errno.h>
#include <string.h>
#include <sys/wait.h>
static void h(int s) {}
int main(void) {
    int p[2]; pipe(p);
    struct sigaction sa = {0}; sa.sa_handler = h; sigaction(SIGALRM, &sa, NULL);
    alarm(1);
    char c; errno = 0;
    ssize_t r = read(p[0], &c, 1);
    printf("read interrupted: r=%zd %s\n", r, errno == EINTR ? "EINTR" : strerror(errno));
    pid_t k = fork();
    if (k == 0) { read(p[0], &c, 1); _exit(0); }
    usleep(200000); kill(k, SIGTERM); int st; waitpid(k, &st, 0);
    printf("reader killed by %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
    sa.sa_flags = SA_RESTART; sigaction(SIGALRM, &sa, NULL);
    k = fork();
    if (k == 0) { sleep(2); write(p[1], "z", 1); _exit(0); }
    alarm(1);
    r = read(p[0], &c, 1);
    printf("restarted read got %zd '%c'\n", r, c);
    waitpid(k, &st, 0);
    return 0;
}
