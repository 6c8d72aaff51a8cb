/*
 * Guest input that once broke lxrun (issue 19, items 3-5), compared with Linux: lengths and
 * addresses Linux refuses or trims, faults in the middle of a buffer, and programs that jump or
 * load beyond user space. Each line is what a call returned; children report how they ended.
 * argv[1] is a scratch directory for the mutated copies of this program.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define KERNEL_ADDR 0xffff800000000000UL

static void show(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
    fflush(stdout);
}

static char *fresh(size_t len) {
    char *p = mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) { perror("mmap"); exit(1); }
    memset(p, 'x', len);
    return p;
}

static void report_child(const char *what, pid_t pid) {
    int st;
    if (pid < 0) { show(what, -1); return; }
    if (waitpid(pid, &st, 0) != pid) { show(what, -1); return; }
    if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
    else printf("%s: killed by signal %d\n", what, WTERMSIG(st));
    fflush(stdout);
}

/* A copy of this program with one change, executed in a child; prints how the child ended. */
static void run_mutant(const char *dir, const char *name, long entry, uint64_t memsz) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int in = open("/proc/self/exe", O_RDONLY), out = open(path, O_RDWR | O_CREAT | O_TRUNC, 0755);
    if (in < 0 || out < 0) { perror("copy"); exit(1); }
    static char buf[1 << 16];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0) if (write(out, buf, n) != n) exit(1);
    close(in);
    unsigned char eh[64];
    pread(out, eh, 64, 0);
    if (entry) pwrite(out, &entry, 8, 24);
    if (memsz) { /* the last PT_LOAD (the data segment) gets a bss of memsz */
        uint64_t phoff; uint16_t phnum;
        memcpy(&phoff, eh + 32, 8); memcpy(&phnum, eh + 56, 2);
        long last = -1;
        for (int i = 0; i < phnum; i++) {
            uint32_t type;
            pread(out, &type, 4, phoff + 56 * i);
            if (type == 1) last = phoff + 56 * i;
        }
        pwrite(out, &memsz, 8, last + 40);
    }
    close(out);
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[] = {path, "child", NULL};
        execv(path, argv);
        printf("%s: execve: %s\n", name, strerror(errno));
        _exit(99);
    }
    report_child(name, pid);
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "child") == 0) { puts("mutant ran"); return 0; }
    if (argc < 2) { fprintf(stderr, "usage: robust_calls SCRATCHDIR\n"); return 2; }
    const char *dir = argv[1];

    /* getrandom with a huge (unsigned) length fills what the buffer holds */
    char *g = fresh(8192);
    munmap(g + 4096, 4096);
    show("getrandom len -1", syscall(SYS_getrandom, g, (size_t)-1, 0));
    show("getrandom 1 TiB, 96 bytes mapped", syscall(SYS_getrandom, g + 4000, (size_t)1 << 40, 0));
    show("getrandom unmapped", syscall(SYS_getrandom, g + 4096, 16, 0));

    /* mremap */
    char *m = fresh(4096);
    show("mremap grow to 32 TiB", (long)syscall(SYS_mremap, m, 4096, 32UL << 40, MREMAP_MAYMOVE, 0));
    show("mremap fixed onto a kernel address", (long)syscall(SYS_mremap, m, 4096, 8192, MREMAP_MAYMOVE | MREMAP_FIXED, KERNEL_ADDR));
    show("mremap fixed without maymove", (long)syscall(SYS_mremap, m, 4096, 8192, MREMAP_FIXED, 0x200000000UL));
    show("mremap old size 0, garbage flags", (long)syscall(SYS_mremap, m, 0, 4096, 0x7fff0000, 0));
    show("mremap old size 0, private", (long)syscall(SYS_mremap, m, 0, 4096, MREMAP_MAYMOVE, 0));
    show("mremap new size 0", (long)syscall(SYS_mremap, m, 4096, 0, MREMAP_MAYMOVE, 0));
    show("mremap unaligned", (long)syscall(SYS_mremap, m + 1, 4096, 8192, MREMAP_MAYMOVE, 0));
    show("mremap of a kernel address", (long)syscall(SYS_mremap, KERNEL_ADDR, 4096, 8192, MREMAP_MAYMOVE, 0));
    m[0] = 'y';
    printf("mapping still usable: %c%c\n", m[0], m[4095]);

    /* brk far beyond memory leaves the break where it was */
    long cur = syscall(SYS_brk, 0);
    printf("brk(1<<46) leaves the break: %d\n", syscall(SYS_brk, 1L << 46) == cur);
    printf("brk(kernel address) leaves the break: %d\n", syscall(SYS_brk, KERNEL_ADDR) == cur);

    /* munmap / mprotect / mmap ranges */
    show("munmap of a kernel address", syscall(SYS_munmap, KERNEL_ADDR, 4096));
    show("munmap wrapping", syscall(SYS_munmap, 0x10000UL, (size_t)-4096));
    show("munmap length 0", syscall(SYS_munmap, m, 0));
    show("mprotect length 0, bad prot", syscall(SYS_mprotect, m, 0, 0xff));
    show("mprotect of a kernel address", syscall(SYS_mprotect, KERNEL_ADDR, 4096, PROT_READ));
    show("mprotect wrapping", syscall(SYS_mprotect, m, (size_t)-4096, PROT_READ));
    show("mmap 32 TiB", (long)syscall(SYS_mmap, 0, 32UL << 40, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    show("mmap fixed at a kernel address", (long)syscall(SYS_mmap, KERNEL_ADDR, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));

    /* read and write stop at a page they cannot use, and report what they moved */
    char *p = fresh(8192);
    mprotect(p + 4096, 4096, PROT_NONE);
    int fd = open("/proc/self/exe", O_RDONLY);
    show("read running into PROT_NONE", read(fd, p + 4096 - 10, 100));
    show("read starting in PROT_NONE", read(fd, p + 4096, 100));
    char wpath[4096];
    snprintf(wpath, sizeof wpath, "%s/written", dir);
    int wfd = open(wpath, O_RDWR | O_CREAT | O_TRUNC, 0644);
    show("file write from a buffer running into PROT_NONE", write(wfd, p + 4096 - 20, 100));
    show("file size after it", lseek(wfd, 0, SEEK_END));
    close(wfd);
    int pfd[2];
    pipe2(pfd, O_NONBLOCK);
    show("pipe write from a buffer running into PROT_NONE", write(pfd[1], p + 4096 - 20, 100));
    show("pipe holds", read(pfd[0], g, 4096));
    write(pfd[1], "abcdef", 6);
    show("pipe read into a buffer running into PROT_NONE", read(pfd[0], p + 4096 - 3, 6));

    /* pointers Linux checks */
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    char byte = 'b';
    struct iovec iov = {&byte, 1};
    struct msghdr mh = {0};
    mh.msg_iov = &iov; mh.msg_iovlen = 1; mh.msg_control = NULL; mh.msg_controllen = 64;
    show("sendmsg control NULL, length 64", syscall(SYS_sendmsg, sv[0], &mh, 0)); /* musl's wrapper would copy it itself */
    show("getrlimit(NULL)", syscall(SYS_getrlimit, RLIMIT_NOFILE, NULL));
    show("getrlimit(bad resource, NULL)", syscall(SYS_getrlimit, 999, NULL));
    show("setrlimit(NULL)", syscall(SYS_setrlimit, RLIMIT_NOFILE, NULL));

    /* clone storing the child's id at a kernel address: the child still runs */
    pid_t c = syscall(SYS_clone, CLONE_CHILD_SETTID | SIGCHLD, 0, 0, KERNEL_ADDR, 0);
    if (c == 0) _exit(3);
    report_child("clone CHILD_SETTID at a kernel address", c);
    c = syscall(SYS_clone, CLONE_PARENT_SETTID | SIGCHLD, 0, KERNEL_ADDR, 0, 0);
    if (c == 0) _exit(4);
    report_child("clone PARENT_SETTID at a kernel address", c);

    /* code beyond user space faults */
    c = fork();
    if (c == 0) { ((void (*)(void))0xffffffffffffffffUL)(); _exit(0); }
    report_child("jump to -1", c);
    c = fork();
    if (c == 0) { ((void (*)(void))KERNEL_ADDR)(); _exit(0); }
    report_child("jump to a kernel address", c);

    /* executables that Linux kills after exec's point of no return */
    run_mutant(dir, "entry_minus_one", -1, 0);
    run_mutant(dir, "bss_64_TiB", 0, 64ULL << 40);
    run_mutant(dir, "unchanged", 0, 0);
    return 0;
}
