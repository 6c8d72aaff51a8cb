/* inotify in the directory argv[1]: create, modify, attribute change, rename pair (same cookie),
   delete, delete of the watched directory (IN_DELETE_SELF, IN_IGNORED), nonblocking reads,
   poll readiness, a blocking read woken by a child's change, and the errors Linux gives. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *names(unsigned m) {
    static char buf[256];
    buf[0] = 0;
    static const struct { unsigned bit; const char *name; } k[] = {
        {IN_ACCESS, "ACCESS"}, {IN_MODIFY, "MODIFY"}, {IN_ATTRIB, "ATTRIB"}, {IN_CLOSE_WRITE, "CLOSE_WRITE"},
        {IN_CLOSE_NOWRITE, "CLOSE_NOWRITE"}, {IN_OPEN, "OPEN"}, {IN_MOVED_FROM, "MOVED_FROM"}, {IN_MOVED_TO, "MOVED_TO"},
        {IN_CREATE, "CREATE"}, {IN_DELETE, "DELETE"}, {IN_DELETE_SELF, "DELETE_SELF"}, {IN_IGNORED, "IGNORED"},
        {IN_ISDIR, "ISDIR"}};
    for (unsigned i = 0; i < sizeof k / sizeof k[0]; i++)
        if (m & k[i].bit) { strcat(buf, buf[0] ? "|" : ""); strcat(buf, k[i].name); }
    return buf;
}

static unsigned last_cookie;

static void drain(int fd, int wd1, const char *label) {
    char buf[4096] __attribute__((aligned(8)));
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0) {
        if (!(errno == EAGAIN && strcmp(label, "child") == 0)) printf("%s: read errno %d\n", label, errno);
        return;
    }
    for (char *p = buf; p < buf + n; ) {
        struct inotify_event *e = (struct inotify_event *)p;
        const char *cookie = "";
        if (e->mask & IN_MOVED_FROM) last_cookie = e->cookie;
        if (e->mask & IN_MOVED_TO) cookie = e->cookie == last_cookie && e->cookie ? " (same cookie)" : " (other cookie)";
        printf("%s: %s %s%s%s\n", label, e->wd == wd1 ? "dir" : "other", names(e->mask), e->len ? " " : "",
               e->len ? e->name : "");
        if (*cookie) printf("  %s\n", cookie);
        p += sizeof *e + e->len;
    }
}

int main(int argc, char **argv) {
    if (argc < 2 || chdir(argv[1]) != 0) return 2;
    mkdir("w", 0755);
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    printf("cloexec: %d\n", (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
    int wd = inotify_add_watch(fd, "w", IN_CREATE | IN_MODIFY | IN_ATTRIB | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE |
                                             IN_DELETE_SELF | IN_CLOSE_WRITE);
    printf("watch: %s\n", wd > 0 ? "ok" : "failed");
    char b[8];
    ssize_t got = read(fd, b, sizeof b);
    printf("empty read: %zd errno %d\n", got, errno);
    int f = open("w/a", O_WRONLY | O_CREAT, 0644);
    write(f, "x", 1);
    close(f);
    chmod("w/a", 0600);
    rename("w/a", "w/b");
    mkdir("w/sub", 0755);
    unlink("w/b");
    struct pollfd p = {fd, POLLIN, 0};
    int ready = poll(&p, 1, 1000);
    printf("poll: %d revents %d\n", ready, p.revents);
    drain(fd, wd, "batch 1");
    int fl = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(100000);
        int g = open("w/late", O_WRONLY | O_CREAT, 0644);
        close(g);
        _exit(0);
    }
    drain(fd, wd, "child"); /* blocks until the child's first event; the rest may come in this read or the next */
    waitpid(pid, NULL, 0);
    fcntl(fd, F_SETFL, fl);
    drain(fd, wd, "child");
    rmdir("w/sub");
    unlink("w/late");
    rmdir("w");
    drain(fd, wd, "removed");
#define TRY(label, call) do { errno = 0; int r_ = (call); printf("%s: %d errno %d\n", label, r_, errno); } while (0)
    TRY("missing path", inotify_add_watch(fd, "nope", IN_CREATE));
    TRY("bad mask", inotify_add_watch(fd, ".", 0));
    TRY("not inotify", inotify_add_watch(1, ".", IN_CREATE));
    TRY("rm bad wd", inotify_rm_watch(fd, 12345));
    TRY("bad flags", inotify_init1(0x1));
    return 0;
}
