/* Socket options and flags as Linux reports them: option get/set round trips, receive and send
 * flags, non-blocking connect, FIONREAD/FIONBIO, IPv6 loopback, UDP connected and not, unix
 * datagram/seqpacket/abstract sockets, and families that do not exist. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *err(long r) { return r >= 0 ? "ok" : errno == EAGAIN ? "EAGAIN" : errno == EINPROGRESS ? "EINPROGRESS"
        : errno == EPIPE ? "EPIPE" : errno == ECONNREFUSED ? "ECONNREFUSED" : errno == EAFNOSUPPORT ? "EAFNOSUPPORT"
        : errno == EINVAL ? "EINVAL" : errno == ENOPROTOOPT ? "ENOPROTOOPT" : errno == EADDRINUSE ? "EADDRINUSE"
        : errno == EOPNOTSUPP ? "EOPNOTSUPP" : strerror(errno); }

/* One call per line: the call is an argument, so errno is read right after it. */
static void show(const char *label, long r) {
    printf("%s: %ld %s\n", label, r, err(r));
}

static int geti(int fd, int level, int name) {
    int v = -1; socklen_t len = sizeof v;
    if (getsockopt(fd, level, name, &v, &len) != 0) return -errno;
    return v;
}

static volatile sig_atomic_t sigpipes;
static void on_pipe(int s) { (void)s; sigpipes++; }

static void options(void) {
    int s = socket(AF_INET, SOCK_STREAM, 0), one = 1, size = 65536;
    printf("defaults: reuseaddr %d reuseport %d keepalive %d nodelay %d error %d type %d\n", geti(s, SOL_SOCKET, SO_REUSEADDR),
           geti(s, SOL_SOCKET, SO_REUSEPORT), geti(s, SOL_SOCKET, SO_KEEPALIVE), geti(s, IPPROTO_TCP, TCP_NODELAY),
           geti(s, SOL_SOCKET, SO_ERROR), geti(s, SOL_SOCKET, SO_TYPE));
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(s, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(s, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    setsockopt(s, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    printf("set: reuseaddr %d reuseport %d keepalive %d nodelay %d rcvbuf %d sndbuf %d\n", geti(s, SOL_SOCKET, SO_REUSEADDR) != 0,
           geti(s, SOL_SOCKET, SO_REUSEPORT) != 0, geti(s, SOL_SOCKET, SO_KEEPALIVE) != 0, geti(s, IPPROTO_TCP, TCP_NODELAY) != 0,
           geti(s, SOL_SOCKET, SO_RCVBUF), geti(s, SOL_SOCKET, SO_SNDBUF));
    struct timeval tv = {1, 500000}, got = {0}; socklen_t len = sizeof got;
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &got, &len);
    printf("rcvtimeo %ld.%06ld len %u\n", (long)got.tv_sec, (long)got.tv_usec, len);
    tv.tv_sec = 2; setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    len = sizeof got; getsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &got, &len);
    printf("sndtimeo %ld.%06ld\n", (long)got.tv_sec, (long)got.tv_usec);
    struct linger lg = {1, 0}, lgot = {0}; len = sizeof lgot;
    setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    getsockopt(s, SOL_SOCKET, SO_LINGER, &lgot, &len);
    printf("linger %d %d len %u\n", lgot.l_onoff, lgot.l_linger, len);
    show("bad level", setsockopt(s, 9999, 1, &one, sizeof one));
    show("short optlen", setsockopt(s, SOL_SOCKET, SO_LINGER, &one, 1));
    close(s);
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    printf("udp type %d\n", geti(u, SOL_SOCKET, SO_TYPE));
    close(u);
    int s6 = socket(AF_INET6, SOCK_STREAM, 0), zero = 0;
    printf("v6only default %d\n", geti(s6, IPPROTO_IPV6, IPV6_V6ONLY));
    setsockopt(s6, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    printf("v6only set %d\n", geti(s6, IPPROTO_IPV6, IPV6_V6ONLY));
    setsockopt(s6, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
    printf("v6only cleared %d\n", geti(s6, IPPROTO_IPV6, IPV6_V6ONLY));
    close(s6);
}

/* A connected TCP pair over loopback (IPv4 or IPv6). */
static void tcp_pair(int family, int sv[2]) {
    int l = socket(family, SOCK_STREAM, 0);
    struct sockaddr_storage ss = {0}; socklen_t len;
    if (family == AF_INET6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6; a->sin6_addr = in6addr_loopback; len = sizeof *a;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET; a->sin_addr.s_addr = htonl(INADDR_LOOPBACK); len = sizeof *a;
    }
    bind(l, (struct sockaddr *)&ss, len);
    listen(l, 1);
    getsockname(l, (struct sockaddr *)&ss, &len);
    sv[0] = socket(family, SOCK_STREAM, 0);
    if (connect(sv[0], (struct sockaddr *)&ss, len) != 0) perror("connect");
    sv[1] = accept(l, NULL, NULL);
    close(l);
}

static void flags(void) {
    int sv[2]; char buf[64];
    tcp_pair(AF_INET, sv);
    show("dontwait empty", recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
    send(sv[0], "peekaboo", 8, 0);
    usleep(50000);
    int avail = -1;
    show("FIONREAD", ioctl(sv[1], FIONREAD, &avail));
    printf("available %d\n", avail);
    ssize_t n = recv(sv[1], buf, 4, MSG_PEEK);
    printf("peek %zd [%.*s]\n", n, (int)n, buf);
    n = recv(sv[1], buf, sizeof buf, 0);
    printf("read after peek %zd [%.*s]\n", n, (int)n, buf);
    int on = 1;
    show("FIONBIO", ioctl(sv[1], FIONBIO, &on));
    show("nonblocking read", read(sv[1], buf, sizeof buf));
    printf("O_NONBLOCK %d\n", (fcntl(sv[1], F_GETFL) & O_NONBLOCK) != 0);
    on = 0; ioctl(sv[1], FIONBIO, &on);
    pid_t c = fork();
    if (c == 0) {
        for (int i = 0; i < 4; i++) { send(sv[0], "ab", 2, 0); usleep(20000); }
        _exit(0);
    }
    n = recv(sv[1], buf, 8, MSG_WAITALL);
    printf("waitall %zd [%.*s]\n", n, (int)n, buf);
    waitpid(c, NULL, 0);
    struct timeval tv = {0, 200000};
    setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    show("rcvtimeo expires", recv(sv[1], buf, sizeof buf, 0));
    close(sv[1]);
    usleep(50000);
    signal(SIGPIPE, on_pipe);
    send(sv[0], "x", 1, MSG_NOSIGNAL); /* the peer answers with a reset */
    usleep(50000);
    show("nosignal to closed", send(sv[0], "x", 1, MSG_NOSIGNAL));
    printf("sigpipes %d\n", (int)sigpipes);
    show("plain to closed", send(sv[0], "x", 1, 0));
    printf("sigpipes %d\n", (int)sigpipes);
    close(sv[0]);
}

static void nonblocking_connect(void) {
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    bind(l, (struct sockaddr *)&a, len); listen(l, 1); getsockname(l, (struct sockaddr *)&a, &len);
    int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    errno = 0;
    int r = connect(s, (struct sockaddr *)&a, len);
    printf("nonblocking connect: %s\n", r == 0 || errno == EINPROGRESS ? "0 or EINPROGRESS" : err(r));
    struct pollfd p = {s, POLLOUT, 0};
    int pr = poll(&p, 1, 2000);
    printf("poll %d revents out %d so_error %d\n", pr, (p.revents & POLLOUT) != 0, geti(s, SOL_SOCKET, SO_ERROR));
    close(s);
    close(l); /* now nothing listens on the port */
    s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    errno = 0;
    r = connect(s, (struct sockaddr *)&a, len);
    int connect_errno = errno;
    printf("refused nonblocking: %s\n", r == 0 ? "0" : errno == EINPROGRESS || errno == ECONNREFUSED ? "EINPROGRESS or ECONNREFUSED" : err(r));
    p.fd = s; p.revents = 0;
    poll(&p, 1, 2000);
    int e = geti(s, SOL_SOCKET, SO_ERROR);
    printf("so_error %s then %d\n", r != 0 && connect_errno == ECONNREFUSED ? "ECONNREFUSED" : e == ECONNREFUSED ? "ECONNREFUSED" : "?",
           geti(s, SOL_SOCKET, SO_ERROR));
    close(s);
}

static void ipv6(void) {
    int sv[2];
    tcp_pair(AF_INET6, sv);
    struct sockaddr_in6 peer; socklen_t len = sizeof peer;
    getpeername(sv[1], (struct sockaddr *)&peer, &len);
    char text[64];
    inet_ntop(AF_INET6, &peer.sin6_addr, text, sizeof text);
    write(sv[0], "six", 3);
    char buf[8] = {0};
    ssize_t n = read(sv[1], buf, sizeof buf - 1);
    printf("ipv6 peer %s family %d len %u read %zd [%s]\n", text, peer.sin6_family, len, n, buf);
    close(sv[0]); close(sv[1]);
}

static void udp(void) {
    int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)}, sb = sa;
    socklen_t len = sizeof sa;
    bind(a, (struct sockaddr *)&sa, len); getsockname(a, (struct sockaddr *)&sa, &len);
    bind(b, (struct sockaddr *)&sb, len); getsockname(b, (struct sockaddr *)&sb, &len);
    printf("unconnected sendto %zd\n", sendto(a, "one", 3, 0, (struct sockaddr *)&sb, len));
    char buf[16]; struct sockaddr_in from; socklen_t flen = sizeof from;
    ssize_t n = recvfrom(b, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
    printf("recvfrom %zd [%.*s] from sender %d\n", n, (int)n, buf, from.sin_port == sa.sin_port);
    show("connect", connect(a, (struct sockaddr *)&sb, len));
    show("send", send(a, "two", 3, 0));
    n = recv(b, buf, sizeof buf, 0);
    printf("recv %zd [%.*s]\n", n, (int)n, buf);
    send(a, "truncated", 9, 0);
    n = recv(b, buf, 4, MSG_TRUNC);
    printf("MSG_TRUNC gives full length %zd\n", n);
    close(b); /* a connected UDP socket learns of the closed port from ICMP */
    send(a, "lost", 4, 0);
    usleep(50000);
    show("after port closed", recv(a, buf, sizeof buf, MSG_DONTWAIT));
    close(a);
}

static void unix_kinds(void) {
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof a.sun_path, "/tmp/lxrun-sockopts-%d", getpid());
    unlink(a.sun_path);
    int d = socket(AF_UNIX, SOCK_DGRAM, 0), c = socket(AF_UNIX, SOCK_DGRAM, 0);
    show("unix dgram bind", bind(d, (struct sockaddr *)&a, sizeof a));
    sendto(c, "m1", 2, 0, (struct sockaddr *)&a, sizeof a);
    sendto(c, "msg2", 4, 0, (struct sockaddr *)&a, sizeof a);
    char buf[16];
    ssize_t n1 = recv(d, buf, sizeof buf, 0);
    ssize_t n2 = recv(d, buf, sizeof buf, 0);
    printf("unix dgram boundaries %zd %zd\n", n1, n2);
    close(d); close(c); unlink(a.sun_path);
    int sp[2];
    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp);
    send(sp[0], "first", 5, 0); send(sp[0], "second", 6, 0);
    ssize_t s1 = recv(sp[1], buf, sizeof buf, 0);
    ssize_t s2 = recv(sp[1], buf, 3, 0);
    printf("seqpacket %zd then truncated %zd type %d\n", s1, s2, geti(sp[1], SOL_SOCKET, SO_TYPE));
    shutdown(sp[0], SHUT_WR);
    show("seqpacket eof", recv(sp[1], buf, sizeof buf, 0));
    close(sp[0]); close(sp[1]);
    struct sockaddr_un ab = {.sun_family = AF_UNIX};
    int nlen = snprintf(ab.sun_path + 1, sizeof ab.sun_path - 1, "lxrun-abstract-%d", getpid());
    socklen_t alen = offsetof(struct sockaddr_un, sun_path) + 1 + nlen;
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    show("abstract bind", bind(l, (struct sockaddr *)&ab, alen));
    listen(l, 1);
    struct sockaddr_un got; socklen_t glen = sizeof got;
    getsockname(l, (struct sockaddr *)&got, &glen);
    printf("abstract name length matches %d leading nul %d same %d\n", glen == alen, got.sun_path[0] == 0,
           memcmp(&got, &ab, alen) == 0);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    show("abstract connect", connect(s, (struct sockaddr *)&ab, alen));
    int dup = socket(AF_UNIX, SOCK_STREAM, 0);
    show("abstract in use", bind(dup, (struct sockaddr *)&ab, alen));
    close(s); close(l); close(dup);
}

static void families(void) {
    int fams[] = {AF_UNSPEC, 46, 12345};
    for (int i = 0; i < 3; i++) {
        printf("family %d ", fams[i]);
        show("socket", socket(fams[i], SOCK_STREAM, 0));
    }
    int sv[2];
    show("socketpair inet", socketpair(AF_INET, SOCK_STREAM, 0, sv));
}

/* Interface requests on a socket: the host's interfaces, the same natively and under lxrun. */
static void interfaces(void) {
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    static struct ifreq list[64];
    struct ifconf ifc = {.ifc_len = sizeof list, .ifc_req = list};
    int r = ioctl(s, SIOCGIFCONF, &ifc);
    int has_lo = 0, n = r == 0 ? ifc.ifc_len / (int)sizeof(struct ifreq) : -1;
    for (int i = 0; i < n; i++) has_lo |= strcmp(list[i].ifr_name, "lo") == 0;
    printf("SIOCGIFCONF %d, %d interfaces, lo listed %d\n", r, n, has_lo);
    struct ifconf len_only = {.ifc_len = 0, .ifc_buf = NULL};
    r = ioctl(s, SIOCGIFCONF, &len_only);
    printf("SIOCGIFCONF length only %d, same length %d\n", r, len_only.ifc_len == ifc.ifc_len);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    r = ioctl(s, SIOCGIFFLAGS, &ifr);
    printf("SIOCGIFFLAGS lo %d up %d loopback %d\n", r, !!(ifr.ifr_flags & IFF_UP), !!(ifr.ifr_flags & IFF_LOOPBACK));
    r = ioctl(s, SIOCGIFMTU, &ifr);
    printf("SIOCGIFMTU lo %d mtu>0 %d\n", r, ifr.ifr_mtu > 0);
    errno = 0;
    r = ioctl(s, SIOCGIFFLAGS, (void *)8);
    printf("SIOCGIFFLAGS bad pointer %d %s\n", r, strerror(errno));
    errno = 0;
    r = ioctl(s, SIOCSIFFLAGS, (void *)8);
    printf("SIOCSIFFLAGS bad pointer %d %s\n", r, strerror(errno));
    int mark = -1;
    errno = 0;
    r = ioctl(s, SIOCATMARK, &mark);
    printf("SIOCATMARK on UDP %d %s\n", r, strerror(errno));
    close(s);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    interfaces();
    options();
    flags();
    nonblocking_connect();
    ipv6();
    udp();
    unix_kinds();
    families();
    return 0;
}
