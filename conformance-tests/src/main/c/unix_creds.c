/* SO_PEERCRED and SCM_CREDENTIALS between processes: a socketpair's ends report their creator,
 * a connection reports the listener to the connector and the connector to the acceptor, and
 * SO_PASSCRED messages carry the sending process. Pids are printed as relations only. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *who(pid_t pid, pid_t self, pid_t other) {
    return pid == self ? "self" : pid == other ? "other" : "unrelated";
}

static void peercred(const char *label, int fd, pid_t self, pid_t other) {
    struct ucred c; socklen_t len = sizeof c;
    int r = getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &c, &len);
    printf("%s: SO_PEERCRED %d len %u pid=%s uid ok %d gid ok %d\n", label, r, len, who(c.pid, self, other),
           c.uid == geteuid(), c.gid == getegid());
}

/* Receives one byte with SO_PASSCRED on; prints whose pid the credentials name. */
static void recvcred(const char *label, int fd, pid_t self, pid_t other) {
    char b; struct iovec io = {&b, 1};
    union { char buf[CMSG_SPACE(sizeof(struct ucred))]; struct cmsghdr align; } u;
    struct msghdr m = {.msg_iov = &io, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
    ssize_t n = recvmsg(fd, &m, 0);
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    if (n != 1 || !c || c->cmsg_type != SCM_CREDENTIALS) { printf("%s: recvmsg %zd no credentials\n", label, n); return; }
    struct ucred uc; memcpy(&uc, CMSG_DATA(c), sizeof uc);
    printf("%s: '%c' from pid=%s uid ok %d\n", label, b, who(uc.pid, self, other), uc.uid == getuid());
}

/* Sends one byte, naming the sender explicitly in SCM_CREDENTIALS when explicit is set. */
static void sendcred(int fd, char b, int explicit) {
    struct iovec io = {&b, 1};
    union { char buf[CMSG_SPACE(sizeof(struct ucred))]; struct cmsghdr align; } u;
    struct msghdr m = {.msg_iov = &io, .msg_iovlen = 1};
    if (explicit) {
        m.msg_control = u.buf; m.msg_controllen = sizeof u.buf;
        struct cmsghdr *c = CMSG_FIRSTHDR(&m);
        c->cmsg_level = SOL_SOCKET; c->cmsg_type = SCM_CREDENTIALS; c->cmsg_len = CMSG_LEN(sizeof(struct ucred));
        struct ucred uc = {getpid(), getuid(), getgid()};
        memcpy(CMSG_DATA(c), &uc, sizeof uc);
    }
    if (sendmsg(fd, &m, 0) != 1) perror("sendmsg");
}

static void pair(int type, const char *name) {
    int sv[2], one = 1;
    socketpair(AF_UNIX, type, 0, sv);
    setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
    pid_t parent = getpid(), child = fork();
    if (child == 0) {
        close(sv[0]);
        char label[64];
        snprintf(label, sizeof label, "%s child", name);
        peercred(label, sv[1], getpid(), parent);
        sendcred(sv[1], 'a', 0);
        sendcred(sv[1], 'b', 1);
        _exit(0);
    }
    close(sv[1]);
    char label[64]; /* the child prints before it sends, the parent after it receives */
    snprintf(label, sizeof label, "%s parent", name);
    recvcred(label, sv[0], parent, child);
    recvcred(label, sv[0], parent, child);
    peercred(label, sv[0], parent, child);
    waitpid(child, NULL, 0);
    close(sv[0]);
}

static void listener(int abstract) {
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path + (abstract ? 1 : 0), sizeof a.sun_path - 1, "%s/lxrun-creds-%d", abstract ? "" : "/tmp", getpid());
    socklen_t alen = offsetof(struct sockaddr_un, sun_path) + (abstract ? 1 + strlen(a.sun_path + 1) : strlen(a.sun_path) + 1);
    if (!abstract) unlink(a.sun_path);
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    int b = bind(l, (struct sockaddr *)&a, alen);
    printf("%s bind %d listen %d\n", abstract ? "abstract" : "path", b, listen(l, 4));
    pid_t parent = getpid(), child = fork();
    if (child == 0) {
        int s = socket(AF_UNIX, SOCK_STREAM, 0), one = 1;
        setsockopt(s, SOL_SOCKET, SO_PASSCRED, &one, sizeof one); /* before anything can arrive */
        if (connect(s, (struct sockaddr *)&a, alen) != 0) { perror("connect"); _exit(1); }
        peercred("connector", s, getpid(), parent);
        recvcred("connector", s, getpid(), parent);
        _exit(0);
    }
    int c = accept(l, NULL, NULL);
    sendcred(c, 'z', 0);
    waitpid(child, NULL, 0); /* the connector has printed: the acceptor's line comes second */
    peercred("acceptor", c, parent, child);
    close(c); close(l);
    if (!abstract) unlink(a.sun_path);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    pair(SOCK_STREAM, "stream");
    pair(SOCK_DGRAM, "dgram");
    pair(SOCK_SEQPACKET, "seqpacket");
    listener(1);
    listener(0);
    return 0;
}
