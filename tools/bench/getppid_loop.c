/* Syscall round-trip benchmark: N getppid() calls through the raw syscall instruction. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 1000000L;
    long sum = 0;
    for (long i = 0; i < n; i++) sum += syscall(SYS_getppid);
    printf("%ld\n", sum > 0 ? 1L : 0L);
    return 0;
}
