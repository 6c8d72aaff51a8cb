/* File syscalls in a scratch directory (argv[1]), including the errors Linux gives. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#define CHECK(x) do { long r_ = (long)(x); printf("%-40s -> %ld%s%s\n", #x, r_, r_ < 0 ? " " : "", r_ < 0 ? strerror(errno) : ""); } while (0)
int main(int argc, char **argv) {
    if (argc < 2 || chdir(argv[1]) != 0) { perror("chdir"); return 2; }
    char buf[64];
    int fd = open("data.txt", O_RDWR | O_CREAT | O_TRUNC, 0640);
    printf("open fd>=3: %d\n", fd >= 3);
    CHECK(write(fd, "hello, file\n", 12));
    CHECK(lseek(fd, 0, SEEK_CUR));
    CHECK(lseek(fd, 7, SEEK_SET));
    memset(buf, 0, sizeof buf);
    CHECK(read(fd, buf, sizeof buf));
    printf("read [%s]\n", buf);
    CHECK(pwrite(fd, "HELLO", 5, 0));
    memset(buf, 0, sizeof buf);
    CHECK(pread(fd, buf, 12, 0));
    printf("pread [%s]\n", buf);
    CHECK(lseek(fd, 0, SEEK_CUR));
    CHECK(lseek(fd, 100, SEEK_END));
    CHECK(write(fd, "X", 1));
    struct stat st;
    CHECK(fstat(fd, &st));
    printf("size %ld mode %o nlink %ld\n", (long)st.st_size, st.st_mode & 07777, (long)st.st_nlink);
    CHECK(ftruncate(fd, 5));
    CHECK(fstat(fd, &st));
    printf("size after truncate %ld\n", (long)st.st_size);
    struct iovec iov[2] = {{"ab", 2}, {"cd\n", 3}};
    CHECK(lseek(fd, 0, SEEK_END));
    CHECK(writev(fd, iov, 2));
    CHECK(lseek(fd, -3, SEEK_END));
    char a[2] = {0}, b[2] = {0};
    struct iovec riov[2] = {{a, 1}, {b, 1}};
    CHECK(readv(fd, riov, 2));
    printf("readv [%c%c]\n", a[0], b[0]);
    CHECK(lseek(fd, -1, SEEK_SET));
    CHECK(close(fd));
    CHECK(close(fd));
    CHECK(read(fd, buf, 1));
    CHECK(open("missing/file", O_RDONLY));
    CHECK(open("data.txt", O_RDONLY | O_CREAT | O_EXCL, 0600));
    CHECK(open("data.txt/x", O_RDONLY));
    CHECK(open(".", O_WRONLY));
    CHECK(stat("data.txt", &st));
    printf("stat size %ld regular %d\n", (long)st.st_size, S_ISREG(st.st_mode));
    CHECK(access("data.txt", R_OK | W_OK));
    CHECK(access("nope", F_OK));
    CHECK(mkdir("sub", 0755));
    CHECK(mkdir("sub", 0755));
    CHECK(rename("data.txt", "sub/moved.txt"));
    CHECK(stat("sub/moved.txt", &st));
    CHECK(rmdir("sub"));
    CHECK(unlink("sub/moved.txt"));
    CHECK(rmdir("sub"));
    CHECK(unlink("sub/moved.txt"));
    int d = dup(1);
    printf("dup fd>=3: %d\n", d >= 3);
    CHECK(dup2(d, 10));
    CHECK(write(10, "via dup2\n", 9));
    CHECK(fcntl(10, F_GETFD));
    CHECK(fcntl(10, F_SETFD, FD_CLOEXEC));
    CHECK(fcntl(10, F_GETFD));
    CHECK(close(10));
    char link[256];
    ssize_t n = readlink("/proc/self/exe", link, sizeof link - 1);
    printf("readlink /proc/self/exe absolute: %d\n", n > 0 && link[0] == '/');
    return 0;
}
