/* getcwd/chdir/fchdir and relative paths after a directory change. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/stat.h>
int main(int argc, char **argv) {
    char start[4096], now[4096];
    if (!getcwd(start, sizeof start)) { perror("getcwd"); return 1; }
    if (argc < 2) return 2;
    printf("chdir: %d\n", chdir(argv[1]));
    getcwd(now, sizeof now);
    printf("cwd is the target: %d\n", strcmp(now, argv[1]) == 0);
    mkdir("inner", 0700);
    int fd = open("inner/f", O_CREAT | O_WRONLY, 0600);
    printf("relative create: %d\n", fd >= 0);
    close(fd);
    printf("chdir inner: %d\n", chdir("inner"));
    printf("open ../inner/f: %d\n", (fd = open("../inner/f", O_RDONLY)) >= 0);
    close(fd);
    printf("chdir ..: %d\n", chdir(".."));
    int dfd = open("inner", O_RDONLY | O_DIRECTORY);
    printf("fchdir: %d\n", fchdir(dfd));
    getcwd(now, sizeof now);
    printf("cwd ends with /inner: %d\n", strlen(now) > 6 && strcmp(now + strlen(now) - 6, "/inner") == 0);
    errno = 0;
    printf("chdir missing: %d errno=%d\n", chdir("/nonexistent-dir"), errno);
    printf("chdir file: %d errno=%d\n", chdir("f"), errno);
    char tiny[2];
    errno = 0;
    printf("getcwd small buffer: %s errno=%d\n", getcwd(tiny, sizeof tiny) ? "ok" : "NULL", errno);
    return 0;
}
