/* Deliberate faults; each must end the process like Linux's default signal action. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv) {
    const char *what = argc > 1 ? argv[1] : "segv";
    printf("about to fault: %s\n", what);
    fflush(stdout);
    if (strcmp(what, "segv") == 0) { volatile int *p = (int *)16; *p = 1; }
    if (strcmp(what, "segv-read") == 0) { volatile int *p = (int *)0xdead0000; return *p; }
    if (strcmp(what, "ill") == 0) __asm__ volatile("ud2");
    if (strcmp(what, "fpe") == 0) { volatile int z = 0; volatile int x = 7 / z; (void)x; }
    if (strcmp(what, "abort") == 0) abort();
    if (strcmp(what, "exec-stack") == 0) { unsigned char code[] = {0xc3}; ((void (*)(void))code)(); }
    if (strcmp(what, "kill-self") == 0) raise(SIGTERM);
    printf("no fault\n");
    return 0;
}
