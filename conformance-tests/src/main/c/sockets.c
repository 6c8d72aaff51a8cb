/* Sockets: a TCP server and client over loopback (fork), UDP datagrams, socketpair with an open
 * file passed by SCM_RIGHTS, getsockname, shutdown giving EOF, and errors Linux reports. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int srv = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK), .sin_port = 0};
    printf("bind: %d\n", bind(srv, (struct sockaddr *)&a, sizeof a));
    socklen_t len = sizeof a;
    getsockname(srv, (struct sockaddr *)&a, &len);
    printf("ephemeral port assigned: %d\n", ntohs(a.sin_port) > 0);
    printf("listen: %d\n", listen(srv, 4));
    pid_t c = fork();
    if (c == 0) {
        int s = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) _exit(3);
        const char *msg = "ping over tcp";
        write(s, msg, strlen(msg));
        shutdown(s, SHUT_WR);
        char buf[64] = {0};
        int n = read(s, buf, sizeof buf - 1);
        _exit(n == 4 && memcmp(buf, "pong", 4) == 0 ? 0 : 4);
    }
    struct sockaddr_in peer; socklen_t plen = sizeof peer;
    int conn = accept4(srv, (struct sockaddr *)&peer, &plen, SOCK_CLOEXEC);
    printf("accepted from loopback: %d\n", peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
    char buf[128] = {0}; int total = 0, n;
    while ((n = read(conn, buf + total, sizeof buf - 1 - total)) > 0) total += n;
    printf("server read [%s] then EOF %d\n", buf, n);
    write(conn, "pong", 4);
    close(conn);
    int st; waitpid(c, &st, 0);
    printf("client exit %d\n", WEXITSTATUS(st));
    int u1 = socket(AF_INET, SOCK_DGRAM, 0), u2 = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in ua = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(u2, (struct sockaddr *)&ua, sizeof ua);
    len = sizeof ua; getsockname(u2, (struct sockaddr *)&ua, &len);
    printf("sendto: %zd\n", sendto(u1, "datagram", 8, 0, (struct sockaddr *)&ua, sizeof ua));
    memset(buf, 0, sizeof buf);
    struct sockaddr_in from; socklen_t flen = sizeof from;
    ssize_t got_n = recvfrom(u2, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
    printf("recvfrom: %zd [%s] family %d\n", got_n, buf, from.sin_family);
    int sv[2];
    printf("socketpair: %d\n", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    int pipefd[2]; pipe(pipefd);
    write(pipefd[1], "through a passed fd", 19);
    close(pipefd[1]);
    struct msghdr m = {0};
    char data = 'x';
    struct iovec io = {&data, 1};
    char cbuf[CMSG_SPACE(sizeof(int))];
    memset(cbuf, 0, sizeof cbuf);
    m.msg_iov = &io; m.msg_iovlen = 1; m.msg_control = cbuf; m.msg_controllen = sizeof cbuf;
    struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
    cm->cmsg_level = SOL_SOCKET; cm->cmsg_type = SCM_RIGHTS; cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &pipefd[0], sizeof(int));
    printf("sendmsg: %zd\n", sendmsg(sv[0], &m, 0));
    close(pipefd[0]);
    struct msghdr r = {0};
    char got; struct iovec rio = {&got, 1};
    char rbuf[CMSG_SPACE(sizeof(int))];
    r.msg_iov = &rio; r.msg_iovlen = 1; r.msg_control = rbuf; r.msg_controllen = sizeof rbuf;
    ssize_t rn = recvmsg(sv[1], &r, 0);
    printf("recvmsg: %zd '%c'\n", rn, got);
    struct cmsghdr *rc = CMSG_FIRSTHDR(&r);
    int passed = -1;
    if (rc && rc->cmsg_type == SCM_RIGHTS) memcpy(&passed, CMSG_DATA(rc), sizeof(int));
    memset(buf, 0, sizeof buf);
    int pn = (int)read(passed, buf, sizeof buf);
    printf("read from passed fd: [%.*s]\n", pn, buf);
    errno = 0;
    printf("connect refused: %d %s\n", connect(socket(AF_INET, SOCK_STREAM, 0), (struct sockaddr *)&ua, sizeof ua),
           errno == ECONNREFUSED ? "ECONNREFUSED" : strerror(errno));
    errno = 0;
    printf("bad family: %d %s\n", socket(12345, SOCK_STREAM, 0), errno == EAFNOSUPPORT ? "EAFNOSUPPORT" : strerror(errno));
    return 0;
}
