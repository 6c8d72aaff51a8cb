/* openat2: struct open_how size rules (EINVAL, E2BIG, zero tails), flag and resolve validation,
   RESOLVE_BENEATH, IN_ROOT, NO_SYMLINKS, NO_MAGICLINKS, NO_XDEV, CACHED, O_CREAT with the umask,
   O_CLOEXEC. Works in the directory given as argv[1]. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif
struct how { uint64_t flags, mode, resolve; };
struct how_v1 { uint64_t flags, mode, resolve, extra; };
#define RESOLVE_NO_XDEV 0x01
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_NO_SYMLINKS 0x04
#define RESOLVE_BENEATH 0x08
#define RESOLVE_IN_ROOT 0x10
#define RESOLVE_CACHED 0x20

static int dfd;
static struct stat target;

static void report(const char *what, long r) {
    if (r < 0) {
        printf("%s: %s\n", what, strerror(errno));
        return;
    }
    struct stat st;
    memset(&st, 0, sizeof st);
    fstat((int)r, &st);
    printf("%s: ok%s\n", what, st.st_ino == target.st_ino && st.st_dev == target.st_dev ? " (the file)" : "");
    close((int)r);
}

static long o2(int dir, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve) {
    struct how h = {flags, mode, resolve};
    return syscall(SYS_openat2, dir, path, &h, sizeof h);
}

int main(int argc, char **argv) {
    if (argc < 2 || chdir(argv[1]) != 0) return 2;
    umask(022);
    mkdir("sub", 0755);
    int f = open("sub/f", O_CREAT | O_WRONLY, 0644);
    close(f);
    stat("sub/f", &target);
    symlink("f", "sub/rel");
    symlink("../..", "sub/up");
    symlink("/", "sub/abs");
    dfd = open("sub", O_DIRECTORY | O_RDONLY);

    report("plain", o2(dfd, "f", O_RDONLY, 0, 0));
    struct how h = {O_RDONLY, 0, 0};
    report("size 8", syscall(SYS_openat2, dfd, "f", &h, 8));
    report("size 4097", syscall(SYS_openat2, dfd, "f", &h, 4097));
    struct how_v1 v1 = {O_RDONLY, 0, 0, 0};
    report("size 32, zero tail", syscall(SYS_openat2, dfd, "f", &v1, sizeof v1));
    v1.extra = 1;
    report("size 32, non-zero tail", syscall(SYS_openat2, dfd, "f", &v1, sizeof v1));
    report("upper flag bits", o2(dfd, "f", O_RDONLY | (1ULL << 40), 0, 0));
    report("unknown resolve bit", o2(dfd, "f", O_RDONLY, 0, 0x1000));
    report("BENEATH|IN_ROOT", o2(dfd, "f", O_RDONLY, 0, RESOLVE_BENEATH | RESOLVE_IN_ROOT));
    report("mode without O_CREAT", o2(dfd, "f", O_RDONLY, 0644, 0));
    report("bad mode bits", o2(dfd, "g", O_RDONLY | O_CREAT, 010000, 0));

    report("BENEATH f", o2(dfd, "f", O_RDONLY, 0, RESOLVE_BENEATH));
    report("BENEATH ../sub/f", o2(dfd, "../sub/f", O_RDONLY, 0, RESOLVE_BENEATH));
    report("BENEATH absolute", o2(dfd, "/", O_RDONLY, 0, RESOLVE_BENEATH));
    report("BENEATH via up", o2(dfd, "up/sub/f", O_RDONLY, 0, RESOLVE_BENEATH));
    report("BENEATH rel link", o2(dfd, "rel", O_RDONLY, 0, RESOLVE_BENEATH));
    report("IN_ROOT /f", o2(dfd, "/f", O_RDONLY, 0, RESOLVE_IN_ROOT));
    report("IN_ROOT ../../f", o2(dfd, "../../f", O_RDONLY, 0, RESOLVE_IN_ROOT));
    report("IN_ROOT abs/f", o2(dfd, "abs/f", O_RDONLY, 0, RESOLVE_IN_ROOT));
    report("IN_ROOT up/f", o2(dfd, "up/f", O_RDONLY, 0, RESOLVE_IN_ROOT));
    report("NO_SYMLINKS rel", o2(dfd, "rel", O_RDONLY, 0, RESOLVE_NO_SYMLINKS));
    report("NO_SYMLINKS f", o2(dfd, "f", O_RDONLY, 0, RESOLVE_NO_SYMLINKS));
    report("NO_SYMLINKS O_PATH|O_NOFOLLOW rel", o2(dfd, "rel", O_PATH | O_NOFOLLOW, 0, RESOLVE_NO_SYMLINKS));
    report("NO_MAGICLINKS rel", o2(dfd, "rel", O_RDONLY, 0, RESOLVE_NO_MAGICLINKS));
    report("NO_MAGICLINKS /proc/self/exe", o2(AT_FDCWD, "/proc/self/exe", O_RDONLY, 0, RESOLVE_NO_MAGICLINKS));
    long exe = o2(AT_FDCWD, "/proc/self/exe", O_RDONLY, 0, 0);
    printf("/proc/self/exe without flags opens: %d\n", exe >= 0);
    if (exe >= 0) close((int)exe);
    report("NO_XDEV f", o2(dfd, "f", O_RDONLY, 0, RESOLVE_NO_XDEV));
    report("NO_XDEV /proc/self/status", o2(AT_FDCWD, "/proc/self/status", O_RDONLY, 0, RESOLVE_NO_XDEV));
    report("CACHED with O_CREAT", o2(dfd, "h", O_RDWR | O_CREAT, 0644, RESOLVE_CACHED));

    long fd = o2(dfd, "new", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666, RESOLVE_BENEATH);
    struct stat st;
    fstat((int)fd, &st);
    printf("created: mode %o cloexec %d\n", st.st_mode & 07777, fcntl((int)fd, F_GETFD) & FD_CLOEXEC);
    close((int)fd);
    report("O_EXCL again", o2(dfd, "new", O_RDWR | O_CREAT | O_EXCL, 0666, 0));
    report("missing", o2(dfd, "nothing", O_RDONLY, 0, 0));
    report("bad dirfd", o2(999, "f", O_RDONLY, 0, 0));
    return 0;
}
