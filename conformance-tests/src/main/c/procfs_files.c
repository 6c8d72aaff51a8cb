/* Per-process /proc files a program reads and writes about itself: fdinfo (position, flags with
 * close-on-exec), fd links, comm written through /proc and through prctl and inherited by a
 * child, oom_score_adj written and read back, threads in status and task/, each thread's own
 * task/TID/stat, and the credential lines of status. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static char buf[1 << 16];

static long slurp(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    long n = 0, r;
    while ((r = read(fd, buf + n, sizeof buf - 1 - n)) > 0) n += r;
    close(fd);
    buf[n] = 0;
    return n;
}

static const char *line(const char *text, const char *name) {
    static char bufs[2][256];
    static int next;
    char *v = bufs[next++ % 2]; /* two results may be used in one printf */
    const char *p = strstr(text, name);
    if (!p) return "(missing)";
    int i = 0;
    while (p[i] && p[i] != '\n' && i < 255) { v[i] = p[i]; i++; }
    v[i] = 0;
    return v;
}

static void fdinfo(int fd, const char *what) {
    char p[64];
    snprintf(p, sizeof p, "/proc/self/fdinfo/%d", fd);
    slurp(p);
    printf("%s: %s, %s\n", what, line(buf, "pos:"), line(buf, "flags:"));
}

static int write_file(const char *path, const char *text, size_t len) {
    int fd = open(path, O_WRONLY | O_TRUNC);
    if (fd < 0) return -1;
    int r = write(fd, text, len);
    close(fd);
    return r;
}

static pthread_barrier_t started, done;
static int thread_stat_ok;

static void *worker(void *arg) {
    char p[64], own[512];  /* not the shared buf: both threads read at once */
    pid_t tid = syscall(SYS_gettid);
    snprintf(p, sizeof p, "/proc/self/task/%d/stat", tid);
    int fd = open(p, O_RDONLY);
    long n = fd < 0 ? -1 : read(fd, own, sizeof own - 1);
    if (fd >= 0) close(fd);
    own[n > 0 ? n : 0] = 0;
    if (n > 0 && atoi(own) == tid) __atomic_add_fetch(&thread_stat_ok, 1, __ATOMIC_SEQ_CST);
    pthread_barrier_wait(&started);
    pthread_barrier_wait(&done);
    return arg;
}

int main(void) {
    int fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
    lseek(fd, 5, SEEK_SET);
    fdinfo(fd, "read-only cloexec at 5");
    int w = open("/dev/null", O_WRONLY | O_APPEND);
    fdinfo(w, "write-only append");
    int nb = open("/dev/null", O_RDWR | O_NONBLOCK);
    fdinfo(nb, "read-write nonblock");
    char p[64], link[4096];
    snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
    ssize_t l = readlink(p, link, sizeof link - 1);
    link[l > 0 ? l : 0] = 0;
    printf("fd link: %s\n", link);
    int pfd[2];
    pipe(pfd);
    snprintf(p, sizeof p, "/proc/self/fd/%d", pfd[0]);
    l = readlink(p, link, sizeof link - 1);
    link[l > 0 ? l : 0] = 0;
    printf("pipe link looks like a pipe: %d\n", strncmp(link, "pipe:[", 6) == 0);

    slurp("/proc/self/comm");
    printf("comm: %s", buf);
    printf("write comm: %d\n", write_file("/proc/self/comm", "a-much-longer-name-than-fits", 28));
    slurp("/proc/self/comm");
    printf("comm after write: %s", buf);
    char name[32] = {0};
    prctl(PR_GET_NAME, name);
    printf("PR_GET_NAME: %s\n", name);
    prctl(PR_SET_NAME, "via-prctl");
    slurp("/proc/self/stat");
    char comm[64];
    sscanf(buf, "%*d (%63[^)])", comm);
    printf("stat comm after prctl: %s\n", comm);
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        slurp("/proc/self/comm");
        printf("child comm: %s", buf);
        fflush(stdout);
        _exit(0);
    }
    waitpid(c, NULL, 0);

    printf("write oom_score_adj: %d\n", write_file("/proc/self/oom_score_adj", "500\n", 4));
    slurp("/proc/self/oom_score_adj");
    printf("oom_score_adj: %s", buf);
    printf("write out of range: %d\n", write_file("/proc/self/oom_score_adj", "5000", 4));

    pthread_barrier_init(&started, NULL, 3);
    pthread_barrier_init(&done, NULL, 3);
    pthread_t t[2];
    for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, worker, NULL);
    pthread_barrier_wait(&started);
    slurp("/proc/self/status");
    printf("%s\n", line(buf, "Threads:"));
    int tasks = 0;
    DIR *d = opendir("/proc/self/task");
    struct dirent *e;
    while ((e = readdir(d))) if (e->d_name[0] != '.') tasks++;
    closedir(d);
    printf("task entries: %d, threads read their own task/TID/stat: %d\n", tasks, thread_stat_ok);
    pthread_barrier_wait(&done);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    /* A joined thread may still be finishing its exit, natively too: wait until it is gone. */
    for (int i = 0; i < 200; i++) {
        slurp("/proc/self/status");
        if (strcmp(line(buf, "Threads:"), "Threads:\t1") == 0) break;
        usleep(10000);
    }
    printf("after join %s\n", line(buf, "Threads:"));
    printf("%s\n%s\n", line(buf, "Uid:"), line(buf, "Gid:"));
    printf("%s\n", line(buf, "State:"));
    return 0;
}
