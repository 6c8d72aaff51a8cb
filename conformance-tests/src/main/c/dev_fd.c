/* /dev/fd/N, /dev/stdin, /dev/stdout and /dev/stderr as Linux has them, links into the process's
 * own /proc/self/fd: bash's process substitution (cat <(echo hi)) opens /dev/fd/63 for the read
 * end of a pipe. Checks opening a pipe end and a file through /dev/fd, readlink of the links, and
 * the listing of /dev/fd. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void show_link(const char *path) {
    char buf[256];
    ssize_t n = readlink(path, buf, sizeof buf - 1);
    if (n < 0) { printf("readlink %s: %s\n", path, strerror(errno)); return; }
    buf[n] = 0;
    /* pipe:[inode] differs run to run: keep only the kind */
    char *bracket = strchr(buf, '[');
    if (bracket) *bracket = 0;
    printf("readlink %s -> %s\n", path, buf);
}

int main(void) {
    int p[2];
    if (pipe(p) != 0) return 1;
    if (dup2(p[0], 63) < 0) return 1;
    write(p[1], "through dev fd\n", 15);
    close(p[1]);
    int fd = open("/dev/fd/63", O_RDONLY);
    if (fd < 0) { printf("open /dev/fd/63: %s\n", strerror(errno)); return 1; }
    char buf[64] = {0};
    ssize_t n = read(fd, buf, sizeof buf - 1);
    printf("read %zd: %s", n, buf);
    struct stat st;
    printf("fstat fifo: %d\n", fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode));
    printf("stat /dev/fd/63 fifo: %d\n", stat("/dev/fd/63", &st) == 0 && S_ISFIFO(st.st_mode));
    printf("lstat /dev/stdin link: %d\n", lstat("/dev/stdin", &st) == 0 && S_ISLNK(st.st_mode));
    show_link("/dev/fd");
    show_link("/dev/stdin");
    show_link("/dev/stdout");
    show_link("/dev/stderr");
    show_link("/dev/fd/63");
    close(fd);
    close(63);

    int f = open("/dev/fd/999", O_RDONLY);
    printf("open closed /dev/fd/999: %d %s\n", f, f < 0 ? strerror(errno) : "");
    /* a file reopened through /dev/fd: a new description of the same file, at offset 0 */
    char name[] = "/tmp/lxt_devfd_XXXXXX";
    int t = mkstemp(name);
    write(t, "file content\n", 13);
    char path[64];
    snprintf(path, sizeof path, "/dev/fd/%d", t);
    int again = open(path, O_RDONLY);
    memset(buf, 0, sizeof buf);
    n = read(again, buf, sizeof buf - 1);
    printf("reopened %zd: %s", n, buf);
    unlink(name);

    DIR *d = opendir("/dev/fd/");
    int has_again = 0;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        if (atoi(e->d_name) == again) has_again = 1;
    }
    if (d) closedir(d);
    printf("listing has the reopened fd: %d\n", has_again);
    fprintf(stderr, "stderr ok\n");
    FILE *out = fopen("/dev/stdout", "w");
    if (out) { fprintf(out, "via /dev/stdout\n"); fclose(out); }
    return 0;
}
