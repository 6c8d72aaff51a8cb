/* POSIX message queues as Linux gives them: mq_open's name and attribute checks, priority order,
 * the errors of send and receive, mq_getsetattr, mq_notify with SIGEV_SIGNAL (si_code, sigval),
 * readiness for poll, a queue shared with a child process, and the fs.mqueue sysctls. Name edge
 * cases go through syscall() so that glibc's and musl's own checks do not hide the kernel's. */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define Q "/lxrun_mq_test"

static void result(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

static long raw_open(const char *name, int flags, struct mq_attr *a) {
    return syscall(SYS_mq_open, name, flags, 0600, a);
}

static volatile sig_atomic_t got_sig, got_code, got_value;

static void on_signal(int sig, siginfo_t *si, void *uc) {
    (void) uc;
    got_sig = sig;
    got_code = si->si_code;
    got_value = si->si_value.sival_int;
}

static void show_poll(const char *what, mqd_t q) {
    struct pollfd p = {.fd = q, .events = POLLIN | POLLOUT};
    int n = poll(&p, 1, 0);
    printf("%s: poll %d in=%d out=%d\n", what, n, !!(p.revents & POLLIN), !!(p.revents & POLLOUT));
}

static void show_file(const char *path) {
    char buf[256];
    int fd = open(path, O_RDONLY);
    if (fd < 0) { printf("%s: %s\n", path, strerror(errno)); return; }
    long n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n > 0 ? n : 0] = 0;
    printf("%s: %s", path, buf);
}

static void write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY);
    if (fd < 0) { printf("open %s for writing: %s\n", path, strerror(errno)); return; }
    long n = write(fd, text, strlen(text));
    printf("write '%.*s' to %s: %ld %s\n", (int) strcspn(text, "\n"), text, path, n, n < 0 ? strerror(errno) : "");
    close(fd);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    mq_unlink(Q);
    char longname[300];
    memset(longname, 'a', sizeof longname);
    longname[256] = 0;
    result("raw open empty name", raw_open("", O_CREAT | O_RDWR, NULL));
    result("raw open name with slash", raw_open("a/b", O_CREAT | O_RDWR, NULL));
    result("raw open 256-byte name", raw_open(longname, O_CREAT | O_RDWR, NULL));
    result("raw open missing", raw_open("lxrun_mq_missing", O_RDWR, NULL));
    struct mq_attr bad = {.mq_maxmsg = 0, .mq_msgsize = 16};
    result("open maxmsg 0", mq_open(Q, O_CREAT | O_RDWR, 0600, &bad));
    bad.mq_maxmsg = 70000;
    result("open maxmsg 70000", mq_open(Q, O_CREAT | O_RDWR, 0600, &bad));

    struct mq_attr a = {.mq_maxmsg = 3, .mq_msgsize = 16};
    mqd_t q = mq_open(Q, O_CREAT | O_EXCL | O_RDWR, 0600, &a);
    result("open new", q >= 0 ? 0 : -1);
    result("open O_EXCL again", mq_open(Q, O_CREAT | O_EXCL | O_RDWR, 0600, &a));
    struct mq_attr got;
    mq_getattr(q, &got);
    printf("attr flags=%ld maxmsg=%ld msgsize=%ld curmsgs=%ld\n", got.mq_flags, got.mq_maxmsg, got.mq_msgsize, got.mq_curmsgs);
    show_poll("empty", q);

    result("send prio 1", mq_send(q, "one", 3, 1));
    result("send prio 5", mq_send(q, "five", 4, 5));
    show_poll("two messages", q);
    result("send prio 5 again", mq_send(q, "five-b", 6, 5));
    show_poll("full", q);
    struct timespec past = {.tv_sec = 1, .tv_nsec = 0};
    result("timedsend full, past deadline", mq_timedsend(q, "x", 1, 0, &past));
    struct timespec badts = {.tv_sec = 0, .tv_nsec = 1000000000};
    result("timedsend bad timeout", mq_timedsend(q, "x", 1, 0, &badts));
    result("send too long", mq_send(q, "0123456789abcdefg", 17, 0));
    result("send prio 32768", mq_send(q, "x", 1, 32768));
    result("send to stdin", mq_send(0, "x", 1, 0));

    char buf[64];
    result("receive small buffer", mq_receive(q, buf, 8, NULL));
    for (int i = 0; i < 3; i++) {
        unsigned prio = 99;
        long n = mq_receive(q, buf, sizeof buf, &prio);
        printf("receive: %ld '%.*s' prio %u\n", n, (int) (n > 0 ? n : 0), buf, prio);
    }
    result("timedreceive empty, past deadline", mq_timedreceive(q, buf, sizeof buf, NULL, &past));

    struct mq_attr nb = {.mq_flags = O_NONBLOCK}, old;
    result("setattr nonblock", mq_setattr(q, &nb, &old));
    printf("old flags=%ld\n", old.mq_flags);
    result("receive nonblocking empty", mq_receive(q, buf, sizeof buf, NULL));
    printf("fcntl nonblock: %d\n", !!(fcntl(q, F_GETFL) & O_NONBLOCK));
    nb.mq_flags = 0;
    mq_setattr(q, &nb, NULL);
    struct mq_attr inval = {.mq_flags = 1};
    result("setattr bad flags", mq_setattr(q, &inval, NULL));

    /* Notification: SIGUSR1 with SI_MESGQ and our sigval when a message reaches the empty queue. */
    struct sigaction sa = {.sa_sigaction = on_signal, .sa_flags = SA_SIGINFO};
    sigaction(SIGUSR1, &sa, NULL);
    struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1};
    ev.sigev_value.sival_int = 42;
    result("notify", mq_notify(q, &ev));
    result("notify again", mq_notify(q, &ev));
    struct sigevent badev = {.sigev_notify = 7};
    result("notify bad kind", mq_notify(q, &badev));
    mq_send(q, "hi", 2, 0);
    for (int i = 0; i < 200 && !got_sig; i++) usleep(10000);
    printf("signal %d code %d value %d\n", (int) got_sig, (int) got_code, (int) got_value);
    result("notify after firing", mq_notify(q, &ev));
    result("notify remove", mq_notify(q, NULL));
    mq_receive(q, buf, sizeof buf, NULL);

    /* A child opens the queue by name and sends; the parent waits in receive. */
    pid_t child = fork();
    if (child == 0) {
        mqd_t c = mq_open(Q, O_WRONLY);
        usleep(100000);
        mq_send(c, "from child", 10, 3);
        _exit(0);
    }
    unsigned prio = 0;
    long n = mq_receive(q, buf, sizeof buf, &prio);
    printf("from child: %ld '%.*s' prio %u\n", n, (int) (n > 0 ? n : 0), buf, prio);
    waitpid(child, NULL, 0);

    /* Limits of an unprivileged caller, and the sysctls that set them. */
    show_file("/proc/sys/fs/mqueue/msg_max");
    show_file("/proc/sys/fs/mqueue/msgsize_max");
    show_file("/proc/sys/fs/mqueue/msg_default");
    write_file("/proc/sys/fs/mqueue/msg_max", "0\n");
    write_file("/proc/sys/fs/mqueue/msg_max", "ten\n");
    child = fork();
    if (child == 0) {
        if (seteuid(65534) != 0) _exit(1);
        struct mq_attr big = {.mq_maxmsg = 11, .mq_msgsize = 16};
        result("unprivileged open maxmsg 11", mq_open("/lxrun_mq_nobody", O_CREAT | O_RDWR, 0600, &big));
        result("unprivileged open of root's 0600 queue", mq_open(Q, O_RDWR));
        result("unprivileged unlink", mq_unlink(Q));
        write_file("/proc/sys/fs/mqueue/msg_max", "10\n");
        _exit(0);
    }
    waitpid(child, NULL, 0);

    mq_close(q);
    result("unlink", mq_unlink(Q));
    result("unlink again", mq_unlink(Q));
    result("open after unlink", mq_open(Q, O_RDWR));
    return 0;
}
