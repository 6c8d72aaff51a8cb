/* Job control: SIGSTOP/SIGTSTP stop a child, wait reports it (WUNTRACED), SIGCONT resumes it
 * (WCONTINUED), waitid sees CLD_STOPPED, and a stopped child can still be killed. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int p[2]; pipe(p);
    pid_t c = fork();
    if (c == 0) {
        close(p[0]);
        for (int i = 0; i < 50; i++) { usleep(20000); }
        write(p[1], "done", 4);
        _exit(5);
    }
    close(p[1]);
    int st;
    kill(c, SIGSTOP);
    pid_t w = waitpid(c, &st, WUNTRACED);
    printf("stopped: %d sig %d\n", w == c && WIFSTOPPED(st), WSTOPSIG(st));
    printf("no event yet: %d\n", waitpid(c, &st, WNOHANG | WUNTRACED));
    kill(c, SIGCONT);
    w = waitpid(c, &st, WCONTINUED);
    printf("continued: %d\n", w == c && WIFCONTINUED(st));
    char buf[8] = {0};
    read(p[0], buf, 4);
    waitpid(c, &st, 0);
    printf("finished after continue: [%s] exit %d\n", buf, WEXITSTATUS(st));
    c = fork();
    /* Its own process group (whose parent is outside it) is never orphaned, so SIGTSTP is not
       discarded even when the test itself runs in an orphaned group (nohup'd, backgrounded CI). */
    if (c == 0) { setpgid(0, 0); for (;;) pause(); }
    setpgid(c, c);
    kill(c, SIGTSTP);
    siginfo_t si; memset(&si, 0, sizeof si);
    waitid(P_PID, c, &si, WSTOPPED);
    printf("waitid: code %s status %d\n", si.si_code == CLD_STOPPED ? "CLD_STOPPED" : "?", si.si_status);
    kill(c, SIGKILL);
    waitpid(c, &st, 0);
    printf("killed while stopped: %d\n", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
    return 0;
}
