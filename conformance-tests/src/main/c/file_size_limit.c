/*
 * RLIMIT_FSIZE: writes to a regular file stop at the limit (cut short when they cross it,
 * EFBIG and SIGXFSZ when they start at or past it), truncating past it is EFBIG, a
 * read-only descriptor fails as it would without the limit, other files are not limited, and
 * an unhandled SIGXFSZ ends the process (status 128+25 from the shell).
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
static volatile int got, code = -1;
static void on(int s, siginfo_t *si, void *ctx) {
    (void)s; (void)ctx;
    got++;
    code = si->si_code;
}
#define SHOW(w, e) do { errno = 0; long r_ = (long)(e); printf("%-32s %ld %s (SIGXFSZ %d)\n", w, r_, r_ < 0 ? strerror(errno) : "", got); } while (0)
int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGXFSZ, &sa, NULL);
    char path[] = "/tmp/fszXXXXXX";
    int fd = mkstemp(path);
    struct rlimit rl = {1000, 1000};
    setrlimit(RLIMIT_FSIZE, &rl);
    char buf[4096];
    memset(buf, 'a', sizeof buf);
    SHOW("write 600", write(fd, buf, 600));
    SHOW("write 600 crossing", write(fd, buf, 600));
    SHOW("write at the limit", write(fd, buf, 10));
    SHOW("write 0 at the limit", write(fd, buf, 0));
    SHOW("pwrite at 990 of 100", pwrite(fd, buf, 100, 990));
    SHOW("pwrite at 2000", pwrite(fd, buf, 1, 2000));
    struct iovec iov[2] = {{buf, 300}, {buf, 300}};
    SHOW("pwritev at 500 of 600", pwritev(fd, iov, 2, 500));
    SHOW("pwritev at 1000", pwritev(fd, iov, 2, 1000));
    lseek(fd, 0, SEEK_SET);
    SHOW("writev at 0", writev(fd, iov, 2));
    SHOW("ftruncate 1000", ftruncate(fd, 1000));
    SHOW("ftruncate 1001", ftruncate(fd, 1001));
    int src = open("/proc/self/exe", O_RDONLY);
    lseek(fd, 800, SEEK_SET);
    SHOW("sendfile 500 at 800", sendfile(fd, src, NULL, 500));
    SHOW("sendfile at the limit", sendfile(fd, src, NULL, 5));
    loff_t at = 950, from = 0;
    SHOW("copy_file_range 100 at 950", copy_file_range(src, &from, fd, &at, 100, 0));
    int pp[2];
    pipe(pp);
    write(pp[1], buf, 100);
    at = 960;
    SHOW("splice 100 at 960", splice(pp[0], NULL, fd, &at, 100, 0));
    SHOW("fallocate to 1001", fallocate(fd, 0, 0, 1001));
    SHOW("fallocate KEEP_SIZE to 2000", fallocate(fd, 1, 0, 2000));
    SHOW("fallocate to 1000", fallocate(fd, 0, 0, 1000));
    SHOW("truncate path 1001", truncate(path, 1001));
    SHOW("truncate path 900", truncate(path, 900));
    SHOW("truncate a directory 5000", truncate("/tmp", 5000));
    int ro = open(path, O_RDONLY);
    SHOW("ftruncate read-only fd 5000", ftruncate(ro, 5000));
    SHOW("write read-only fd", write(ro, buf, 1));
    lseek(fd, 5000, SEEK_SET);
    SHOW("write past limit to /dev/null", write(open("/dev/null", O_WRONLY), buf, 2000));
    int ap = open(path, O_WRONLY | O_APPEND);
    SHOW("append at size 1000", write(ap, buf, 1));
    printf("si_code of SIGXFSZ: %d\n", code);
    pid_t c = fork();
    if (c == 0) {
        signal(SIGXFSZ, SIG_DFL);
        write(fd, buf, 1);
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    printf("child writing past the limit: %s %d\n", WIFSIGNALED(st) ? "killed by" : "exited", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
    unlink(path);
    return 0;
}
