/* nanosleep across SIGSTOP/SIGCONT finishes; a handled signal ends it with EINTR and the time left. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>
static void h(int s) { (void)s; }
int main(void) {
    pid_t c = fork();
    if (c == 0) {
        struct timespec r = {1, 0}, rem;
        int x = nanosleep(&r, &rem);
        printf("stop/cont: %d %s\n", x, x ? strerror(errno) : "");
        signal(SIGUSR1, h);
        r.tv_sec = 2; x = nanosleep(&r, &rem);
        printf("handled signal: %d %s rem<2s %d\n", x, x ? strerror(errno) : "", rem.tv_sec < 2);
        r.tv_sec = 0; r.tv_nsec = 10; x = clock_nanosleep(CLOCK_REALTIME, 0, &r, NULL);
        printf("clock_nanosleep: %d\n", x);
        return 0;
    }
    usleep(200000); kill(c, SIGSTOP); usleep(100000); kill(c, SIGCONT);
    usleep(1500000); kill(c, SIGUSR1);
    waitpid(c, NULL, 0);
    return 0;
}
