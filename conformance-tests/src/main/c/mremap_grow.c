/*
 * mremap growing a mapping again and again, as apt's DynamicMMap does for its 27 MB cache: each
 * growth in place or by a move must keep the bytes, and a range grown in place (two halves
 * made at different times) must still count as one mapping for the next mremap.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/mman.h>

static int check(const unsigned char *p, size_t len, const char *what) {
    for (size_t i = 0; i < len; i += 4096)
        if (p[i] != (unsigned char)(i / 4096 * 7)) {
            printf("%s: byte at %zu lost\n", what, i);
            return 1;
        }
    return 0;
}

static void fill(unsigned char *p, size_t from, size_t to) {
    for (size_t i = from; i < to; i += 4096) p[i] = (unsigned char)(i / 4096 * 7);
}

int main(void) {
    const size_t MB = 1 << 20;
    /* Reserve room, then keep only the first megabyte: the growth below can happen in place. */
    unsigned char *p = mmap(NULL, 64 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return 1;
    munmap(p + MB, 63 * MB);
    fill(p, 0, MB);
    unsigned char *q = mremap(p, MB, 2 * MB, 0);
    printf("grow in place: %s\n", q == p ? "same address" : q == MAP_FAILED ? strerror(errno) : "moved");
    fill(q, MB, 2 * MB);
    /* The whole grown range, made of two growths, must move or grow as one mapping. */
    size_t size = 2 * MB;
    for (size_t next = 3 * MB; next <= 27 * MB; next += 5 * MB) {
        unsigned char *r = mremap(q, size, next, MREMAP_MAYMOVE);
        if (r == MAP_FAILED) {
            printf("grow %zu -> %zu MB: %s\n", size / MB, next / MB, strerror(errno));
            return 1;
        }
        if (check(r, size, "grow")) return 1;
        fill(r, size, next);
        q = r;
        size = next;
    }
    printf("grew to %zu MB, bytes kept\n", size / MB);
    /* Without MAYMOVE, a range spanning two mappings of different protection is EFAULT. */
    unsigned char *a = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(a + 4096, 4096, PROT_READ);
    errno = 0;
    void *b = mremap(a, 2 * 4096, 4 * 4096, MREMAP_MAYMOVE);
    printf("across two protections: %s\n", b == MAP_FAILED ? strerror(errno) : "ok");
    /* Shrinking the grown mapping keeps the head. */
    unsigned char *s = mremap(q, size, MB, 0);
    printf("shrink: %s\n", s == q && !check(s, MB, "shrink") ? "same address, bytes kept" : "wrong");
    return 0;
}
