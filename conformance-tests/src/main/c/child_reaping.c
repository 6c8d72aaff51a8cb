/* Children of a parent that ignores SIGCHLD or sets SA_NOCLDWAIT leave no zombies: wait() gives ECHILD. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
static int attempt(int flags, void (*handler)(int)) {
    struct sigaction sa; memset(&sa, 0, sizeof sa); sa.sa_handler = handler; sa.sa_flags = flags;
    sigaction(SIGCHLD, &sa, NULL);
    for (int i = 0; i < 3; i++) if (fork() == 0) _exit(i);
    usleep(200000);
    int st; pid_t r = wait(&st);
    printf("wait -> %s\n", r < 0 ? strerror(errno) : "a child");
    while (wait(&st) > 0) {}
    return 0;
}
static void h(int s) { (void)s; }
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("SIG_IGN: "); attempt(0, SIG_IGN);
    /* SA_RESTART: a child's SIGCHLD arriving while wait() blocks for the others restarts the wait
       instead of ending it with EINTR, so the result does not depend on how fast children exit. */
    printf("SA_NOCLDWAIT+handler: "); attempt(SA_NOCLDWAIT | SA_RESTART, h);
    printf("default: "); attempt(0, SIG_DFL);
    return 0;
}
