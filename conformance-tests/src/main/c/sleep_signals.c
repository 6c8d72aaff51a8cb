/* nanosleep across SIGSTOP/SIGCONT finishes; a handled signal ends it with EINTR and the time left. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

static void handler(int s) { (void)s; }

int main(void) {
    int ready[2];
    if (pipe(ready) != 0) return 2;
    signal(SIGUSR1, handler); /* installed before fork: no window where SIGUSR1 would kill the child */
    pid_t c = fork();
    if (c == 0) {
        struct timespec r = {1, 0}, rem;
        (void)!write(ready[1], "a", 1);
        int x = nanosleep(&r, &rem);
        printf("stop/cont: %d %s\n", x, x ? strerror(errno) : "");
        r.tv_sec = 5;
        (void)!write(ready[1], "b", 1);
        x = nanosleep(&r, &rem);
        printf("handled signal: %d %s, time left under 5 s: %d\n", x, x ? strerror(errno) : "", rem.tv_sec < 5);
        r.tv_sec = 0; r.tv_nsec = 10;
        printf("clock_nanosleep: %d\n", clock_nanosleep(CLOCK_REALTIME, 0, &r, NULL));
        return 0;
    }
    char b;
    (void)!read(ready[0], &b, 1);
    usleep(200000); kill(c, SIGSTOP); usleep(100000); kill(c, SIGCONT);
    (void)!read(ready[0], &b, 1);
    usleep(300000); kill(c, SIGUSR1);
    int st;
    waitpid(c, &st, 0);
    printf("child exit %d\n", WEXITSTATUS(st));
    return 0;
}
