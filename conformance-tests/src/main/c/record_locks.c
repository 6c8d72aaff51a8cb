/* fcntl record locks between processes: POSIX locks (F_GETLK with the holder's pid, F_SETLK
   conflicts, splitting and merging ranges, SEEK_CUR/SEEK_END/negative lengths, release on any
   close, F_SETLKW waiting, interrupted by a signal, EDEADLK), OFD locks, and flock. The file
   lives in the directory given as argv[1]. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char path[4096];
static pid_t parent;

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static const char *tname(int t) {
    return t == F_RDLCK ? "RD" : t == F_WRLCK ? "WR" : t == F_UNLCK ? "UN" : "?";
}

static int lk(int fd, int cmd, int type, int whence, long start, long len) {
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = type;
    fl.l_whence = whence;
    fl.l_start = start;
    fl.l_len = len;
    int r = fcntl(fd, cmd, &fl);
    return r < 0 ? -errno : r;
}

/* What another process sees for a request: the blocking lock, or UN. */
static void probe_with(int fd, int cmd, const char *what, int type, int whence, long start, long len) {
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = type;
    fl.l_whence = whence;
    fl.l_start = start;
    fl.l_len = len;
    if (fcntl(fd, cmd, &fl) < 0) {
        printf("  %s: %s\n", what, strerror(errno));
        return;
    }
    if (fl.l_type == F_UNLCK) printf("  %s: UN\n", what);
    else
        printf("  %s: %s start=%ld len=%ld pid=%s\n", what, tname(fl.l_type), (long)fl.l_start, (long)fl.l_len,
               fl.l_pid == parent ? "parent" : fl.l_pid == -1 ? "-1" : "other");
}

static void probe(const char *what, int type, long start, long len) {
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        int fd = open(path, O_RDWR);
        probe_with(fd, F_GETLK, what, type, SEEK_SET, start, len);
        fflush(stdout);
        _exit(0);
    }
    waitpid(c, NULL, 0);
}

static void result(const char *what, int r) {
    printf("%s: %s\n", what, r < 0 ? strerror(-r) : "ok");
}

static void on_alarm(int s) { (void)s; }

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    snprintf(path, sizeof path, "%s/locked", argv[1]);
    parent = getpid();
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    char buf[100];
    memset(buf, 'x', sizeof buf);
    write(fd, buf, sizeof buf);

    printf("-- conflicts\n");
    result("parent WR [0,10)", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10));
    result("parent RD [20,30)", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 20, 10));
    probe("WR [0,100)", F_WRLCK, 0, 100);
    probe("WR [15,20)", F_WRLCK, 15, 5);
    probe("RD [20,25)", F_RDLCK, 20, 5);
    probe("WR [25,EOF)", F_WRLCK, 25, 0);
    /* Several conflicts: Linux reports the lowest of the owner's locks, not the first taken. */
    result("parent WR [50,55)", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 50, 5));
    result("parent RD [41,46)", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 41, 5));
    probe("WR [40,EOF)", F_WRLCK, 40, 0);
    probe("WR [47,EOF)", F_WRLCK, 47, 0);
    result("parent UN [40,60)", lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 40, 20));
    fflush(stdout);
    if (fork() == 0) {
        int cfd = open(path, O_RDWR);
        result("  child WR [5,6)", lk(cfd, F_SETLK, F_WRLCK, SEEK_SET, 5, 1));
        result("  child RD [20,30)", lk(cfd, F_SETLK, F_RDLCK, SEEK_SET, 20, 10));
        fflush(stdout);
        _exit(0);
    }
    wait(NULL);

    printf("-- split and merge\n");
    lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 100);
    lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 40, 10);
    probe("WR [45,46)", F_WRLCK, 45, 1);
    probe("WR [39,40)", F_WRLCK, 39, 1);
    probe("WR [50,51)", F_WRLCK, 50, 1);
    lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 40, 10);
    probe("WR [0,1) after merge", F_WRLCK, 0, 1);
    lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 10, 10);
    probe("RD [12,13) in converted part", F_RDLCK, 12, 1);
    probe("RD [5,6)", F_RDLCK, 5, 1);
    probe("RD [25,26)", F_RDLCK, 25, 1);

    printf("-- whence and lengths\n");
    lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
    lseek(fd, 50, SEEK_SET);
    lk(fd, F_SETLK, F_WRLCK, SEEK_CUR, -10, 5);
    probe("after SEEK_CUR -10 len 5", F_WRLCK, 0, 0);
    lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
    lk(fd, F_SETLK, F_WRLCK, SEEK_END, -10, 0);
    probe("after SEEK_END -10 len 0", F_WRLCK, 0, 0);
    lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
    lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 60, -10);
    probe("after start 60 len -10", F_WRLCK, 0, 0);

    printf("-- any close releases\n");
    lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 0);
    int other = open(path, O_RDONLY);
    close(other);
    probe("after closing another fd", F_WRLCK, 0, 0);

    printf("-- F_SETLKW\n");
    lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1);
    int p[2];
    pipe(p);
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        int cfd = open(path, O_RDWR);
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_alarm;
        sigaction(SIGALRM, &sa, NULL);
        struct itimerval it = {{0, 0}, {0, 50000}};
        setitimer(ITIMER_REAL, &it, NULL);
        result("  child waits, alarm", lk(cfd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1));
        fflush(stdout);
        write(p[1], "w", 1);
        result("  child waits until parent unlocks", lk(cfd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1));
        fflush(stdout);
        _exit(0);
    }
    char ch;
    read(p[0], &ch, 1);
    sleep_ms(100);
    printf("parent unlocks\n");
    fflush(stdout);
    lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 1);
    waitpid(c, NULL, 0);

    printf("-- deadlock\n");
    lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1);
    fflush(stdout);
    c = fork();
    if (c == 0) {
        int cfd = open(path, O_RDWR);
        lk(cfd, F_SETLK, F_WRLCK, SEEK_SET, 1, 1);
        write(p[1], "w", 1);
        result("  child waits for byte 0", lk(cfd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1));
        fflush(stdout);
        _exit(0);
    }
    read(p[0], &ch, 1);
    sleep_ms(150);
    result("parent waits for byte 1", lk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 1, 1));
    fflush(stdout);
    lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 1);
    waitpid(c, NULL, 0);

    printf("-- OFD locks\n");
    int a = open(path, O_RDWR), b = open(path, O_RDWR);
    result("OFD WR via a", lk(a, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 10));
    result("OFD WR via b (same process)", lk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 10));
    probe_with(b, F_OFD_GETLK, "OFD GETLK via b", F_WRLCK, SEEK_SET, 0, 1);
    probe_with(a, F_OFD_GETLK, "OFD GETLK via a", F_WRLCK, SEEK_SET, 0, 1);
    result("POSIX WR by same process", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 5, 1));
    result("OFD with l_pid set", ({ struct flock fl = {.l_type = F_WRLCK, .l_pid = 1}; fcntl(b, F_OFD_SETLK, &fl) < 0 ? -errno : 0; }));
    fflush(stdout);
    if (fork() == 0) {
        probe_with(a, F_OFD_GETLK, "  child via inherited a", F_WRLCK, SEEK_SET, 0, 1);
        fflush(stdout);
        _exit(0);
    }
    wait(NULL);
    int d = dup(a);
    close(a);
    probe_with(b, F_OFD_GETLK, "after closing a (dup open)", F_WRLCK, SEEK_SET, 0, 1);
    close(d);
    probe_with(b, F_OFD_GETLK, "after closing the dup", F_WRLCK, SEEK_SET, 0, 1);
    close(b);

    printf("-- errors\n");
    int wo = open(path, O_WRONLY), ro = open(path, O_RDONLY);
    result("RD on write-only fd", lk(wo, F_SETLK, F_RDLCK, SEEK_SET, 0, 1));
    result("WR on read-only fd", lk(ro, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
    result("bad type", lk(fd, F_SETLK, 7, SEEK_SET, 0, 1));
    result("bad whence", lk(fd, F_SETLK, F_WRLCK, 9, 0, 1));
    result("negative start", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, -5, 1));
    result("GETLK of UN", lk(fd, F_GETLK, F_UNLCK, SEEK_SET, 0, 1));
    result("bad fd", lk(999, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));

    printf("-- flock\n");
    result("parent LOCK_EX", flock(fd, LOCK_EX) < 0 ? -errno : 0);
    fflush(stdout);
    if (fork() == 0) {
        int cfd = open(path, O_RDONLY);
        result("  child LOCK_EX|LOCK_NB", flock(cfd, LOCK_EX | LOCK_NB) < 0 ? -errno : 0);
        result("  child LOCK_SH|LOCK_NB", flock(cfd, LOCK_SH | LOCK_NB) < 0 ? -errno : 0);
        write(p[1], "w", 1);
        result("  child LOCK_SH waits", flock(cfd, LOCK_SH) < 0 ? -errno : 0);
        fflush(stdout);
        _exit(0);
    }
    read(p[0], &ch, 1);
    sleep_ms(50);
    printf("parent LOCK_UN\n");
    fflush(stdout);
    flock(fd, LOCK_UN);
    wait(NULL);
    unlink(path);
    return 0;
}
