/* A small deterministic program for the strace and gdb tests (DebugToolsTest): it opens, writes,
 * forks a child that writes and exits, and reports the child's status. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

__attribute__((noinline)) static int work(int n) {
    int fd = open("/dev/null", O_WRONLY);
    if (write(fd, "abc", 3) != 3) return -1;
    close(fd);
    return n + 1;
}

int main(void) {
    int v = work(41);
    pid_t p = fork();
    if (p == 0) {
        if (write(1, "child\n", 6) != 6) _exit(1);
        _exit(3);
    }
    int st;
    waitpid(p, &st, 0);
    printf("parent %d %d\n", v, WEXITSTATUS(st));
    return 0;
}
