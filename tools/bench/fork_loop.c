/* fork+wait (and optionally exec of PROG ARGS...) N times: the cost of process creation.
 *   fork_loop N [PROG [ARGS...]]   (PROG is a path: no PATH search) */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 200;
    char **prog = argc > 2 ? argv + 2 : NULL;
    for (int i = 0; i < n; i++) {
        pid_t p = fork();
        if (p == 0) {
            if (prog) execv(prog[0], prog);
            _exit(0);
        }
        int st;
        waitpid(p, &st, 0);
    }
    printf("%d\n", n);
    return 0;
}
