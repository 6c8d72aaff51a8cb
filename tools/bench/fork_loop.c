/* fork+wait (and optionally exec of a static program) N times: the cost of process creation. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 200;
    const char *prog = argc > 2 ? argv[2] : NULL;
    for (int i = 0; i < n; i++) {
        pid_t p = fork();
        if (p == 0) {
            if (prog) execl(prog, prog, (char *)0);
            _exit(0);
        }
        int st;
        waitpid(p, &st, 0);
    }
    printf("%d\n", n);
    return 0;
}
