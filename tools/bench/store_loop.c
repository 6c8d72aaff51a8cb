/* Store-heavy benchmark: every iteration loads and stores one word of a 32 KiB array (data in a
 * writable, non-executable mapping), the pattern that Unicorn's dirty-page path made slow. */
#include <stdio.h>
#include <stdlib.h>

static unsigned long buf[4096];

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 200000000L;
    for (long i = 0; i < n; i++) {
        buf[i & 4095] = buf[(i * 7) & 4095] + (unsigned long)i;
    }
    unsigned long sum = 0;
    for (int i = 0; i < 4096; i++) sum += buf[i];
    printf("%lu\n", sum);
    return 0;
}
