/* Path resolution errors Linux gives, in the directory argv[1]: ELOOP (loops, 40 links, O_NOFOLLOW),
   ENAMETOOLONG (a 256-byte name, a 4096-byte path), ENOTDIR (trailing slash, a file as a
   directory, O_DIRECTORY), EISDIR, EINVAL (rename into itself, rmdir "."), EEXIST, EPERM
   (hard link to a directory), renameat2 NOREPLACE/EXCHANGE, and EACCES for an unprivileged uid
   in a child process. Prints errno numbers so musl and glibc agree. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK(x) do { errno = 0; long r_ = (long)(x); printf("%-58s %s%d\n", #x, r_ < 0 ? "errno " : "ok ", r_ < 0 ? errno : 0); } while (0)

static long rename2(const char *a, const char *b, unsigned flags) {
    return syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, flags);
}

static void cat(const char *name) {
    char buf[32] = {0};
    int fd = open(name, O_RDONLY);
    if (fd >= 0) { read(fd, buf, sizeof buf - 1); close(fd); }
    printf("%s: %s\n", name, fd >= 0 ? buf : "(cannot open)");
}

int main(int argc, char **argv) {
    if (argc < 2 || chdir(argv[1]) != 0) return 2;
    umask(022);
    int fd = open("file", O_WRONLY | O_CREAT, 0644);
    write(fd, "one", 3);
    close(fd);
    fd = open("other", O_WRONLY | O_CREAT, 0644);
    write(fd, "two", 3);
    close(fd);
    mkdir("dir", 0755);
    mkdir("dir/sub", 0755);
    symlink("loop2", "loop1");
    symlink("loop1", "loop2");
    symlink("file", "flink");
    symlink("dir", "dlink");
    /* A chain of 41 links: following 40 is allowed, 41 is ELOOP. */
    char a[16], b[16];
    symlink("file", "c0");
    for (int i = 1; i <= 41; i++) {
        snprintf(a, sizeof a, "c%d", i - 1);
        snprintf(b, sizeof b, "c%d", i);
        symlink(a, b);
    }
    CHECK(open("loop1", O_RDONLY));
    CHECK(open("loop1/x", O_RDONLY));
    CHECK(open("c40", O_RDONLY));
    CHECK(open("c41", O_RDONLY));
    CHECK(open("flink", O_RDONLY | O_NOFOLLOW));
    CHECK(open("dlink", O_RDONLY | O_NOFOLLOW | O_DIRECTORY));
    CHECK(open("dlink/", O_RDONLY | O_NOFOLLOW));
    CHECK(open("flink", O_PATH | O_NOFOLLOW) >= 0 ? 0 : -1);
    char name[300];
    memset(name, 'n', 256);
    name[256] = 0;
    CHECK(open(name, O_RDONLY | O_CREAT, 0644));
    name[255] = 0;
    CHECK(open(name, O_RDONLY));
    char *longpath = malloc(5000);
    strcpy(longpath, "dir");
    while (strlen(longpath) < 4200) strcat(longpath, "/.");
    CHECK(open(longpath, O_RDONLY));
    CHECK(stat(longpath, &(struct stat){0}));
    CHECK(open("file/", O_RDONLY));
    CHECK(open("file/x", O_RDONLY));
    CHECK(open("file", O_RDONLY | O_DIRECTORY));
    CHECK(mkdir("file/d", 0755));
    CHECK(open("dir", O_WRONLY));
    CHECK(unlink("dir"));
    CHECK(rmdir("file"));
    CHECK(rmdir("dir/."));
    CHECK(rmdir("dir"));
    CHECK(rename("dir", "dir/sub/inner"));
    CHECK(rename("file", "dir"));
    CHECK(rename("dir", "file"));
    CHECK(link("dir", "dirlink"));
    CHECK(link("file", "other"));
    CHECK(symlink("x", "file"));
    CHECK(mkdir("dir", 0755));
    CHECK(readlink("file", name, sizeof name));
    CHECK(rename2("file", "other", 1 /* RENAME_NOREPLACE */));
    CHECK(rename2("file", "other", 2 /* RENAME_EXCHANGE */));
    cat("file");
    cat("other");
    CHECK(rename2("file", "nothing", 2));
    CHECK(rename2("file", "other", 3));
    /* both parents are looked up before anything about the last names (fuzz seed 5) */
    CHECK(rename2("file/", "nonexist/x", 4 /* RENAME_WHITEOUT */));
    CHECK(rename("file/", "nonexist/x"));
    CHECK(rename("nonexist/x", "file/y"));
    CHECK(rename(".", "nonexist/x"));
    CHECK(rename("file", "."));
    CHECK(rename2("file", "..", 1 /* RENAME_NOREPLACE: EEXIST before EBUSY */));
    CHECK(rename("dir/sub/..", "file"));
    /* execve reports the walk's errors before anything else (fuzz seeds 60, 75) */
    char *no_args[] = {"x", NULL};
    CHECK(execve("loop1", no_args, NULL));
    CHECK(execve(name, no_args, NULL));
    CHECK(execve("file/x", no_args, NULL));
    CHECK(execve("nonexist/x", (char **)-1L, NULL));
    CHECK(execve("dir", no_args, NULL));
    /* access on /dev and /proc files: the device's own modes; root may write a 0444 /proc file */
    CHECK(access("/dev/null", W_OK));
    CHECK(access("/dev/null", X_OK));
    CHECK(access("/proc/self/status", W_OK));
    CHECK(access("/proc/self/status", X_OK));
    /* a slash at the end of a symlink's text asks for a directory (fuzz seed 145) */
    symlink("file/", "slashlink");
    symlink("dir/", "dirslashlink");
    CHECK(chmod("slashlink", 0644));
    CHECK(stat("slashlink", &(struct stat){0}));
    CHECK(access("slashlink", F_OK));
    CHECK(chmod("dirslashlink", 0755));
    /* faccessat checks its mode before the name; linkat the old name before an empty new one */
    CHECK(syscall(SYS_faccessat, AT_FDCWD, 0x1000, 0xf));
    CHECK(linkat(AT_FDCWD, "file/", AT_FDCWD, "", 0));
    CHECK(linkat(AT_FDCWD, "file", AT_FDCWD, "", 0));
    CHECK(rename("file/", ""));
    /* O_CREAT on a name ending in "/" or "." is EISDIR once the parent is found; O_PATH drops O_CREAT */
    CHECK(open("file/", O_CREAT | O_RDWR, 0644));
    CHECK(open("newfile/", O_CREAT | O_RDWR, 0644));
    CHECK(open("nonexist/newfile/", O_CREAT | O_RDWR, 0644));
    CHECK(open("dir/.", O_CREAT | O_RDONLY, 0644));
    CHECK(open(".", O_CREAT | O_EXCL | O_WRONLY, 0644));
    CHECK(open("dir/..", O_CREAT | O_EXCL | O_RDWR, 0644));
    CHECK(open("file/", O_PATH | O_CREAT | O_RDWR, 0644));
    /* a new name with a trailing slash: EEXIST when it exists, else ENOENT (filename_create) */
    CHECK(link("other", "file/"));
    CHECK(link("other", "newname/"));
    CHECK(symlink("other", "file/"));
    CHECK(rename2("file/", "dir/sub", 2 /* RENAME_EXCHANGE: the new name is missing */));
    CHECK(rename2("file/", "dir", 1 /* RENAME_NOREPLACE: the new name exists */));
    CHECK(rename2("file/", "other", 2 /* RENAME_EXCHANGE */));
    CHECK(open("", O_RDONLY));
    CHECK(stat("flink/", &(struct stat){0}));
    CHECK(lstat("dlink/", &(struct stat){0}));
    CHECK(access("dlink/sub/..", F_OK));
    CHECK(chdir("loop1"));
    fflush(stdout);

    chmod(".", 0755);
    mkdir("locked", 0555);
    fd = open("secret", O_WRONLY | O_CREAT, 0600);
    close(fd);
    mkdir("private", 0700);
    pid_t pid = fork();
    if (pid == 0) {
        if (setgid(65534) != 0 || setuid(65534) != 0) { printf("cannot drop privileges\n"); _exit(1); }
        CHECK(open("secret", O_RDONLY));
        CHECK(open("secret", O_WRONLY | O_TRUNC));
        CHECK(mkdir("locked/new", 0755));
        CHECK(open("private/x", O_RDONLY));
        CHECK(chdir("private"));
        CHECK(unlink("secret"));
        CHECK(chmod("secret", 0644));
        CHECK(access("secret", R_OK));
        CHECK(access("file", R_OK));
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("child exit %d\n", WEXITSTATUS(status));
    return 0;
}
