/* Many small and large allocations (brk and mmap paths), reallocs and frees, with a checksum. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define SLOTS 4096
int main(void) {
    static unsigned char *slot[SLOTS];
    static size_t size[SLOTS];
    unsigned long seed = 12345, sum = 0;
    for (int round = 0; round < 30000; round++) {
        seed = seed * 6364136223846793005UL + 1442695040888963407UL;
        int i = (seed >> 33) % SLOTS;
        size_t n = ((seed >> 13) % 7 == 0) ? (seed >> 20) % (256 << 10) + 1 : (seed >> 24) % 512 + 1;
        if (slot[i]) {
            for (size_t k = 0; k < size[i]; k += 97) sum += slot[i][k];
            if ((seed >> 40) & 1) { free(slot[i]); slot[i] = NULL; continue; }
            unsigned char *p = realloc(slot[i], n);
            if (!p) { printf("realloc failed\n"); return 1; }
            slot[i] = p;
            if (n > size[i]) memset(p + size[i], (int)(round & 0xff), n - size[i]);
        } else {
            slot[i] = malloc(n);
            if (!slot[i]) { printf("malloc failed\n"); return 1; }
            memset(slot[i], (int)(round & 0xff), n);
        }
        size[i] = n;
    }
    for (int i = 0; i < SLOTS; i++) free(slot[i]);
    void *big = malloc(64 << 20);
    if (!big) { printf("64 MiB malloc failed\n"); return 1; }
    memset(big, 1, 64 << 20);
    free(big);
    printf("checksum %lu\n", sum);
    return 0;
}
