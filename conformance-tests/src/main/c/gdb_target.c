/* A small program for the gdb stub test (GdbStubTest): a breakpoint in add(), a variable and a
 * string gdb reads and writes, an exit code to see; with "crash" a SIGSEGV gdb stops at. */
#include <stdio.h>
#include <string.h>

static char message[32] = "hello from the guest";
int counter = 41;

static int add(int a, int b) {
    return a + b;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "crash") == 0) {
        volatile int *nowhere = (volatile int *) 16;
        *nowhere = counter;
    }
    int v = add(counter, 1);
    printf("%s %d\n", message, v);
    return v == 42 ? 3 : 4;
}
