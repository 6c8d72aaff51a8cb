/* SO_PASSCRED without explicit credentials: every message received on an AF_UNIX socket with
 * SO_PASSCRED carries SCM_CREDENTIALS naming the process that sent it, whatever call sent it
 * (write, writev, sendfile, send, sendto and sendmsg to an address from an unbound socket,
 * and a reply to the name the host gave an unbound sender).
 * Each sender is a fresh child, so a receiver that reported an earlier sender would show.
 * Pids are printed as relations only. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

enum how { WRITE, WRITEV, SENDFILE, SEND, SENDTO_ADDR, SENDMSG_ADDR, CONNECT_WRITE };

static struct sockaddr_un addr;
static socklen_t addrlen;
static char payload_file[64];

/* Sends one byte c from fd as how says; an address-taking way sends from a new unbound socket. */
static int send_one(int fd, enum how how, char c) {
    switch (how) {
    case WRITE: return write(fd, &c, 1);
    case WRITEV: { struct iovec io = {&c, 1}; return writev(fd, &io, 1); }
    case SENDFILE: {
        int f = open(payload_file, O_RDONLY);
        off_t off = c - 'a';
        ssize_t n = sendfile(fd, f, &off, 1);
        close(f);
        return n;
    }
    case SEND: return send(fd, &c, 1, 0);
    case SENDTO_ADDR: {
        int s = socket(AF_UNIX, SOCK_DGRAM, 0);
        return sendto(s, &c, 1, 0, (struct sockaddr *)&addr, addrlen);
    }
    case SENDMSG_ADDR: {
        int s = socket(AF_UNIX, SOCK_DGRAM, 0);
        struct iovec io = {&c, 1};
        struct msghdr m = {.msg_name = &addr, .msg_namelen = addrlen, .msg_iov = &io, .msg_iovlen = 1};
        return sendmsg(s, &m, 0);
    }
    case CONNECT_WRITE: {
        int s = socket(AF_UNIX, SOCK_DGRAM, 0);
        if (connect(s, (struct sockaddr *)&addr, addrlen) != 0) return -1;
        return write(s, &c, 1);
    }
    }
    return -1;
}

/* Receives one byte on fd and prints whether its credentials name the expected sender. */
static void expect(const char *label, int fd, pid_t sender) {
    char b; struct iovec io = {&b, 1};
    union { char buf[CMSG_SPACE(sizeof(struct ucred))]; struct cmsghdr align; } u;
    struct msghdr m = {.msg_iov = &io, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
    ssize_t n = recvmsg(fd, &m, 0);
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    if (n != 1 || !c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_CREDENTIALS) {
        printf("%s: recvmsg %zd, no credentials\n", label, n);
        return;
    }
    struct ucred uc; memcpy(&uc, CMSG_DATA(c), sizeof uc);
    printf("%s: '%c' pid matches sender: %s, uid ok %d, gid ok %d\n", label, b, uc.pid == sender ? "yes" : "no",
           uc.uid == getuid(), uc.gid == getgid());
}

/* A child sends one byte from fd (closing keep_out first) and exits; then the parent receives it. */
static void from_child(const char *label, int fd, int keep_out, int rx, enum how how, char c) {
    pid_t child = fork();
    if (child == 0) {
        if (keep_out >= 0) close(keep_out);
        _exit(send_one(fd, how, c) == 1 ? 0 : 1);
    }
    int st; waitpid(child, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) printf("%s: sender failed\n", label);
    expect(label, rx, child);
}

static void pairs(int type, const char *name) {
    int sv[2], one = 1;
    char label[64];
    socketpair(AF_UNIX, type, 0, sv);
    setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
    static const enum how hows[] = {WRITE, WRITEV, SEND, SENDFILE};
    static const char *names[] = {"write", "writev", "send", "sendfile"};
    for (int i = 0; i < 4; i++) {
        if (type != SOCK_STREAM && hows[i] == SENDFILE) continue;
        snprintf(label, sizeof label, "%s %s by child", name, names[i]);
        from_child(label, sv[1], sv[0], sv[0], hows[i], 'a' + i);
    }
    snprintf(label, sizeof label, "%s write by self", name);
    send_one(sv[1], WRITE, 'p');
    expect(label, sv[0], getpid());
    close(sv[0]); close(sv[1]);
}

static void datagrams(int abstract) {
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    snprintf(addr.sun_path + (abstract ? 1 : 0), sizeof addr.sun_path - 1, "%s/lxrun-passcred-%d", abstract ? "" : "/tmp", getpid());
    addrlen = offsetof(struct sockaddr_un, sun_path) + (abstract ? 1 + strlen(addr.sun_path + 1) : strlen(addr.sun_path) + 1);
    if (!abstract) unlink(addr.sun_path);
    int rx = socket(AF_UNIX, SOCK_DGRAM, 0), one = 1;
    if (bind(rx, (struct sockaddr *)&addr, addrlen) != 0) { perror("bind"); return; }
    setsockopt(rx, SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
    const char *kind = abstract ? "abstract" : "path";
    char label[64];
    snprintf(label, sizeof label, "%s sendto from unbound child", kind);
    from_child(label, -1, rx, rx, SENDTO_ADDR, 's');
    snprintf(label, sizeof label, "%s sendmsg from unbound child", kind);
    from_child(label, -1, rx, rx, SENDMSG_ADDR, 'm');
    snprintf(label, sizeof label, "%s connect+write by child", kind);
    from_child(label, -1, rx, rx, CONNECT_WRITE, 'c');
    snprintf(label, sizeof label, "%s sendto by self", kind);
    int s = socket(AF_UNIX, SOCK_DGRAM, 0);
    sendto(s, "t", 1, 0, (struct sockaddr *)&addr, addrlen);
    expect(label, rx, getpid());
    close(s); close(rx);
    if (!abstract) unlink(addr.sun_path);
}

/* A connection: the acceptor has SO_PASSCRED and a child of the connector writes to it. */
static void connection(void) {
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path + 1, sizeof a.sun_path - 1, "lxrun-passcred-conn-%d", getpid());
    socklen_t alen = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(a.sun_path + 1);
    int l = socket(AF_UNIX, SOCK_STREAM, 0), one = 1;
    bind(l, (struct sockaddr *)&a, alen);
    listen(l, 1);
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *)&a, alen);
    int s = accept(l, NULL, NULL);
    setsockopt(s, SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
    setsockopt(c, SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
    from_child("accepted: write by connector's child", c, -1, s, WRITE, 'k');
    from_child("connector: write by acceptor's child", s, -1, c, WRITE, 'j');
    close(s); close(c); close(l);
}

/* A reply to an unbound client with SO_PASSCRED: the host gives the client an abstract name
 * when it sends, the server (a child) replies to that name. */
static void reply_to_autobound(void) {
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path + 1, sizeof a.sun_path - 1, "lxrun-passcred-server-%d", getpid());
    socklen_t alen = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(a.sun_path + 1);
    int server = socket(AF_UNIX, SOCK_DGRAM, 0), client = socket(AF_UNIX, SOCK_DGRAM, 0), one = 1;
    bind(server, (struct sockaddr *)&a, alen);
    setsockopt(client, SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
    pid_t child = fork();
    if (child == 0) {
        struct sockaddr_un from; socklen_t flen = sizeof from; char b;
        if (recvfrom(server, &b, 1, 0, (struct sockaddr *)&from, &flen) != 1 || flen <= offsetof(struct sockaddr_un, sun_path)) _exit(1);
        _exit(sendto(server, "r", 1, 0, (struct sockaddr *)&from, flen) == 1 ? 0 : 2);
    }
    sendto(client, "q", 1, 0, (struct sockaddr *)&a, alen);
    int st; waitpid(child, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) printf("autobound: server failed\n");
    expect("reply to autobound client", client, child);
    close(server); close(client);
}

/* Without SO_PASSCRED on the receiver no credentials arrive. */
static void without_passcred(void) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    write(sv[1], "n", 1);
    expect("without SO_PASSCRED", sv[0], getpid());
    close(sv[0]); close(sv[1]);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    snprintf(payload_file, sizeof payload_file, "/tmp/lxrun-passcred-file-%d", getpid());
    FILE *f = fopen(payload_file, "w");
    fputs("abcdefgh", f);
    fclose(f);
    pairs(SOCK_STREAM, "stream");
    pairs(SOCK_DGRAM, "dgram");
    pairs(SOCK_SEQPACKET, "seqpacket");
    datagrams(0);
    datagrams(1);
    connection();
    reply_to_autobound();
    without_passcred();
    unlink(payload_file);
    return 0;
}
