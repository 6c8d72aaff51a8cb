/*
 * lxrun's seeded fuzzers (issue 19). Usage:
 *   syscall_fuzz calls SEED COUNT [DIR]   COUNT random system calls with hostile arguments
 *   syscall_fuzz elf SEED TEMPLATE [DIR]  execve of one mutation of the ELF file TEMPLATE
 * Both work in the current directory only (a scratch directory), and print one line per call:
 * the call and its result (OK or the errno name, values that differ between runs are never
 * printed), so a native run and an lxrun run of one seed can be compared line by line.
 *
 * Safe on the host by construction, since the native run is real: paths are relative names from
 * a fixed pool (no "..", no absolute path that can be written, symlink targets from the same
 * pool), descriptors from the fuzzer's own (never 0-2 as targets), memory calls only on the
 * fuzzer's own arena or on addresses no mapping can hold, no signals to anyone else, no calls
 * that change the machine (time, mounts, modules, reboot, hostname), lengths and file offsets
 * bounded, and every wait either non-blocking or on the fuzzer's own child.
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
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static uint64_t state;
static uint64_t rnd(void) { /* xorshift64*: the same sequence for a seed everywhere */
    state ^= state >> 12; state ^= state << 25; state ^= state >> 27;
    return state * 2685821657736338717ULL;
}
static uint64_t pick(const uint64_t *v, int n) { return v[rnd() % n]; }
#define PICK(a) pick(a, sizeof(a) / sizeof(a[0]))

#define KERNEL_ADDR 0xffff800000000000ULL
#define ARENA_SIZE (64 * 4096)
static char *arena;      /* the fuzzer's own memory: the only place memory calls may change */
static char *buffer;     /* a valid buffer followed by a PROT_NONE page */
static int fds[16];
static int nfds;

static uint64_t any_pointer(void) {
    uint64_t v[] = {0, KERNEL_ADDR, (uint64_t)-1, 0x1000, (uint64_t)buffer, (uint64_t)buffer + 4096 - 3,
                    (uint64_t)buffer + 4096, (uint64_t)buffer + 100, (uint64_t)arena + 4096 * (rnd() % 64)};
    return PICK(v);
}
static uint64_t any_length(void) {
    uint64_t v[] = {0, 1, 3, 8, 64, 100, 4095, 4096, 4097, 65536, (uint64_t)-1, 1ULL << 31, 1ULL << 40, 0x7fffffff};
    return PICK(v);
}
static uint64_t any_int(void) {
    uint64_t v[] = {0, 1, 2, 3, 0x7fffffff, (uint64_t)-1, 0x80000000, rnd() & 0xffff, rnd(), 255, 256};
    return PICK(v);
}
static uint64_t any_flags(void) { return (rnd() & 1) ? rnd() : (rnd() & (rnd() & 0xfff)); }
static int any_fd(void) {
    int v[] = {-1, 1000, 0x7fffffff, -100 /* AT_FDCWD */, nfds ? fds[rnd() % nfds] : 3, nfds ? fds[rnd() % nfds] : 4};
    return v[rnd() % 6];
}
static int own_fd(void) { return nfds ? fds[rnd() % nfds] : -1; }
static const char *names[] = {"f0", "f1", "d0", "d0/f2", "d0/d1", "nonexist/x", "", ".", "f0/", "d0/../f1", "s0", "s1",
                              "/proc/self/status", "/dev/null"};
static char longname[400];
static uint64_t any_path(void) {
    int i = rnd() % 17;
    if (i < 14) return (uint64_t)names[i];
    if (i == 14) return (uint64_t)longname;
    return i == 15 ? any_pointer() : 0; /* a pointer (random bytes, a bad address) or NULL */
}
static uint64_t writable_name(void) { return (uint64_t)names[rnd() % 12]; } /* never /proc or /dev */
static uint64_t arena_addr(void) {
    uint64_t v[] = {(uint64_t)arena + 4096 * (rnd() % 64), (uint64_t)arena + 4096 * (rnd() % 64) + (rnd() % 2),
                    KERNEL_ADDR, (uint64_t)-4096, 0, 0x10000};
    return PICK(v);
}
static uint64_t arena_length(void) {
    uint64_t v[] = {0, 1, 4096, 8192, 4096 * (rnd() % 64), (uint64_t)-1, 1ULL << 46, 32ULL << 40, ARENA_SIZE};
    return PICK(v);
}

static void keep_fd(long r) {
    if (r < 3) return;
    if (nfds < 16) fds[nfds++] = r;
    else { close(fds[rnd() % 16]); fds[rnd() % 16] = r; }
}

static void result(int i, const char *name, long r) {
    if (r < 0) printf("%d %s E%d\n", i, name, errno);
    else printf("%d %s OK\n", i, name);
    fflush(stdout);
}

/* The arena is the fuzzer's: after each memory call it is put back as it was. */
static void restore_arena(void) {
    mmap(arena, ARENA_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
}

static void one_call(int i) {
    long r;
    int which = rnd() % 46;
    char *scratch = buffer;
    errno = 0;
    switch (which) {
    case 0: r = syscall(SYS_read, any_fd(), any_pointer(), any_length()); result(i, "read", r); break;
    case 1: { int fd = own_fd(); r = syscall(SYS_write, fd, any_pointer(), any_length() & 0xffff); result(i, "write", r); break; }
    case 2: r = syscall(SYS_pread64, any_fd(), any_pointer(), any_length(), any_int() & 0xfffff); result(i, "pread64", r); break;
    case 3: r = syscall(SYS_pwrite64, own_fd(), any_pointer(), any_length() & 0xffff, (rnd() & 1) ? (uint64_t)-1 : rnd() & 0xfffff); result(i, "pwrite64", r); break;
    case 4: { uint64_t flags = any_flags();
              /* a call that may create or change a file gets a scratch name, never random bytes */
              uint64_t p = (flags & (O_CREAT | O_TRUNC | O_WRONLY | O_RDWR | 020000000)) ? writable_name() : any_path();
              r = syscall(SYS_openat, AT_FDCWD, p, flags, any_int() & 07777); keep_fd(r); result(i, "openat", r); break; }
    case 5: { int fd = own_fd(); r = close(fd); if (r == 0) for (int k = 0; k < nfds; k++) if (fds[k] == fd) fds[k] = fds[--nfds]; result(i, "close", r); break; }
    case 6: r = syscall(SYS_dup, any_fd()); keep_fd(r); result(i, "dup", r); break;
    case 7: { int nfd = 10 + rnd() % 30; r = syscall(SYS_dup3, any_fd(), nfd, (rnd() & 1) ? O_CLOEXEC : any_flags()); keep_fd(r); result(i, "dup3", r); break; }
    case 8: { uint64_t cmds[] = {F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_DUPFD, F_DUPFD_CLOEXEC, F_GETLK, F_SETLK, 1030, 9999, F_GETPIPE_SZ, F_SETPIPE_SZ};
              uint64_t cmd = PICK(cmds); uint64_t arg = (cmd == F_GETLK || cmd == F_SETLK) ? any_pointer() : (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) ? 10 + rnd() % 30 : any_int();
              if (cmd == F_SETFL) arg |= O_NONBLOCK; /* no read may ever wait */
              r = syscall(SYS_fcntl, any_fd(), cmd, arg); if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) keep_fd(r); result(i, "fcntl", r); break; }
    case 9: r = syscall(SYS_lseek, any_fd(), any_int(), rnd() % 6); result(i, "lseek", r); break;
    case 10: r = syscall(SYS_fstat, any_fd(), any_pointer()); result(i, "fstat", r); break;
    case 11: r = syscall(SYS_newfstatat, any_fd(), any_path(), any_pointer(), any_flags() & 0x1fff); result(i, "newfstatat", r); break;
    case 12: r = syscall(SYS_faccessat, AT_FDCWD, any_path(), any_int() & 15); result(i, "faccessat", r); break;
    case 13: r = syscall(SYS_mkdirat, AT_FDCWD, writable_name(), any_int() & 0777); result(i, "mkdirat", r); break;
    case 14: r = syscall(SYS_unlinkat, AT_FDCWD, writable_name(), (rnd() & 1) ? AT_REMOVEDIR : any_flags() & 0xfff); result(i, "unlinkat", r); break;
    case 15: r = syscall(SYS_renameat2, AT_FDCWD, writable_name(), AT_FDCWD, writable_name(), rnd() % 8); result(i, "renameat2", r); break;
    case 16: r = syscall(SYS_linkat, AT_FDCWD, writable_name(), AT_FDCWD, writable_name(), (rnd() & 1) ? 0 : any_flags()); result(i, "linkat", r); break;
    case 17: r = syscall(SYS_symlinkat, writable_name(), AT_FDCWD, writable_name()); result(i, "symlinkat", r); break;
    case 18: r = syscall(SYS_readlinkat, AT_FDCWD, any_path(), any_pointer(), any_length()); result(i, "readlinkat", r); break;
    case 19: r = syscall(SYS_fchmodat, AT_FDCWD, writable_name(), any_int() & 07777); result(i, "fchmodat", r); break;
    case 20: r = syscall(SYS_truncate, writable_name(), (rnd() & 1) ? (int64_t)-1 : (int64_t)(rnd() & 0xfffff)); result(i, "truncate", r); break;
    case 21: r = syscall(SYS_ftruncate, own_fd(), (rnd() & 1) ? (int64_t)-1 : (int64_t)(rnd() & 0xfffff)); result(i, "ftruncate", r); break;
    case 22: r = syscall(SYS_getdents64, any_fd(), any_pointer(), any_length()); result(i, "getdents64", r); break;
    case 23: r = syscall(SYS_getcwd, any_pointer(), any_length()); result(i, "getcwd", r); break;
    case 24: { uint64_t len = arena_length(), prot = any_int() & 0xf, flags = any_flags() & ~(uint64_t)(MAP_FIXED | MAP_FIXED_NOREPLACE);
               r = syscall(SYS_mmap, (rnd() & 1) ? 0 : arena_addr(), len, prot, flags, (rnd() & 1) ? -1 : any_fd(), (rnd() & 1) ? 0 : any_int());
               if (r > 0 && r != (long)arena) munmap((void *)r, len);
               result(i, "mmap", r); break; }
    case 25: r = syscall(SYS_mmap, arena_addr(), arena_length() % (ARENA_SIZE + 1), any_int() & 7, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
             result(i, "mmap_fixed", r); restore_arena(); break;
    case 26: r = syscall(SYS_munmap, arena_addr(), arena_length()); result(i, "munmap", r); restore_arena(); break;
    case 27: r = syscall(SYS_mprotect, arena_addr(), arena_length(), any_int()); result(i, "mprotect", r); restore_arena(); break;
    case 28: { uint64_t flags = (rnd() & 1) ? rnd() % 8 : any_flags(); uint64_t na = (rnd() & 1) ? (uint64_t)arena + 32 * 4096 : arena_addr();
               r = syscall(SYS_mremap, arena_addr(), arena_length(), arena_length(), flags, na);
               if (r > 0 && (r < (long)arena || r >= (long)arena + ARENA_SIZE)) munmap((void *)r, 4096);
               result(i, "mremap", r); restore_arena(); break; }
    case 29: r = syscall(SYS_madvise, arena_addr(), arena_length(), any_int() & 0x7f); result(i, "madvise", r); restore_arena(); break;
    case 30: { long cur = syscall(SYS_brk, 0); uint64_t v[] = {0, 1ULL << 46, KERNEL_ADDR, (uint64_t)-1, 1};
               r = syscall(SYS_brk, PICK(v)); printf("%d brk %s\n", i, r == cur ? "unchanged" : "moved"); fflush(stdout); syscall(SYS_brk, cur); break; }
    case 31: r = syscall(SYS_getrandom, any_pointer(), any_length(), (rnd() & 1) ? 0 : any_flags() & 0xf); result(i, "getrandom", r); break;
    case 32: r = syscall(SYS_getrlimit, any_int() % 20, any_pointer()); result(i, "getrlimit", r); break;
    case 33: r = syscall(SYS_prlimit64, 0, any_int() % 20, 0, any_pointer()); result(i, "prlimit64", r); break;
    case 34: r = syscall(SYS_uname, any_pointer()); result(i, "uname", r); break;
    case 35: r = syscall(SYS_clock_gettime, any_int() % 16, any_pointer()); result(i, "clock_gettime", r); break;
    case 36: { int sv[2]; r = syscall(SYS_socketpair, (rnd() & 1) ? AF_UNIX : any_int() % 45, ((rnd() & 1) ? SOCK_STREAM : any_int() % 8) | SOCK_NONBLOCK, 0, (rnd() & 3) ? (uint64_t)sv : any_pointer());
               if (r == 0 && (rnd() & 3)) { keep_fd(sv[0]); keep_fd(sv[1]); } result(i, "socketpair", r); break; }
    case 37: { struct iovec iov = {(void *)any_pointer(), any_length() & 0xfff}; struct msghdr mh = {0};
               mh.msg_iov = (rnd() & 3) ? &iov : (struct iovec *)any_pointer(); mh.msg_iovlen = (rnd() & 3) ? 1 : any_int();
               mh.msg_control = (void *)any_pointer(); mh.msg_controllen = any_length() & 0xff;
               r = syscall((rnd() & 1) ? SYS_sendmsg : SYS_recvmsg, any_fd(), (rnd() & 3) ? (uint64_t)&mh : any_pointer(), MSG_DONTWAIT | (any_flags() & 0x4000));
               result(i, "sendmsg/recvmsg", r); break; }
    case 38: r = syscall(SYS_pipe2, (rnd() & 3) ? (uint64_t)scratch : any_pointer(), ((rnd() & 1) ? 0 : any_flags()) | O_NONBLOCK);
             if (r == 0 && (uint64_t)scratch) { keep_fd(((int *)scratch)[0]); keep_fd(((int *)scratch)[1]); } result(i, "pipe2", r); break;
    case 39: r = syscall(SYS_poll, any_pointer(), any_int() & 0xff, 0); result(i, "poll", r); break;
    case 40: { pid_t c = syscall(SYS_clone, SIGCHLD | ((rnd() & 1) ? CLONE_CHILD_SETTID : 0) | ((rnd() & 1) ? CLONE_PARENT_SETTID : 0), 0, any_pointer(), any_pointer(), 0);
               if (c == 0) _exit(7);
               int st = 0; if (c > 0) waitpid(c, &st, 0);
               printf("%d clone %s %d\n", i, c < 0 ? "failed" : "child", c > 0 ? st : errno); fflush(stdout); break; }
    case 41: { pid_t c = fork();
               if (c == 0) { char *argv[] = {"x", NULL}; syscall(SYS_execve, any_path(), (rnd() & 3) ? (uint64_t)argv : any_pointer(), (rnd() & 3) ? 0 : any_pointer()); _exit(100 + errno); }
               int st = 0; waitpid(c, &st, 0); printf("%d execve status %d\n", i, st); fflush(stdout); break; }
    case 42: r = syscall(SYS_ioctl, any_fd(), (rnd() & 1) ? 0x541B /* FIONREAD */ : any_int(), any_pointer()); result(i, "ioctl", r); break;
    case 43: r = syscall(SYS_rt_sigprocmask, rnd() % 4, any_pointer(), any_pointer(), (rnd() & 1) ? 8 : any_int()); result(i, "rt_sigprocmask", r); break;
    case 44: r = syscall(SYS_kill, getpid(), 0); result(i, "kill0", r); break;
    case 45: r = syscall(SYS_getdents64, own_fd(), (uint64_t)buffer, 4096); result(i, "getdents64own", r); break;
    }
}

/* The ELF mutator: one mutation of TEMPLATE, executed in a child; prints how it ended. */
static int elf_mutant(const char *template) {
    int in = open(template, O_RDONLY);
    if (in < 0) { perror(template); return 2; }
    struct stat st;
    fstat(in, &st);
    unsigned char *b = malloc(st.st_size);
    if (read(in, b, st.st_size) != st.st_size) return 2;
    close(in);
    uint64_t phoff; uint16_t phnum;
    memcpy(&phoff, b + 32, 8); memcpy(&phnum, b + 56, 2);
    int changes = 1 + rnd() % 3;
    for (int c = 0; c < changes; c++) {
        int kind = rnd() % 4;
        if (kind == 0) b[rnd() % 64] ^= 1 << (rnd() % 8);             /* a header bit */
        else if (kind == 1) b[rnd() % 64] = rnd();                   /* a header byte */
        else if (phnum && phoff + 56 * phnum <= (uint64_t)st.st_size) { /* a program header field */
            unsigned char *ph = b + phoff + 56 * (rnd() % phnum);
            uint64_t odd[] = {0, 1, (uint64_t)-1, 4096, 0x200000, 3, 64ULL << 40, 1ULL << 47, rnd()};
            int field = rnd() % 7; /* type, flags, offset, vaddr, paddr, filesz, memsz, align */
            int offs[] = {0, 4, 8, 16, 32, 40, 48};
            uint64_t v = PICK(odd);
            memcpy(ph + offs[field], &v, field < 2 ? 4 : 8);
        }
    }
    int out = open("mutant", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    if (out < 0 || write(out, b, st.st_size) != st.st_size) { perror("mutant"); return 2; }
    close(out);
    pid_t c = fork();
    if (c == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 1); dup2(devnull, 2);
        char *argv[] = {"./mutant", NULL};
        execv("./mutant", argv);
        _exit(100 + errno);
    }
    int s = 0;
    waitpid(c, &s, 0);
    if (WIFEXITED(s) && WEXITSTATUS(s) >= 100) printf("elf execve E%d\n", WEXITSTATUS(s) - 100);
    else if (WIFEXITED(s)) printf("elf ran, exit %d\n", WEXITSTATUS(s));
    else printf("elf killed by %d\n", WTERMSIG(s));
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: %s calls SEED COUNT [DIR] | elf SEED TEMPLATE [DIR]\n", argv[0]); return 2; }
    state = strtoull(argv[2], NULL, 0) * 0x9E3779B97F4A7C15ULL + 1;
    if (argc > 4 && chdir(argv[4]) != 0) { perror(argv[4]); return 2; } /* the scratch directory */
    if (strcmp(argv[1], "elf") == 0) return elf_mutant(argv[3]);
    int count = atoi(argv[3]);
    memset(longname, 'n', sizeof longname - 1);
    arena = mmap((void *)0x200000000ULL, ARENA_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    buffer = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (arena == MAP_FAILED || buffer == MAP_FAILED) { perror("mmap"); return 2; }
    mprotect(buffer + 4096, 4096, PROT_NONE);
    signal(SIGPIPE, SIG_IGN);
    int f = open("f0", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(f, "hello fuzzer\n", 13);
    keep_fd(f);
    mkdir("d0", 0755);
    for (int i = 0; i < count; i++) one_call(i);
    printf("done\n");
    return 0;
}
