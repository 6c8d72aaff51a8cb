/* getpriority/setpriority: nice values set, clamped, inherited by fork, per group; error cases. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    setpgid(0, 0); /* a group of our own, so PRIO_PGRP sees only this test's processes */
    printf("self: %d\n", getpriority(PRIO_PROCESS, 0));
    printf("set 5: %d\n", setpriority(PRIO_PROCESS, 0, 5));
    printf("now: %d\n", getpriority(PRIO_PROCESS, getpid()));
    int r = setpriority(PRIO_PROCESS, 0, 99);
    printf("set 99: %d, clamped to %d\n", r, getpriority(PRIO_PROCESS, 0));
    pid_t c = fork();
    if (c == 0) {
        printf("child inherits: %d\n", getpriority(PRIO_PROCESS, 0));
        setpriority(PRIO_PROCESS, 0, 10);
        pause();
        _exit(0);
    }
    usleep(300000);
    printf("child after its own change: %d\n", getpriority(PRIO_PROCESS, c));
    printf("group's most favoured: %d\n", getpriority(PRIO_PGRP, 0));
    r = setpriority(PRIO_PGRP, 0, 3);
    printf("set group to 3: %d; child now %d\n", r, getpriority(PRIO_PROCESS, c));
    kill(c, 9);
    waitpid(c, NULL, 0);
    errno = 0; r = getpriority(PRIO_PROCESS, 999999); printf("missing: %d %s\n", r, strerror(errno));
    errno = 0; r = getpriority(7, 0); printf("bad which: %d %s\n", r, strerror(errno));
    errno = 0; r = setpriority(7, 0, 1); printf("bad which (set): %d %s\n", r, strerror(errno));
    return 0;
}
