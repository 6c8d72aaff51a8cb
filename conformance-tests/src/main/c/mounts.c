/* Mounts: a read-only bind mount (argv[1]), a tmpfs (argv[2]) and a plain directory on the root
   filesystem (argv[3]); argv[4] is the directory holding argv[1]. Checks EROFS for every kind of
   change on the read-only mount (and EEXIST/ENOENT first where Linux looks the name up first),
   EXDEV between mounts, ".." at a mount's root, dirfd-relative lookups inside a mount, getcwd
   there, RESOLVE_NO_XDEV, statfs of the tmpfs and its root mode, and shared file mappings on it.
   Prints errno numbers, not messages, so musl and glibc agree. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>

static void show(const char *what, long r) {
    if (r < 0) printf("%s: errno %d\n", what, errno);
    else printf("%s: ok\n", what);
}

static char *at(const char *dir, const char *name) {
    static char buf[8][4096];
    static int next;
    char *b = buf[next++ % 8];
    snprintf(b, 4096, "%s/%s", dir, name);
    return b;
}

static int same(const char *a, const char *b) {
    struct stat x, y;
    if (stat(a, &x) || stat(b, &y)) return 0;
    return x.st_ino == y.st_ino && x.st_dev == y.st_dev;
}

static void cwd_relative(const char *base) {
    char buf[4096];
    if (!getcwd(buf, sizeof buf)) { printf("getcwd: errno %d\n", errno); return; }
    size_t n = strlen(base);
    printf("cwd: %s\n", strncmp(buf, base, n) == 0 ? (buf[n] ? buf + n : "(base)") : "(elsewhere)");
}

int main(int argc, char **argv) {
    if (argc < 5) return 2;
    const char *ro = argv[1], *tmp = argv[2], *plain = argv[3], *base = argv[4];
    char buf[64] = {0};

    int fd = open(at(ro, "file"), O_RDONLY);
    show("read-only open", fd);
    if (fd >= 0) {
        ssize_t n = read(fd, buf, sizeof buf - 1);
        printf("content: %.*s", (int)(n > 0 ? n : 0), buf);
        show("fchmod on ro", fchmod(fd, 0600));
        show("fchown on ro", fchown(fd, 0, 0));
        show("futimens on ro", futimens(fd, NULL));
        show("fsetxattr on ro", fsetxattr(fd, "user.x", "1", 1, 0));
        close(fd);
    }
    show("open O_WRONLY", open(at(ro, "file"), O_WRONLY));
    show("open O_RDWR", open(at(ro, "file"), O_RDWR));
    show("open O_TRUNC", open(at(ro, "file"), O_RDONLY | O_TRUNC));
    show("open O_CREAT new", open(at(ro, "new"), O_WRONLY | O_CREAT, 0644));
    show("open O_CREAT|O_EXCL existing", open(at(ro, "file"), O_RDONLY | O_CREAT | O_EXCL, 0644));
    fd = open(at(ro, "file"), O_RDONLY | O_CREAT, 0644);
    show("open O_CREAT existing read-only", fd);
    if (fd >= 0) close(fd);
    show("open missing", open(at(ro, "missing"), O_RDONLY));
    show("mkdir new", mkdir(at(ro, "d"), 0755));
    show("mkdir existing", mkdir(at(ro, "sub"), 0755));
    show("symlink new", symlink("x", at(ro, "s")));
    show("symlink existing", symlink("x", at(ro, "file")));
    show("mkfifo", mkfifo(at(ro, "fifo"), 0644));
    show("unlink", unlink(at(ro, "file")));
    show("rmdir", rmdir(at(ro, "sub")));
    show("chmod", chmod(at(ro, "file"), 0600));
    show("chmod missing", chmod(at(ro, "missing"), 0600));
    show("chown", chown(at(ro, "file"), 0, 0));
    show("utimes", utimes(at(ro, "file"), NULL));
    show("truncate", truncate(at(ro, "file"), 0));
    show("setxattr", setxattr(at(ro, "file"), "user.x", "1", 1, 0));
    show("rename inside ro", rename(at(ro, "file"), at(ro, "file2")));
    show("link inside ro", link(at(ro, "file"), at(ro, "file3")));

    /* tmpfs */
    struct statfs sf;
    if (statfs(tmp, &sf) == 0) printf("tmpfs magic: %s\n", sf.f_type == 0x01021994 ? "yes" : "no");
    struct stat st;
    if (stat(tmp, &st) == 0) printf("tmpfs root mode: %o\n", st.st_mode & 07777);
    fd = open(at(tmp, "a"), O_RDWR | O_CREAT, 0644);
    show("create in tmpfs", fd);
    if (fd >= 0) {
        show("ftruncate", ftruncate(fd, 4096));
        char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (m != MAP_FAILED) {
            strcpy(m, "through the mapping\n");
            msync(m, 4096, MS_SYNC);
            munmap(m, 4096);
        }
        memset(buf, 0, sizeof buf);
        pread(fd, buf, 20, 0);
        printf("mapped write read back: %s", buf);
        close(fd);
    }
    show("rename within tmpfs", rename(at(tmp, "a"), at(tmp, "b")));
    show("rename tmpfs -> root fs", rename(at(tmp, "b"), at(plain, "b")));
    show("link tmpfs -> root fs", link(at(tmp, "b"), at(plain, "c")));
    show("rename root fs -> tmpfs", rename(at(plain, "keep"), at(tmp, "keep")));
    show("rename ro -> tmpfs", rename(at(ro, "file"), at(tmp, "file")));
    show("mkdir in tmpfs", mkdir(at(tmp, "dir"), 0700));
    show("symlink in tmpfs", symlink("../b", at(tmp, "dir/up")));
    fd = open(at(tmp, "dir/up"), O_RDONLY);
    show("open through relative link in tmpfs", fd);
    if (fd >= 0) close(fd);

    /* ".." and lookups across mount boundaries */
    printf("ro/.. is the directory holding the mount point: %s\n", same(at(ro, ".."), base) ? "yes" : "no");
    printf("ro/sub/../.. likewise: %s\n", same(at(ro, "sub/../.."), base) ? "yes" : "no");
    printf("ro/link reaches ro/file: %s\n", same(at(ro, "link"), at(ro, "file")) ? "yes" : "no");
    int dfd = open(at(ro, "sub"), O_RDONLY | O_DIRECTORY);
    show("open ro/sub", dfd);
    if (dfd >= 0) {
        fd = openat(dfd, "../file", O_RDONLY);
        show("openat(sub, ../file)", fd);
        if (fd >= 0) close(fd);
        struct stat a, b;
        fstatat(dfd, "../..", &a, 0);
        stat(base, &b);
        printf("openat(sub, ../..) is the base: %s\n", a.st_ino == b.st_ino && a.st_dev == b.st_dev ? "yes" : "no");
        show("mkdirat(sub, x)", mkdirat(dfd, "x", 0755));
        show("fchdir", fchdir(dfd));
        cwd_relative(base);
        close(dfd);
    }
    show("chdir ..", chdir(".."));
    cwd_relative(base);
    show("chdir .. again", chdir(".."));
    cwd_relative(base);
    show("chdir tmpfs", chdir(tmp));
    cwd_relative(base);
    struct { uint64_t flags, mode, resolve; } how = {O_RDONLY, 0, 0x01 /* RESOLVE_NO_XDEV */};
    show("chdir base", chdir(base));
    long r = syscall(437, AT_FDCWD, at(strrchr(ro, '/') + 1, "file"), &how, sizeof how);
    show("openat2 NO_XDEV into the mount", r);
    if (r >= 0) close((int)r);
    r = syscall(437, AT_FDCWD, at(strrchr(ro, '/') + 1, "sub/../file"), &how, sizeof how);
    show("openat2 NO_XDEV inside... from outside", r);
    return 0;
}
