/* O_TMPFILE files named later: linkat(fd, "", AT_EMPTY_PATH) and linkat of /proc/self/fd/N with
   AT_SYMLINK_FOLLOW, O_TMPFILE|O_EXCL refusing a name, errors for bad descriptors. In argv[1]. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void show(const char *what, long r) {
    if (r < 0) printf("%s: errno %d\n", what, errno);
    else printf("%s: ok\n", what);
}

static void cat(const char *name) {
    char buf[64] = {0};
    int fd = open(name, O_RDONLY);
    if (fd < 0) { printf("%s: errno %d\n", name, errno); return; }
    read(fd, buf, sizeof buf - 1);
    struct stat st;
    fstat(fd, &st);
    printf("%s: [%s] links=%ld mode=%o\n", name, buf, (long)st.st_nlink, st.st_mode & 07777);
    close(fd);
}

int main(int argc, char **argv) {
    if (argc < 2 || chdir(argv[1]) != 0) return 2;
    umask(022);
    int fd = open(".", O_TMPFILE | O_RDWR, 0640);
    show("O_TMPFILE", fd);
    write(fd, "first", 5);
    struct stat st;
    fstat(fd, &st);
    printf("unnamed links=%ld\n", (long)st.st_nlink);
    show("linkat AT_EMPTY_PATH", linkat(fd, "", AT_FDCWD, "named", AT_EMPTY_PATH));
    show("again to the same name", linkat(fd, "", AT_FDCWD, "named", AT_EMPTY_PATH));
    cat("named");
    close(fd);

    fd = open(".", O_TMPFILE | O_WRONLY, 0600);
    write(fd, "second", 6);
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    show("linkat /proc/self/fd FOLLOW", linkat(AT_FDCWD, proc, AT_FDCWD, "via-proc", AT_SYMLINK_FOLLOW));
    cat("via-proc");
    close(fd);

    fd = open(".", O_TMPFILE | O_EXCL | O_WRONLY, 0600);
    show("O_TMPFILE|O_EXCL", fd);
    show("linkat of O_EXCL tmpfile", linkat(fd, "", AT_FDCWD, "never", AT_EMPTY_PATH));
    cat("never");
    close(fd);
    show("linkat bad fd", linkat(77, "", AT_FDCWD, "x", AT_EMPTY_PATH));
    show("linkat empty path without flag", linkat(AT_FDCWD, "", AT_FDCWD, "x", 0));
    show("O_TMPFILE on a file", open("named", O_TMPFILE | O_RDWR, 0600));
    return 0;
}
