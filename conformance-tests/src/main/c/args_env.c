/* Prints argv and the environment in order: the initial stack must match Linux's. */
#include <stdio.h>
#include <string.h>
extern char **environ;
int main(int argc, char **argv) {
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++) printf("argv[%d]=[%s]\n", i, argv[i]);
    if (argv[argc] != NULL) printf("argv not NULL-terminated\n");
    int n = 0;
    for (char **e = environ; *e; e++, n++) {
        if (strncmp(*e, "LXT_", 4) == 0) printf("env %s\n", *e);
    }
    printf("envc>0: %d\n", n > 0);
    return 0;
}
