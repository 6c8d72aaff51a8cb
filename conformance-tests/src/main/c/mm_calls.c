/* Memory, process-memory and file calls that lxrun once answered with ENOSYS: mlock family with
 * VmLck, memfd_create with seals, process_vm_readv/writev across a fork, kcmp, vmsplice both
 * ways, the old getdents, readahead and sync_file_range. Raw syscalls, so glibc and musl agree. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHOW(what, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%-34s %ld %s\n", what, r_, r_ < 0 ? strerror(errno) : "ok"); } while (0)

static long vm_locked_kb(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmLck:", 6) == 0) kb = strtol(line + 6, NULL, 10);
    if (f) fclose(f);
    return kb;
}

static void locks(void) {
    long page = sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, 8 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    long base = vm_locked_kb();
    SHOW("mlock 2 pages", syscall(SYS_mlock, m, 2 * page));
    SHOW("mlock overlapping 3 pages", syscall(SYS_mlock, m + page + 1, 2 * page));
    printf("VmLck grew by %ld kB\n", (vm_locked_kb() - base) * 1024 / page);
    SHOW("munlock first page", syscall(SYS_munlock, m, page));
    printf("VmLck grew by %ld kB\n", (vm_locked_kb() - base) * 1024 / page);
    SHOW("mlock2 bad flags", syscall(SYS_mlock2, m, page, 8));
    SHOW("mlock2 onfault", syscall(SYS_mlock2, m + 4 * page, page, 1));
    munmap(m + 4 * page, page);
    printf("after munmap VmLck grew by %ld kB\n", (vm_locked_kb() - base) * 1024 / page);
    SHOW("mlock over a hole", syscall(SYS_mlock, m + 3 * page, 3 * page));
    SHOW("munlock over a hole", syscall(SYS_munlock, m + 3 * page, 3 * page));
    SHOW("mlock length 0", syscall(SYS_mlock, m, 0));
    SHOW("mlockall 0", syscall(SYS_mlockall, 0));
    SHOW("mlockall ONFAULT alone", syscall(SYS_mlockall, 4));
    SHOW("mlockall bad flag", syscall(SYS_mlockall, 16));
    long before = vm_locked_kb();
    char *l = mmap(NULL, 4 * page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
    printf("MAP_LOCKED VmLck grew by %ld pages\n", (vm_locked_kb() - before) * 1024 / page);
    munmap(l, 4 * page);
    int fd = open("/proc/self/exe", O_RDONLY);
    void *v = mmap(NULL, page, PROT_READ, MAP_SHARED_VALIDATE | 0x80000 /* MAP_SYNC */, fd, 0);
    printf("MAP_SHARED_VALIDATE|MAP_SYNC: %s\n", v == MAP_FAILED ? strerror(errno) : "mapped");
    close(fd);
    SHOW("munlockall", syscall(SYS_munlockall));
    printf("VmLck after munlockall %ld\n", vm_locked_kb());
    munmap(m, 8 * page);
}

static void memfd(void) {
    char name[300];
    memset(name, 'n', sizeof name);
    name[sizeof name - 1] = 0;
    SHOW("memfd_create long name", syscall(SYS_memfd_create, name, 0));
    SHOW("memfd_create bad flags", syscall(SYS_memfd_create, "x", 0x100));
    int fd = syscall(SYS_memfd_create, "lxtest", 1 | 2); /* MFD_CLOEXEC | MFD_ALLOW_SEALING */
    char link[64], target[128] = "";
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n > 0) target[n] = 0;
    printf("link %s, cloexec %d\n", target, fcntl(fd, F_GETFD) & FD_CLOEXEC);
    SHOW("write", write(fd, "hello memfd", 11));
    SHOW("get seals", fcntl(fd, F_GET_SEALS));
    SHOW("add seal shrink|grow", fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW));
    SHOW("truncate smaller", ftruncate(fd, 4));
    SHOW("truncate larger", ftruncate(fd, 4096));
    SHOW("ftruncate of a bad fd to a negative length", ftruncate(-1, -1));
    SHOW("write past end", pwrite(fd, "x", 1, 11));
    SHOW("write inside", pwrite(fd, "H", 1, 0));
    SHOW("add seal write", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
    SHOW("write after seal", pwrite(fd, "h", 1, 0));
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("shared writable mmap %s\n", p == MAP_FAILED ? strerror(errno) : "mapped");
    p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
    printf("shared read-only mmap %s: %.11s\n", p == MAP_FAILED ? strerror(errno) : "mapped",
           p == MAP_FAILED ? "" : (char *)p);
    SHOW("add seal seal", fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL));
    SHOW("get seals", fcntl(fd, F_GET_SEALS));
    SHOW("add seal after seal", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
    close(fd);
    fd = syscall(SYS_memfd_create, "plain", 0);
    SHOW("seal without ALLOW_SEALING", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
    SHOW("seals without ALLOW_SEALING", fcntl(fd, F_GET_SEALS));
    close(fd);
}

static void process_vm(void) {
    static char remote[8192] = "parent's bytes";
    int go[2], done[2];
    pipe(go);
    pipe(done);
    pid_t child = fork();
    if (child == 0) {
        strcpy(remote, "child's own bytes");
        write(go[1], "r", 1);
        char c;
        read(done[0], &c, 1);
        printf("child sees: %s\n", remote);
        fflush(stdout);
        _exit(0);
    }
    char c;
    read(go[0], &c, 1);
    char buf1[6] = "", buf2[64] = "";
    struct iovec local[2] = {{buf1, 5}, {buf2, sizeof buf2 - 1}};
    struct iovec rem[1] = {{remote, 17}};
    SHOW("process_vm_readv", syscall(SYS_process_vm_readv, child, local, 2, rem, 1, 0));
    printf("read: [%s] [%s]\n", buf1, buf2);
    struct iovec w[1] = {{"written by parent", 18}};
    SHOW("process_vm_writev", syscall(SYS_process_vm_writev, child, w, 1, rem, 1, 0));
    SHOW("readv bad flags", syscall(SYS_process_vm_readv, child, local, 2, rem, 1, 1));
    SHOW("readv no such pid", syscall(SYS_process_vm_readv, 0x3ffffff, local, 2, rem, 1, 0));
    SHOW("readv zero length", syscall(SYS_process_vm_readv, 0x3ffffff, local, 0, rem, 1, 0));
    struct iovec bad[2] = {{(void *)16, 100}, {remote, 4}};
    SHOW("readv remote fault first", syscall(SYS_process_vm_readv, child, local, 1, bad, 2, 0));
    struct iovec tail[2] = {{remote, 4}, {(void *)16, 100}};
    SHOW("readv remote fault later", syscall(SYS_process_vm_readv, child, local, 2, tail, 2, 0));
    struct iovec badlocal[1] = {{(void *)16, 4}};
    SHOW("readv local fault", syscall(SYS_process_vm_readv, child, badlocal, 1, rem, 1, 0));
    SHOW("readv bad local iovec array", syscall(SYS_process_vm_readv, child, (void *)16, 1, rem, 1, 0));
    SHOW("readv too many iovecs", syscall(SYS_process_vm_readv, child, local, 1025, rem, 1, 0));

    int fd = open("/dev/null", O_RDONLY);
    int fd2 = dup(fd);
    printf("kcmp file same %ld\n", syscall(SYS_kcmp, getpid(), getpid(), 0, fd, fd2));
    printf("kcmp file inherited %ld\n", syscall(SYS_kcmp, getpid(), child, 0, 0, 0));
    printf("kcmp file differs %d\n", syscall(SYS_kcmp, getpid(), getpid(), 0, fd, go[0]) > 0);
    printf("kcmp vm self %ld\n", syscall(SYS_kcmp, getpid(), getpid(), 1, 0, 0));
    printf("kcmp vm child differs %d\n", syscall(SYS_kcmp, getpid(), child, 1, 0, 0) > 0);
    SHOW("kcmp bad fd", syscall(SYS_kcmp, getpid(), getpid(), 0, fd, 999));
    SHOW("kcmp bad type", syscall(SYS_kcmp, getpid(), getpid(), 99, 0, 0));
    SHOW("kcmp no such pid", syscall(SYS_kcmp, getpid(), 0x3ffffff, 1, 0, 0));
    close(fd);
    close(fd2);

    write(done[1], "d", 1);
    int status;
    waitpid(child, &status, 0);
    printf("child status %d\n", status);
}

static void vmsplice_both_ways(void) {
    int p[2];
    pipe(p);
    char a[] = "spliced ", b[] = "from memory";
    struct iovec in[2] = {{a, 8}, {b, 11}};
    SHOW("vmsplice to pipe", syscall(SYS_vmsplice, p[1], in, 2, 0));
    char out1[8] = "", out2[16] = "";
    struct iovec out[2] = {{out1, 7}, {out2, 15}};
    SHOW("vmsplice from pipe", syscall(SYS_vmsplice, p[0], out, 2, 0));
    printf("got [%s][%s]\n", out1, out2);
    SHOW("vmsplice bad fd", syscall(SYS_vmsplice, 999, in, 2, 0));
    SHOW("vmsplice empty pipe nonblock", syscall(SYS_vmsplice, p[0], out, 2, 2));
    int fd = open("/dev/null", O_WRONLY);
    SHOW("vmsplice to no pipe", syscall(SYS_vmsplice, fd, in, 2, 0));
    close(fd);
    close(p[0]);
    close(p[1]);
}

struct old_dirent { unsigned long ino; unsigned long off; unsigned short reclen; char name[]; };

static void old_getdents(void) {
    char dir[] = "/tmp/lxt_getdentsXXXXXX";
    if (!mkdtemp(dir)) return;
    char path[64];
    snprintf(path, sizeof path, "%s/file", dir);
    close(open(path, O_CREAT | O_WRONLY, 0600));
    snprintf(path, sizeof path, "%s/sub", dir);
    mkdir(path, 0700);
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    char buf[4096];
    long n = syscall(SYS_getdents, fd, buf, sizeof buf);
    int files = 0, dirs = 0, total = 0;
    for (long off = 0; off < n;) {
        struct old_dirent *d = (struct old_dirent *)(buf + off);
        char type = buf[off + d->reclen - 1];
        if (strcmp(d->name, "file") == 0 && type == DT_REG) files++;
        if (strcmp(d->name, "sub") == 0 && type == DT_DIR) dirs++;
        total++;
        off += d->reclen;
    }
    printf("getdents: %d entries, file %d, sub %d\n", total, files, dirs);
    SHOW("getdents at end", syscall(SYS_getdents, fd, buf, sizeof buf));
    lseek(fd, 0, SEEK_SET);
    SHOW("getdents tiny buffer", syscall(SYS_getdents, fd, buf, 8));
    SHOW("getdents bad fd", syscall(SYS_getdents, 999, buf, sizeof buf));
    int file = open(dir, O_RDONLY);
    close(fd);
    snprintf(path, sizeof path, "%s/file", dir);
    fd = open(path, O_RDONLY);
    SHOW("getdents on a file", syscall(SYS_getdents, fd, buf, sizeof buf));
    SHOW("readahead", syscall(SYS_readahead, fd, 0, 4096));
    SHOW("sync_file_range", syscall(SYS_sync_file_range, fd, 0, 0, 2));
    SHOW("sync_file_range bad flags", syscall(SYS_sync_file_range, fd, 0, 0, 8));
    SHOW("sync_file_range bad fd", syscall(SYS_sync_file_range, 999, 0, 0, 2));
    int p[2];
    pipe(p);
    SHOW("readahead on a pipe", syscall(SYS_readahead, p[0], 0, 4096));
    SHOW("readahead bad fd", syscall(SYS_readahead, 999, 0, 4096));
    SHOW("sync_file_range on a pipe", syscall(SYS_sync_file_range, p[0], 0, 0, 2));
    close(p[0]);
    close(p[1]);
    close(fd);
    close(file);
    unlink(path);
    snprintf(path, sizeof path, "%s/sub", dir);
    rmdir(path);
    rmdir(dir);
}

static void pidfds(void) {
    int p[2];
    pipe(p);
    pid_t child = fork();
    if (child == 0) {
        char c;
        read(p[0], &c, 1);
        _exit(7);
    }
    int pfd = syscall(SYS_pidfd_open, child, 0);
    printf("pidfd cloexec %d\n", pfd >= 0 && (fcntl(pfd, F_GETFD) & FD_CLOEXEC));
    SHOW("pidfd_open bad flags", syscall(SYS_pidfd_open, child, 1));
    SHOW("pidfd_open pid 0", syscall(SYS_pidfd_open, 0, 0));
    SHOW("pidfd_open no such pid", syscall(SYS_pidfd_open, 0x3ffffff, 0));
    struct pollfd q = {pfd, POLLIN, 0};
    SHOW("poll while running", poll(&q, 1, 0));
    char c;
    SHOW("read a pidfd", read(pfd, &c, 1));
    int got = syscall(SYS_pidfd_getfd, pfd, p[0], 0);
    printf("pidfd_getfd same file %ld\n", syscall(SYS_kcmp, getpid(), getpid(), 0, got, p[0]));
    SHOW("pidfd_getfd bad flags", syscall(SYS_pidfd_getfd, pfd, p[0], 1));
    SHOW("pidfd_getfd bad target fd", syscall(SYS_pidfd_getfd, pfd, 999, 0));
    SHOW("pidfd_getfd on no pidfd", syscall(SYS_pidfd_getfd, p[0], 0, 0));
    SHOW("pidfd_send_signal 0", syscall(SYS_pidfd_send_signal, pfd, 0, NULL, 0));
    SHOW("pidfd_send_signal bad flags", syscall(SYS_pidfd_send_signal, pfd, 0, NULL, 1));
    SHOW("pidfd_send_signal on no pidfd", syscall(SYS_pidfd_send_signal, p[0], 0, NULL, 0));
    write(p[1], "x", 1);
    q.revents = 0;
    SHOW("poll after exit", poll(&q, 1, 5000));
    printf("revents %#x\n", q.revents);
    SHOW("pidfd_send_signal to a zombie", syscall(SYS_pidfd_send_signal, pfd, SIGTERM, NULL, 0));
    siginfo_t si;
    memset(&si, 0, sizeof si);
    SHOW("waitid P_PIDFD on no pidfd", syscall(SYS_waitid, 3, p[0], &si, WEXITED, NULL));
    SHOW("waitid P_PIDFD", syscall(SYS_waitid, 3, pfd, &si, WEXITED, NULL));
    printf("waitid: pid matches %d, code %d, status %d\n", si.si_pid == child, si.si_code, si.si_status);
    close(got);
    close(pfd);
    close(p[0]);
    close(p[1]);
    /* A second child killed through its pidfd. */
    child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    pfd = syscall(SYS_pidfd_open, child, 0);
    SHOW("pidfd_send_signal SIGKILL", syscall(SYS_pidfd_send_signal, pfd, SIGKILL, NULL, 0));
    int status;
    waitpid(child, &status, 0);
    printf("killed child: signalled %d by %d\n", WIFSIGNALED(status), WTERMSIG(status));
    close(pfd);
}

static void mempolicy(void) {
    int mode = -1;
    unsigned long mask[2] = {7, 7};
    SHOW("get_mempolicy", syscall(SYS_get_mempolicy, &mode, mask, 65, 0, 0));
    printf("mode %d mask %lx\n", mode, mask[0]);
    unsigned long node0 = 1, node1 = 2;
    SHOW("set_mempolicy BIND node 0", syscall(SYS_set_mempolicy, 2, &node0, 65));
    SHOW("get_mempolicy", syscall(SYS_get_mempolicy, &mode, mask, 65, 0, 0));
    printf("mode %d mask %lx\n", mode, mask[0]);
    SHOW("set_mempolicy BIND node 1", syscall(SYS_set_mempolicy, 2, &node1, 65));
    SHOW("set_mempolicy BIND empty", syscall(SYS_set_mempolicy, 2, NULL, 0));
    SHOW("set_mempolicy PREFERRED empty", syscall(SYS_set_mempolicy, 1, NULL, 0));
    SHOW("get_mempolicy", syscall(SYS_get_mempolicy, &mode, NULL, 0, 0, 0));
    printf("mode %d\n", mode);
    SHOW("set_mempolicy bad mode", syscall(SYS_set_mempolicy, 99, NULL, 0));
    SHOW("set_mempolicy static+relative", syscall(SYS_set_mempolicy, 2 | (3 << 14), &node0, 65));
    SHOW("set_mempolicy INTERLEAVE", syscall(SYS_set_mempolicy, 3, &node0, 65));
    SHOW("get_mempolicy F_NODE", syscall(SYS_get_mempolicy, &mode, NULL, 0, 0, 1));
    printf("node %d\n", mode);
    SHOW("set_mempolicy DEFAULT", syscall(SYS_set_mempolicy, 0, NULL, 0));
    SHOW("get_mempolicy F_NODE default", syscall(SYS_get_mempolicy, &mode, NULL, 0, 0, 1));
    SHOW("get_mempolicy bad flags", syscall(SYS_get_mempolicy, &mode, NULL, 0, 0, 8));
    SHOW("get_mempolicy maxnode 0", syscall(SYS_get_mempolicy, &mode, mask, 0, 0, 0));
    mask[0] = 0;
    SHOW("get_mempolicy MEMS_ALLOWED", syscall(SYS_get_mempolicy, &mode, mask, 65, 0, 4));
    printf("mode %d mask %lx\n", mode, mask[0]);
    long page = sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SHOW("mbind BIND node 0", syscall(SYS_mbind, m + page, page, 2, &node0, 65, 0));
    SHOW("get_mempolicy F_ADDR", syscall(SYS_get_mempolicy, &mode, mask, 65, m + page, 2));
    printf("mode %d mask %lx\n", mode, mask[0]);
    SHOW("get_mempolicy F_ADDR other page", syscall(SYS_get_mempolicy, &mode, NULL, 0, m, 2));
    printf("mode %d\n", mode);
    SHOW("get_mempolicy F_ADDR|F_NODE", syscall(SYS_get_mempolicy, &mode, NULL, 0, m, 3));
    printf("node %d\n", mode);
    SHOW("get_mempolicy addr without F_ADDR", syscall(SYS_get_mempolicy, &mode, NULL, 0, m, 0));
    SHOW("mbind unaligned", syscall(SYS_mbind, m + 1, page, 2, &node0, 65, 0));
    SHOW("mbind bad flags", syscall(SYS_mbind, m, page, 2, &node0, 65, 8));
    munmap(m + 3 * page, page);
    SHOW("mbind over a hole", syscall(SYS_mbind, m, 4 * page, 2, &node0, 65, 0));
    SHOW("get_mempolicy F_ADDR unmapped", syscall(SYS_get_mempolicy, &mode, NULL, 0, m + 3 * page, 2));
    munmap(m, 3 * page);
}

/* mincore across mappings of different protections, over a hole, and its argument errors. */
static void residency(void) {
    long page = sysconf(_SC_PAGESIZE);
    char *a = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (a == MAP_FAILED) return;
    mprotect(a + page, page, PROT_READ);   /* three mappings: RW, R, RW */
    mprotect(a + 3 * page, page, PROT_NONE);
    a[0] = 1;
    a[2 * page] = 1;
    unsigned char vec[8];
    memset(vec, 0xee, sizeof vec);
    SHOW("mincore over 4 mappings", syscall(SYS_mincore, a, 4 * page, vec));
    printf("residency %d %d %d %d\n", vec[0] & 1, vec[1] & 1, vec[2] & 1, vec[3] & 1);
    SHOW("mincore partial last page", syscall(SYS_mincore, a, 2 * page + 1, vec));
    SHOW("mincore length 0 anywhere", syscall(SYS_mincore, (void *)(16L << 20), 0, vec));
    SHOW("mincore unaligned", syscall(SYS_mincore, a + 1, page, vec));
    munmap(a + 2 * page, page);            /* a hole between mapped pages */
    memset(vec, 0xee, sizeof vec);
    SHOW("mincore over a hole", syscall(SYS_mincore, a, 4 * page, vec));
    printf("before the hole %d %d\n", vec[0] & 1, vec[1] & 1);
    SHOW("mincore past user space", syscall(SYS_mincore, (void *)0x7ffffffff000L, 2 * page, vec));
    SHOW("mincore bad vector", syscall(SYS_mincore, a, page, (void *)8));
    munmap(a, 4 * page);

    /* mlock faults its range in; mlock2(MLOCK_ONFAULT) does not. */
    char *b = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (b == MAP_FAILED) return;
    SHOW("mlock 2 of 4 untouched pages", mlock(b, 2 * page));
    SHOW("mlock2 ONFAULT the 4th", syscall(SYS_mlock2, b + 3 * page, page, 1));
    SHOW("mincore after mlock", syscall(SYS_mincore, b, 4 * page, vec));
    printf("residency %d %d %d %d\n", vec[0] & 1, vec[1] & 1, vec[2] & 1, vec[3] & 1);
    munlock(b, 4 * page);
    munmap(b, 4 * page);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    residency();
    locks();
    memfd();
    process_vm();
    vmsplice_both_ways();
    old_getdents();
    pidfds();
    mempolicy();
    return 0;
}
