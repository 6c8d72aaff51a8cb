/* Code replaced at the same address must run as the new code: a file mapping of other code
 * mapped over (or after unmapping) an executable mapping, and a program file rewritten in place
 * between two executions of it. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static void write_code(const char *path, int value) {
    unsigned char page[4096];
    memset(page, 0xcc, sizeof page);
    page[0] = 0xb8; /* mov eax, imm32 */
    memcpy(page + 1, &value, 4);
    page[5] = 0xc3; /* ret */
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    if (fd < 0 || write(fd, page, sizeof page) != sizeof page) { perror(path); exit(1); }
    close(fd);
}

static int call_file(const char *path, void *at) {
    int fd = open(path, O_RDONLY);
    void *p = mmap(at, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | (at ? MAP_FIXED : 0), fd, 0);
    close(fd);
    if (p == MAP_FAILED) { perror("mmap"); exit(1); }
    return ((int (*)(void))p)();
}

/* A minimal static ELF that exits with `status`. */
static void write_program(const char *path, int status) {
    unsigned char f[4096];
    memset(f, 0, sizeof f);
    unsigned long base = 0x400000, code = 120;
    unsigned char ehdr[64] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
    *(unsigned short *)(ehdr + 16) = 2;      /* ET_EXEC */
    *(unsigned short *)(ehdr + 18) = 62;     /* x86-64 */
    *(unsigned int *)(ehdr + 20) = 1;
    *(unsigned long *)(ehdr + 24) = base + code;
    *(unsigned long *)(ehdr + 32) = 64;      /* phoff */
    *(unsigned short *)(ehdr + 52) = 64;
    *(unsigned short *)(ehdr + 54) = 56;
    *(unsigned short *)(ehdr + 56) = 1;
    memcpy(f, ehdr, 64);
    unsigned char *ph = f + 64;
    *(unsigned int *)ph = 1;                 /* PT_LOAD */
    *(unsigned int *)(ph + 4) = 5;           /* R+X */
    *(unsigned long *)(ph + 16) = base;
    *(unsigned long *)(ph + 24) = base;
    *(unsigned long *)(ph + 32) = sizeof f;
    *(unsigned long *)(ph + 40) = sizeof f;
    *(unsigned long *)(ph + 48) = 4096;
    unsigned char *c = f + code;
    c[0] = 0xbf; memcpy(c + 1, &status, 4);  /* mov edi, status */
    c[5] = 0xb8; c[6] = 60; c[7] = c[8] = c[9] = 0; /* mov eax, 60 */
    c[10] = 0x0f; c[11] = 0x05;              /* syscall */
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755); /* same inode when it exists */
    if (fd < 0 || write(fd, f, sizeof f) != sizeof f) { perror(path); exit(1); }
    close(fd);
}

static int run(const char *path) {
    pid_t pid = fork();
    if (pid == 0) {
        execl(path, path, (char *)0);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(void) {
    write_code("code_a", 1);
    write_code("code_b", 2);
    int fd = open("code_a", O_RDONLY);
    void *at = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
    close(fd);
    printf("a: %d\n", ((int (*)(void))at)());
    munmap(at, 4096);
    printf("b after munmap: %d\n", call_file("code_b", at));
    printf("a over b: %d\n", call_file("code_a", at));
    printf("b over a: %d\n", call_file("code_b", at));

    /* Old enough that a rewrite within the same clock tick cannot leave its times unchanged. */
    write_program("prog", 3);
    sleep(2);
    for (int i = 0; i < 3; i++) printf("prog: %d\n", run("./prog"));
    write_program("prog", 4);
    for (int i = 0; i < 3; i++) printf("rewritten prog: %d\n", run("./prog"));
    return 0;
}
