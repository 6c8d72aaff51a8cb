/* CPU-bound benchmark: integer and floating-point work with few memory stores. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 200000000L;
    unsigned long x = 88172645463325252UL, acc = 0;
    double d = 0;
    for (long i = 0; i < n; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        acc += x % 1000003;
        if ((i & 1023) == 0) d += (double)(x & 0xffff) / 3.0;
    }
    printf("%lu %.3f\n", acc, d);
    return 0;
}
