/* Terabyte mappings that Linux handles in microseconds because it only walks populated page
 * tables: map, touch a few pages, fork, split with munmap and mprotect, grow a page to 32 TiB
 * with mremap, and run code in a huge executable mapping that is then unmapped and replaced
 * (the replacement must run, not the old translation). Each step prints what it saw. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define TIB (1ULL << 40)
#define PAGE 4096ULL

static void show(const char *what, long r) {
    if (r < 0) printf("%s: error %s\n", what, strerror(errno));
    else printf("%s: ok\n", what);
}

static void big_anonymous(void) {
    size_t len = 32 * TIB;
    char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) { printf("mmap 32 TiB: error %s\n", strerror(errno)); return; }
    printf("mmap 32 TiB: ok\n");
    p[0] = 'a';
    p[len / 2] = 'b';
    p[len - 1] = 'c';
    pid_t pid = fork();
    if (pid == 0) {
        printf("child sees %c%c%c\n", p[0], p[len / 2], p[len - 1]);
        p[len / 2] = 'x';
        fflush(stdout);
        _exit(p[PAGE * 12345] == 0 ? 0 : 1);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("child exit %d; parent still sees %c\n", WEXITSTATUS(st), p[len / 2]);
    show("munmap a page in the middle", munmap(p + len / 2 + PAGE, PAGE));
    show("mprotect the first half read-only", mprotect(p, len / 2, PROT_READ));
    printf("after split: %c%c%c\n", p[0], p[len / 2], p[len - 1]);
    show("munmap all", munmap(p, len));
}

static void mremap_to_huge(void) {
    char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    strcpy(p, "moved");
    char *q = mremap(p, PAGE, 32 * TIB, MREMAP_MAYMOVE);
    if (q == MAP_FAILED) { printf("mremap to 32 TiB: error %s\n", strerror(errno)); munmap(p, PAGE); return; }
    printf("mremap to 32 TiB: ok, holds \"%s\"\n", q);
    show("munmap the 2nd page", munmap(q + PAGE, PAGE));
    pid_t pid = fork();
    if (pid == 0) _exit(strcmp(q, "moved") == 0 ? 7 : 1);
    int st;
    waitpid(pid, &st, 0);
    printf("forked child exit %d\n", WEXITSTATUS(st));
    show("munmap all", munmap(q, 32 * TIB));
}

/* mov eax, imm32; ret */
static void put_code(unsigned char *at, uint32_t value) {
    at[0] = 0xb8;
    memcpy(at + 1, &value, 4);
    at[5] = 0xc3;
}

static void huge_code(void) {
    size_t len = 1 * TIB;
    int prot = PROT_READ | PROT_WRITE | PROT_EXEC, flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
    unsigned char *p = mmap(NULL, len, prot, flags, -1, 0);
    if (p == MAP_FAILED) { printf("mmap 1 TiB rwx: error %s\n", strerror(errno)); return; }
    unsigned char *code = p + len / 4;
    put_code(code, 41);
    printf("first code returns %d\n", ((int (*)(void))code)());
    show("munmap 1 TiB rwx", munmap(p, len));
    unsigned char *again = mmap(p, len, prot, flags | MAP_FIXED, -1, 0);
    if (again != p) { printf("remap: error %s\n", strerror(errno)); return; }
    put_code(code, 42);
    printf("replacement code returns %d\n", ((int (*)(void))code)());
    show("munmap again", munmap(p, len));
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    big_anonymous();
    mremap_to_huge();
    huge_code();
    return 0;
}
