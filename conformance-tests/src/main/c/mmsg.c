/* sendmmsg/recvmmsg on datagram socket pairs: batches, msg_len, MSG_DONTWAIT, MSG_WAITFORONE,
   a blocking batch woken by another process, and the timeout argument. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char bufs[8][32];
static struct iovec iov[8];
static struct mmsghdr msgs[8];

static void prepare(int n) {
    memset(msgs, 0, sizeof msgs);
    memset(bufs, 0, sizeof bufs);
    for (int i = 0; i < n; i++) {
        iov[i].iov_base = bufs[i];
        iov[i].iov_len = sizeof bufs[i];
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }
}

static void show(const char *what, int r) {
    if (r < 0) {
        printf("%s: %s\n", what, strerror(errno));
        return;
    }
    printf("%s: %d", what, r);
    for (int i = 0; i < r; i++) printf(" [%u '%.*s']", msgs[i].msg_len, (int)msgs[i].msg_len, bufs[i]);
    printf("\n");
}

static int send_words(int fd, const char **words, int n) {
    struct iovec v[8];
    struct mmsghdr m[8];
    memset(m, 0, sizeof m);
    for (int i = 0; i < n; i++) {
        v[i].iov_base = (void *)words[i];
        v[i].iov_len = strlen(words[i]);
        m[i].msg_hdr.msg_iov = &v[i];
        m[i].msg_hdr.msg_iovlen = 1;
    }
    int r = sendmmsg(fd, m, n, 0);
    printf("sendmmsg %d:", r);
    for (int i = 0; i < r; i++) printf(" %u", m[i].msg_len);
    printf("\n");
    return r;
}

int main(void) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    const char *three[] = {"alpha", "be", "gamma-delta"};
    send_words(sv[0], three, 3);
    prepare(5);
    show("recvmmsg DONTWAIT vlen 5", recvmmsg(sv[1], msgs, 5, MSG_DONTWAIT, NULL));
    prepare(5);
    show("recvmmsg on empty", recvmmsg(sv[1], msgs, 5, MSG_DONTWAIT, NULL));
    printf("sendmmsg vlen 0: %d\n", sendmmsg(sv[0], msgs, 0, 0));

    const char *two[] = {"one", "two"};
    send_words(sv[0], two, 2);
    prepare(4);
    show("recvmmsg WAITFORONE vlen 4", recvmmsg(sv[1], msgs, 4, MSG_WAITFORONE, NULL));

    send_words(sv[0], three, 3);
    prepare(2);
    show("recvmmsg vlen 2 of 3", recvmmsg(sv[1], msgs, 2, 0, NULL));
    prepare(2);
    show("the rest", recvmmsg(sv[1], msgs, 2, MSG_DONTWAIT, NULL));

    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        struct timespec ts = {0, 50000000};
        nanosleep(&ts, NULL);
        send(sv[0], "late", 4, 0);
        _exit(0);
    }
    prepare(3);
    show("blocking WAITFORONE", recvmmsg(sv[1], msgs, 3, MSG_WAITFORONE, NULL));
    waitpid(c, NULL, 0);

    send_words(sv[0], two, 2);
    struct timespec zero = {0, 0};
    prepare(4);
    show("timeout 0 after first", recvmmsg(sv[1], msgs, 4, 0, &zero));
    prepare(4);
    show("remaining", recvmmsg(sv[1], msgs, 4, MSG_DONTWAIT, NULL));
    struct timespec bad = {0, 2000000000L};
    prepare(1);
    show("bad timeout", recvmmsg(sv[1], msgs, 1, 0, &bad));
    show("bad fd", recvmmsg(999, msgs, 1, 0, NULL));
    return 0;
}
