/*
 * Code in a MAP_SHARED file mapping, rewritten through write(2) on the file (not through the
 * mapping): the mapping shows the new bytes at once, so the next call runs them. Then the
 * same through pwrite on a second descriptor, and a second mapping of the file made after.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef int (*fn)(void);

static void code_for(unsigned char *buf, int value) {
    memset(buf, 0xc3, 4096);
    buf[0] = 0xb8; /* mov eax, imm32; ret */
    memcpy(buf + 1, &value, 4);
    buf[5] = 0xc3;
}

int main(void) {
    char path[] = "/tmp/smc_shared_file.XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return 1;
    unlink(path);
    unsigned char buf[4096];
    code_for(buf, 1);
    if (write(fd, buf, sizeof buf) != (ssize_t)sizeof buf) return 1;
    unsigned char *code = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
    if (code == MAP_FAILED) return 1;
    printf("first: %d\n", ((fn)code)());
    for (int i = 2; i <= 4; i++) {
        code_for(buf, i);
        lseek(fd, 0, SEEK_SET);
        if (write(fd, buf, 6) != 6) return 1;
        printf("after write %d: %d\n", i, ((fn)code)());
    }
    char fdpath[64];
    snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fd);
    int fd2 = open(fdpath, O_RDWR);
    code_for(buf, 9);
    if (pwrite(fd2, buf + 1, 1, 1) != 1) return 1;
    printf("after pwrite: %d\n", ((fn)code)());
    unsigned char *second = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
    printf("second mapping: %d\n", ((fn)second)());
    return 0;
}
