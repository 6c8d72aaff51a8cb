/* Exit status propagation: exit(argv[1]) after output, including values above 255. */
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
    int code = argc > 1 ? atoi(argv[1]) : 0;
    printf("exiting with %d\n", code);
    fprintf(stderr, "to stderr before exit\n");
    if (argc > 2) _Exit(code);
    exit(code);
}
