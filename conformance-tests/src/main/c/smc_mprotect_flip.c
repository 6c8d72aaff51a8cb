/*
 * A JIT's W^X cycle: write code into an RW page, mprotect it RX and run it, mprotect it RW,
 * change one byte, mprotect RX and run it again. Each run must see the bytes written last
 * (Linux: 1, then 2, ...). lxrun once ran the translation of the first version again (1).
 * Also the same page re-mapped with MAP_FIXED and new code, and a range moved with mremap.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

typedef int (*fn)(void);

/* mov eax, imm32; ret */
static void emit(unsigned char *p, int value) {
    p[0] = 0xb8;
    memcpy(p + 1, &value, 4);
    p[5] = 0xc3;
}

int main(void) {
    unsigned char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) return 1;
    emit(page, 1);
    mprotect(page, 4096, PROT_READ | PROT_EXEC);
    printf("first: %d\n", ((fn)page)());
    for (int i = 2; i <= 6; i++) {
        mprotect(page, 4096, PROT_READ | PROT_WRITE);
        page[1] = (unsigned char)i; /* one byte: the immediate */
        mprotect(page, 4096, PROT_READ | PROT_EXEC);
        printf("after flip %d: %d\n", i, ((fn)page)());
    }
    /* RX -> RWX -> RX with a write in between. */
    mprotect(page, 4096, PROT_READ | PROT_WRITE | PROT_EXEC);
    page[1] = 40;
    mprotect(page, 4096, PROT_READ | PROT_EXEC);
    printf("via rwx: %d\n", ((fn)page)());
    /* New code mapped over the old with MAP_FIXED. */
    unsigned char *again = mmap(page, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    emit(again, 50);
    mprotect(again, 4096, PROT_READ | PROT_EXEC);
    printf("map fixed: %d\n", ((fn)again)());
    /* munmap, then a fresh mapping that lands at the same address. */
    munmap(again, 4096);
    unsigned char *fresh = mmap(page, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    emit(fresh, 60);
    mprotect(fresh, 4096, PROT_READ | PROT_EXEC);
    printf("remapped: %d\n", ((fn)fresh)());
    /* Two pages, code moved by mremap to a new place and rewritten there. */
    unsigned char *two = mmap(NULL, 8192, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    emit(two + 4096, 70);
    printf("before mremap: %d\n", ((fn)(two + 4096))());
    unsigned char *moved = mremap(two, 8192, 16384, MREMAP_MAYMOVE);
    moved[4097] = 71;
    printf("after mremap: %d\n", ((fn)(moved + 4096))());
    return 0;
}
