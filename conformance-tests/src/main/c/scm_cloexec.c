/* Descriptors received with SCM_RIGHTS: close-on-exec exactly when recvmsg/recvmmsg got
 * MSG_CMSG_CLOEXEC, checked with F_GETFD and by exec'ing this program again to see which of
 * the received descriptors survived. Descriptor numbers are never printed, only states. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Sends n copies of fd in one SCM_RIGHTS message with one byte of data. */
static void send_fds(int sock, int fd, int n) {
    int fds[3] = {fd, fd, fd};
    char b = 'x';
    struct iovec io = {&b, 1};
    union { char buf[CMSG_SPACE(sizeof fds)]; struct cmsghdr align; } u;
    struct msghdr m = {.msg_iov = &io, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = CMSG_SPACE(n * sizeof(int))};
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET; c->cmsg_type = SCM_RIGHTS; c->cmsg_len = CMSG_LEN(n * sizeof(int));
    memcpy(CMSG_DATA(c), fds, n * sizeof(int));
    if (sendmsg(sock, &m, 0) != 1) perror("sendmsg");
}

/* The descriptors of the first SCM_RIGHTS message in m; returns how many. */
static int rights(struct msghdr *m, int *out) {
    struct cmsghdr *c = CMSG_FIRSTHDR(m);
    if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) return 0;
    int n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    memcpy(out, CMSG_DATA(c), n * sizeof(int));
    return n;
}

static void show(const char *label, int n, const int *fds) {
    printf("%s: %d fd(s)", label, n);
    for (int i = 0; i < n; i++) {
        int f = fcntl(fds[i], F_GETFD);
        printf(" %s", f < 0 ? "bad" : (f & FD_CLOEXEC) ? "cloexec" : "inherit");
    }
    printf("\n");
}

/* recvmsg one message with flags; stores its descriptors in fds. */
static int receive(int sock, int flags, int *fds) {
    char b;
    struct iovec io = {&b, 1};
    union { char buf[CMSG_SPACE(3 * sizeof(int))]; struct cmsghdr align; } u;
    struct msghdr m = {.msg_iov = &io, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
    if (recvmsg(sock, &m, flags) != 1) { perror("recvmsg"); return 0; }
    return rights(&m, fds);
}

/* recvmmsg of two messages at once with flags; stores the descriptors of both in fds. */
static int receive_batch(int sock, int flags, int *fds) {
    char b[2];
    struct iovec io[2] = {{&b[0], 1}, {&b[1], 1}};
    union { char buf[CMSG_SPACE(3 * sizeof(int))]; struct cmsghdr align; } u[2];
    struct mmsghdr mm[2];
    memset(mm, 0, sizeof mm);
    for (int i = 0; i < 2; i++) {
        mm[i].msg_hdr.msg_iov = &io[i]; mm[i].msg_hdr.msg_iovlen = 1;
        mm[i].msg_hdr.msg_control = u[i].buf; mm[i].msg_hdr.msg_controllen = sizeof u[i].buf;
    }
    int got = recvmmsg(sock, mm, 2, flags, NULL);
    if (got != 2) { printf("recvmmsg: %d\n", got); return 0; }
    int n = rights(&mm[0].msg_hdr, fds);
    return n + rights(&mm[1].msg_hdr, fds + n);
}

/* After exec: which of the descriptors named in argv are still open. */
static int after_exec(int argc, char **argv) {
    printf("after exec:");
    for (int i = 2; i < argc; i++) {
        int fd = atoi(argv[i]);
        printf(" %s", fcntl(fd, F_GETFD) < 0 ? "closed" : "open");
    }
    printf("\n");
    return 0;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && strcmp(argv[1], "exec") == 0) return after_exec(argc, argv);
    int sv[2], p[2];
    if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) != 0 || pipe(p) != 0) { perror("setup"); return 1; }
    int plain[3], cloexec[3], batch[6], again[3];

    send_fds(sv[0], p[1], 1);
    show("recvmsg", receive(sv[1], 0, plain), plain);
    send_fds(sv[0], p[1], 3);
    int nc = receive(sv[1], MSG_CMSG_CLOEXEC, cloexec);
    show("recvmsg MSG_CMSG_CLOEXEC", nc, cloexec);
    send_fds(sv[0], p[1], 1);
    send_fds(sv[0], p[1], 2);
    int nb = receive_batch(sv[1], MSG_CMSG_CLOEXEC, batch);
    show("recvmmsg MSG_CMSG_CLOEXEC", nb, batch);
    send_fds(sv[0], p[1], 2);
    int na = receive(sv[1], 0, again);
    show("recvmsg again without", na, again);

    /* A received descriptor is the very pipe: what goes in comes out of the original. */
    char msg[] = "through a received fd", got[sizeof msg] = {0};
    printf("write via received: %zd\n", write(cloexec[0], msg, sizeof msg - 1));
    printf("read from original: %zd [%s]\n", read(p[0], got, sizeof got - 1), got);

    /* fd states across exec: those received without MSG_CMSG_CLOEXEC stay, the others close. */
    pid_t c = fork();
    if (c == 0) {
        char a[5][16];
        snprintf(a[0], sizeof a[0], "%d", plain[0]);
        snprintf(a[1], sizeof a[1], "%d", cloexec[0]);
        snprintf(a[2], sizeof a[2], "%d", cloexec[2]);
        snprintf(a[3], sizeof a[3], "%d", batch[2]);
        snprintf(a[4], sizeof a[4], "%d", again[1]);
        execl("/proc/self/exe", argv[0], "exec", a[0], a[1], a[2], a[3], a[4], (char *)NULL);
        perror("execl");
        _exit(127);
    }
    int st;
    waitpid(c, &st, 0);
    printf("child exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    return 0;
}
