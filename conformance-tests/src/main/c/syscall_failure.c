/*
 * A child makes a call (getppid) while its parent only waits: RobustnessTest runs this under
 * lxrun with that call made to fail inside lxrun, and checks that the child alone dies (SIGSYS)
 * while the parent carries on. Natively the child exits 0.
 */
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    for (int round = 1; round <= 2; round++) {
        pid_t pid = fork();
        if (pid == 0) {
            long ppid = syscall(SYS_getppid);
            _exit(ppid > 0 ? 0 : 1);
        }
        int st;
        if (waitpid(pid, &st, 0) != pid) { perror("waitpid"); return 1; }
        if (WIFSIGNALED(st)) printf("round %d: child killed by signal %d\n", round, WTERMSIG(st));
        else printf("round %d: child exited %d\n", round, WEXITSTATUS(st));
        fflush(stdout);
    }
    puts("parent carries on");
    return 0;
}
