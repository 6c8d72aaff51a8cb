/* Pure syscall round trip: N getppid() through an inline SYSCALL instruction, with no memory
 * stores in the loop, so the figure is the cost of trapping and answering a syscall. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 1000000L;
    long sum = 0;
    for (long i = 0; i < n; i++) {
        long ret;
        __asm__ volatile("syscall" : "=a"(ret) : "a"(110L) : "rcx", "r11", "memory");
        sum += ret > 0;
    }
    printf("%ld\n", sum == n ? 1L : 0L);
    return 0;
}
