/* Dispositions a program inherits across execve: signals its starter ignored stay ignored (nohup,
 * a background job of a script), the rest are at their default. Raises the ignored ones to show
 * they do nothing. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    printf("ignored:");
    for (int sig = 1; sig < 32; sig++) {
        struct sigaction sa;
        if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN) printf(" %s", strsignal(sig));
    }
    printf("\n");
    fflush(stdout);
    int raised[] = {SIGHUP, SIGINT, SIGUSR1, SIGTSTP, SIGTERM};
    for (unsigned i = 0; i < sizeof raised / sizeof raised[0]; i++) {
        struct sigaction sa;
        sigaction(raised[i], NULL, &sa);
        if (sa.sa_handler == SIG_IGN) {
            raise(raised[i]);
            printf("survived %s\n", strsignal(raised[i]));
        }
    }
    return 0;
}
