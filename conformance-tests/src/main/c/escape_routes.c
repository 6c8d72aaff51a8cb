/*
 * The escape catalogue: every known route out of a confined root, or into writing a read-only
 * mount, tried from inside. Run chrooted into a directory DIR with a tmpfs on /tm, a read-only
 * bind mount on /mnt (holding "file") and /proc, natively (unshare + chroot) and under
 * `lxrun --root DIR --tmpfs /tm --mount HOST:/mnt:ro`; both must print the same. A file
 * "canary" lies in DIR's parent: no route may read it (it is not in the guest's tree, so the
 * answer is ENOENT). argv[1], when given, is the host path of a listening UNIX socket outside
 * DIR: a symlink to that path inside the root must not reach it; argv[2] the canary's host
 * path, which routes climb to with ".."; argv[3] a socket that hands out a directory
 * descriptor from outside the root over SCM_RIGHTS.
 *
 * Each route runs in a child of its own (routes change cwd and root) and prints
 * "route: result" where result is "ok", "E<errno>", or a value.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

/* struct open_how and the resolve flags (linux/openat2.h, which musl's headers lack). */
struct open_how {
    unsigned long long flags, mode, resolve;
};
#define RESOLVE_BENEATH 0x08
#define RESOLVE_IN_ROOT 0x10
#ifndef SYS_openat2
#define SYS_openat2 437
#endif

static const char *host_socket, *host_canary, *fd_socket;

static void result(const char *route, long r) {
    if (r < 0) printf("%s: E%d\n", route, errno);
    else printf("%s: ok\n", route);
    fflush(stdout);
}

/* Reading: prints what was read (the canary's text would show here), or the errno. */
static void read_route(const char *route, int dirfd, const char *path) {
    int fd = openat(dirfd, path, O_RDONLY);
    if (fd < 0) {
        printf("%s: E%d\n", route, errno);
    } else {
        char buf[64] = {0};
        ssize_t n = read(fd, buf, sizeof buf - 1);
        if (n > 0 && buf[n - 1] == '\n') buf[n - 1] = 0;
        printf("%s: read \"%s\"\n", route, n >= 0 ? buf : "?");
        close(fd);
    }
    fflush(stdout);
}

static void cwd_route(const char *route) {
    char buf[4096];
    if (getcwd(buf, sizeof buf) == NULL && syscall(SYS_getcwd, buf, sizeof buf) < 0) printf("%s: E%d\n", route, errno);
    else printf("%s: %s\n", route, buf);
    fflush(stdout);
}

static long openat2_call(int dirfd, const char *path, long flags, long mode, long resolve) {
    struct open_how how = {.flags = flags, .mode = mode, .resolve = resolve};
    return syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}

static void mkdirs(const char *path) {
    char buf[256];
    for (size_t i = 1; path[i - 1] != 0; i++) {
        if (path[i] == '/' || path[i] == 0) {
            memcpy(buf, path, i);
            buf[i] = 0;
            mkdir(buf, 0755);
        }
    }
}

/* 1. A directory renamed while it is the cwd or a dirfd: ".." must still stop at the mount and root. */
static void renamed_directory(void) {
    mkdirs("/tm/a/b/c/d");
    mkdirs("/tm/e/f/g/h");
    if (chdir("/tm/a/b/c/d") != 0) { result("renamed-cwd chdir", -1); return; }
    int dirfd = open("/tm/e/f/g/h", O_RDONLY | O_DIRECTORY);
    result("renamed-cwd rename", rename("/tm/a/b/c/d", "/tm/x"));
    result("renamed-dirfd rename", rename("/tm/e/f/g/h", "/tm/y"));
    read_route("renamed-cwd ../../../../canary", AT_FDCWD, "../../../../canary");
    read_route("renamed-cwd ../../../../../../../canary", AT_FDCWD, "../../../../../../../canary");
    read_route("renamed-dirfd ../../../../canary", dirfd, "../../../../canary");
    read_route("renamed-dirfd ../../../../../../../canary", dirfd, "../../../../../../../canary");
    cwd_route("renamed-cwd getcwd");
    if (host_canary != NULL) {
        /* The canary's host path after k ".." (1 to 16), from the cwd and from the dirfd: any hit means ".." left the root. */
        for (int from = 0; from < 2; from++) {
            int hits = 0, last_errno = 0;
            for (int k = 1; k <= 16; k++) {
                char up[4096] = "";
                for (int i = 0; i < k; i++) strcat(up, "../");
                strncat(up, host_canary + 1, sizeof up - strlen(up) - 1);
                int fd = openat(from == 0 ? AT_FDCWD : dirfd, up, O_RDONLY);
                if (fd >= 0) {
                    hits++;
                    char buf[64] = {0};
                    if (read(fd, buf, sizeof buf - 1) > 0) printf("ESCAPED with %d ..: %s", k, buf);
                    close(fd);
                } else {
                    last_errno = errno;
                }
            }
            printf("%s ../(x1-16)HOST-CANARY: %s E%d\n", from == 0 ? "renamed-cwd" : "renamed-dirfd", hits ? "READ" : "none read",
                   last_errno);
        }
    }
    /* The ".." chain from the renamed cwd lands in the root: a name created there is inside it. */
    int fd = open("../../../../../escape-probe", O_CREAT | O_WRONLY, 0644);
    result("renamed-cwd create ../../../../../escape-probe", fd);
    if (fd >= 0) close(fd);
    struct stat st;
    result("renamed-cwd probe is in the root", stat("/escape-probe", &st));
    unlink("/escape-probe");
    /* Relative paths from the renamed cwd keep working (item 8). */
    fd = open("made-here", O_CREAT | O_WRONLY, 0644);
    result("renamed-cwd create relative", fd);
    if (fd >= 0) close(fd);
    result("renamed-cwd relative file is at the new name", stat("/tm/x/made-here", &st));
    /* The magic links reach the same directories. */
    read_route("renamed-cwd /proc/self/cwd/../../../../canary", AT_FDCWD, "/proc/self/cwd/../../../../canary");
    char p[64];
    snprintf(p, sizeof p, "/proc/self/fd/%d/../../../../canary", dirfd);
    read_route("renamed-dirfd /proc/self/fd/N/../../../../canary", AT_FDCWD, p);
    read_route("proc-root /proc/self/root/../../canary", AT_FDCWD, "/proc/self/root/../../canary");
    struct stat a, b;
    result("proc-cwd-dotdot stat", stat("/proc/self/cwd/..", &a));
    stat("/tm", &b);
    printf("proc-cwd-dotdot is /tm: %s\n", a.st_ino == b.st_ino && a.st_dev == b.st_dev ? "yes" : "no");
    char link[256] = {0};
    ssize_t n = readlink("/proc/self/cwd", link, sizeof link - 1);
    printf("proc-cwd readlink: %s\n", n > 0 ? link : "?");
    fflush(stdout);
    close(dirfd);
}

/* 2. Symlinks, absolute and relative, that point above the root. */
static void symlinks(void) {
    symlink("/../../canary", "/tm/abs-up");
    symlink("../../../../../canary", "/tm/rel-up");
    symlink("/proc/self/root/../canary", "/tm/magic-up");
    read_route("symlink /../../canary", AT_FDCWD, "/tm/abs-up");
    read_route("symlink ../../../../../canary", AT_FDCWD, "/tm/rel-up");
    read_route("symlink /proc/self/root/../canary", AT_FDCWD, "/tm/magic-up");
    read_route("dotdot from /mnt", AT_FDCWD, "/mnt/../../../canary");
    read_route("dotdot from /tm", AT_FDCWD, "/tm/../../canary");
}

/* 3. Writing a read-only mount by every route. */
static void read_only_mount(void) {
    int rd = open("/mnt/file", O_RDONLY);
    int opath = open("/mnt/file", O_PATH);
    char p[64];
    snprintf(p, sizeof p, "/proc/self/fd/%d", rd);
    result("ro reopen /proc/self/fd/N O_WRONLY", open(p, O_WRONLY));
    result("ro reopen /proc/self/fd/N O_RDWR|O_TRUNC", open(p, O_RDWR | O_TRUNC));
    int again = open(p, O_RDONLY);
    result("ro reopen /proc/self/fd/N O_RDONLY", again);
    result("ro fchmod of the reopened fd", fchmod(again, 0600));
    snprintf(p, sizeof p, "/proc/self/fd/%d", opath);
    result("ro reopen O_PATH fd O_WRONLY", open(p, O_WRONLY));
    int dir = open("/mnt", O_RDONLY | O_DIRECTORY);
    result("ro openat2 BENEATH create", openat2_call(dir, "new", O_WRONLY | O_CREAT, 0644, RESOLVE_BENEATH));
    result("ro openat2 IN_ROOT create", openat2_call(dir, "new", O_WRONLY | O_CREAT, 0644, RESOLVE_IN_ROOT));
    result("ro openat2 BENEATH write", openat2_call(dir, "file", O_WRONLY, 0, RESOLVE_BENEATH));
    result("ro openat2 IN_ROOT trunc", openat2_call(dir, "file", O_RDONLY | O_TRUNC, 0, RESOLVE_IN_ROOT));
    result("ro openat2 BENEATH ..", openat2_call(dir, "../canary", O_RDONLY, 0, RESOLVE_BENEATH));
    result("ro openat2 IN_ROOT ../../canary", openat2_call(dir, "../../canary", O_RDONLY, 0, RESOLVE_IN_ROOT));
    result("ro openat O_WRONLY", openat(dir, "file", O_WRONLY));
    result("ro /proc/self/root/mnt/file O_WRONLY", open("/proc/self/root/mnt/file", O_WRONLY));
    if (chdir("/mnt") == 0) {
        result("ro /proc/self/cwd/file O_WRONLY", open("/proc/self/cwd/file", O_WRONLY));
        result("ro /proc/self/cwd/new O_CREAT", open("/proc/self/cwd/new", O_WRONLY | O_CREAT, 0644));
        chdir("/");
    }
    snprintf(p, sizeof p, "/proc/self/fd/%d/file", dir);
    result("ro /proc/self/fd/DIR/file O_WRONLY", open(p, O_WRONLY));
    result("ro truncate", truncate("/mnt/file", 0));
    result("ro unlink", unlink("/mnt/file"));
    result("ro mkdir", mkdir("/mnt/d", 0755));
    result("ro link across mounts", link("/mnt/file", "/tm/hard"));
    result("ro rename across mounts", rename("/mnt/file", "/tm/moved"));
    result("rename into ro mount", rename("/tm/x", "/mnt/x"));
    snprintf(p, sizeof p, "/proc/self/fd/%d", rd);
    result("ro linkat /proc/self/fd/N across mounts", linkat(AT_FDCWD, p, AT_FDCWD, "/tm/hard2", AT_SYMLINK_FOLLOW));
    /* Another process's magic links: its cwd in the read-only mount. */
    int ready[2], hold[2];
    pipe(ready);
    pipe(hold);
    pid_t other = fork();
    if (other == 0) {
        chdir("/mnt");
        write(ready[1], "x", 1);
        read(hold[0], p, 1);
        _exit(0);
    }
    read(ready[0], p, 1);
    char other_path[64];
    snprintf(other_path, sizeof other_path, "/proc/%d/cwd/file", (int) other);
    result("ro /proc/PID/cwd/file O_WRONLY (another process)", open(other_path, O_WRONLY));
    snprintf(other_path, sizeof other_path, "/proc/%d/cwd/../../canary", (int) other);
    read_route("/proc/PID/cwd/../../canary (another process)", AT_FDCWD, other_path);
    snprintf(other_path, sizeof other_path, "/proc/%d/root/mnt/file", (int) other);
    result("ro /proc/PID/root/mnt/file O_WRONLY (another process)", open(other_path, O_WRONLY));
    write(hold[1], "x", 1);
    waitpid(other, NULL, 0);
    pid_t pid = fork();
    if (pid == 0) {
        /* chroot into the read-only mount: it stays read-only. */
        if (chroot("/mnt") != 0) { result("ro chroot", -1); _exit(0); }
        result("ro chrooted open O_WRONLY", open("/file", O_WRONLY));
        result("ro chrooted unlink", unlink("/file"));
        result("ro chrooted chmod", chmod("/file", 0600));
        result("ro chrooted mkdir", mkdir("/d", 0755));
        read_route("ro chrooted ../canary", AT_FDCWD, "/../canary");
        cwd_route("ro chrooted getcwd (cwd outside the new root)");
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

/* 4. Smaller things a confined root got wrong. */
static void smaller(void) {
    result("mkdir trailing slash", mkdir("/tm/m1/", 0755));
    result("mkdir nested trailing slash", mkdir("/tm/m1/m2/", 0755));
    int opath = open("/tm/m1", O_PATH | O_DIRECTORY);
    result("openat on an O_PATH dirfd", openat(opath, "m2", O_RDONLY | O_DIRECTORY));
    pid_t pid = fork();
    if (pid == 0) {
        chdir("/tm");
        result("chroot .", chroot("."));
        cwd_route("chroot . getcwd");
        read_route("chroot . ../canary", AT_FDCWD, "../canary");
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    /* A UNIX socket path of 100 bytes (sun_path holds 108 with the NUL). */
    char path[128];
    memset(path, 0, sizeof path);
    strcpy(path, "/tm/");
    memset(path + 4, 's', 96);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    memcpy(sa.sun_path, path, 100);
    result("unix bind 100-byte path", bind(s, (struct sockaddr *) &sa, sizeof sa));
    close(s);
    if (host_socket != NULL) {
        /* A symlink to a host socket's path names a path inside the root, which has no socket. */
        symlink(host_socket, "/tm/sock-link");
        s = socket(AF_UNIX, SOCK_STREAM, 0);
        struct sockaddr_un c = {.sun_family = AF_UNIX};
        strcpy(c.sun_path, "/tm/sock-link");
        result("unix connect via symlink to host socket", connect(s, (struct sockaddr *) &c, sizeof c));
        close(s);
        s = socket(AF_UNIX, SOCK_STREAM, 0);
        snprintf(c.sun_path, sizeof c.sun_path, "%s", host_socket);
        result("unix connect to host socket path", connect(s, (struct sockaddr *) &c, sizeof c));
        close(s);
    }
}

/*
 * 5. A directory descriptor received over SCM_RIGHTS from a host process (a directory outside
 * the root): fchdir and openat both work below it, as under Linux's chroot. (What ".." above it
 * gives differs by design: Linux climbs the host's tree, lxrun keeps the directory as a root.)
 */
static void received_directory(void) {
    if (fd_socket == NULL) return;
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", fd_socket);
    if (connect(s, (struct sockaddr *) &sa, sizeof sa) != 0) { result("scm-rights connect", -1); return; }
    char byte;
    struct iovec iov = {.iov_base = &byte, .iov_len = 1};
    union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } control;
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf};
    if (recvmsg(s, &m, 0) != 1 || CMSG_FIRSTHDR(&m) == NULL) { result("scm-rights recvmsg", -1); return; }
    int dir;
    memcpy(&dir, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof dir);
    read_route("scm-rights openat keep", dir, "keep");
    read_route("scm-rights openat deeper/../keep", dir, "deeper/../keep");
    read_route("scm-rights openat missing", dir, "missing");
    result("scm-rights fchdir", fchdir(dir));
    read_route("scm-rights relative keep after fchdir", AT_FDCWD, "keep");
    read_route("scm-rights relative deeper/../keep after fchdir", AT_FDCWD, "deeper/../keep");
    close(s);
}

static void run(void (*route)(void)) {
    pid_t pid = fork();
    if (pid == 0) {
        route();
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

int main(int argc, char **argv) {
    host_socket = argc > 1 ? argv[1] : NULL;
    host_canary = argc > 2 ? argv[2] : NULL;
    fd_socket = argc > 3 ? argv[3] : NULL;
    setvbuf(stdout, NULL, _IOLBF, 0);
    run(renamed_directory);
    run(symlinks);
    run(read_only_mount);
    run(smaller);
    run(received_directory);
    return 0;
}
