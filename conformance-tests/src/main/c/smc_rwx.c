/*
 * Code in an RWX page rewritten while it is executable, by plain stores of the same thread:
 * the next call runs the new bytes. Also code that patches an instruction of its own block
 * ahead of where it runs (a store into the current translation block).
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

typedef long (*fn)(void);

int main(void) {
    unsigned char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) return 1;
    /* mov eax, imm32; ret */
    page[0] = 0xb8;
    page[5] = 0xc3;
    long sum = 0;
    for (int i = 0; i < 1000; i++) {
        memcpy(page + 1, &i, 4);
        sum += ((fn)page)();
    }
    printf("sum of 1000 rewrites: %ld\n", sum);
    /* Self-patching: movb $7, target+1(%rip); target: mov eax, 1; ret. The store changes the
       immediate of the next instruction in the same block. */
    unsigned char self[] = {
        0xc6, 0x05, 0x01, 0x00, 0x00, 0x00, 0x07, /* movb $7, 1(%rip) -> byte after this insn + 1 */
        0xb8, 0x01, 0x00, 0x00, 0x00,             /* mov eax, 1 */
        0xc3};
    memcpy(page + 64, self, sizeof self);
    printf("self-patched: %ld\n", ((fn)(page + 64))());
    printf("second call: %ld\n", ((fn)(page + 64))());
    return 0;
}
