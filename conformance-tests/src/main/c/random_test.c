/* getrandom: full reads, distinct results, flags accepted. */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <errno.h>
int main(void) {
    unsigned char a[64], b[64];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    printf("getrandom: %zd\n", getrandom(a, sizeof a, 0));
    printf("getrandom nonblock: %zd\n", getrandom(b, sizeof b, GRND_NONBLOCK));
    printf("different: %d\n", memcmp(a, b, sizeof a) != 0);
    int zero = 0;
    for (int i = 0; i < 64; i++) zero += a[i] == 0;
    printf("mostly nonzero: %d\n", zero < 8);
    errno = 0;
    printf("bad flags: %zd errno=%d\n", getrandom(a, 1, 0x100), errno);
    return 0;
}
