/* Unix98 pseudo-terminals as tmux, script and Python's pty module use them: posix_openpt,
 * grantpt, unlockpt, ptsname, openpty (TIOCGPTPEER), the line discipline (canonical editing with
 * VERASE and VKILL, echo, ICRNL and ONLCR, VEOF, raw mode with VMIN/VTIME 0), the window size,
 * and forkpty: a child in its own session with the slave as controlling terminal, SIGWINCH on
 * a size change, ^C written to the master as SIGINT to the child's group, TIOCSIG, and SIGHUP to
 * the session leader when the master is closed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static void show(const char *label, const char *buf, long n) {
    printf("%s (%ld): ", label, n);
    for (long i = 0; i < n; i++) {
        unsigned char c = buf[i];
        if (c == '\n') printf("\\n");
        else if (c == '\r') printf("\\r");
        else if (c < 32 || c == 127) printf("\\x%02x", c);
        else putchar(c);
    }
    printf("\n");
    fflush(stdout);
}

/* Everything fd has to say until it has been quiet for quiet_ms. */
static long grab(int fd, char *buf, long size, int quiet_ms) {
    long n = 0;
    struct pollfd p = {fd, POLLIN, 0};
    while (n < size && poll(&p, 1, quiet_ms) == 1) {
        long r = read(fd, buf + n, size - n);
        if (r <= 0) break;
        n += r;
    }
    return n;
}

/* Reads fd until marker has appeared (or 10 s pass); the text so far is in buf. */
static long expect(int fd, char *buf, long size, const char *marker) {
    long n = 0;
    struct pollfd p = {fd, POLLIN, 0};
    buf[0] = 0;
    while (n < size - 1 && !strstr(buf, marker) && poll(&p, 1, 10000) == 1) {
        long r = read(fd, buf + n, size - 1 - n);
        if (r <= 0) break;
        n += r;
        buf[n] = 0;
    }
    return n;
}

static void unix98(void) {
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    printf("posix_openpt: %s\n", m >= 0 ? "ok" : strerror(errno));
    printf("grantpt %d unlockpt %d\n", grantpt(m), unlockpt(m));
    char *name = ptsname(m);
    printf("ptsname under /dev/pts/: %d\n", name && strncmp(name, "/dev/pts/", 9) == 0);
    int n = -1;
    int r = ioctl(m, TIOCGPTN, &n);
    printf("TIOCGPTN %d, matches name %d\n", r, name && atoi(name + 9) == n);
    int s = open(name, O_RDWR | O_NOCTTY);
    printf("slave open: %s, isatty %d, ttyname matches %d\n", s >= 0 ? "ok" : strerror(errno), isatty(s),
           s >= 0 && ttyname(s) && strcmp(ttyname(s), name) == 0);
    int peer = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY);
    printf("TIOCGPTPEER: %s, same tty %d\n", peer >= 0 ? "ok" : strerror(errno), peer >= 0 && strcmp(ttyname(peer), name) == 0);
    r = ioctl(s, TIOCGPTN, &n);
    printf("TIOCGPTN on slave: %d %s\n", r, strerror(errno));
    close(peer);
    close(s);
    close(m);
    int lock = posix_openpt(O_RDWR | O_NOCTTY);
    char *locked = ptsname(lock);
    int again = open(locked, O_RDWR | O_NOCTTY);
    printf("open before unlockpt: %d %s\n", again < 0 ? -1 : 0, again < 0 ? strerror(errno) : "");
    close(lock);
}

static void discipline(void) {
    int m, s;
    char buf[512];
    struct winsize ws = {24, 80, 0, 0};
    if (openpty(&m, &s, NULL, NULL, &ws) != 0) { printf("openpty: %s\n", strerror(errno)); return; }
    struct winsize got;
    ioctl(s, TIOCGWINSZ, &got);
    printf("winsize from openpty: %d x %d\n", got.ws_row, got.ws_col);

    write(m, "abc\x7f" "d\n", 6);
    long n = read(s, buf, sizeof buf);
    show("canonical with VERASE", buf, n);
    show("echo", buf, grab(m, buf, sizeof buf, 200));
    write(m, "xyz\x15ok\r", 7);
    n = read(s, buf, sizeof buf);
    show("VKILL and ICRNL", buf, n);
    grab(m, buf, sizeof buf, 200);
    write(m, "part\x04", 5);
    n = read(s, buf, sizeof buf);
    show("VEOF after text", buf, n);
    write(m, "\x04", 1);
    n = read(s, buf, sizeof buf);
    printf("VEOF at line start: %ld\n", n);
    grab(m, buf, sizeof buf, 200);
    write(s, "out\n", 4);
    show("ONLCR", buf, grab(m, buf, sizeof buf, 200));

    struct termios t;
    tcgetattr(s, &t);
    cfmakeraw(&t);
    t.c_cc[VMIN] = 0;
    t.c_cc[VTIME] = 0;
    tcsetattr(s, TCSANOW, &t);
    n = read(s, buf, sizeof buf);
    printf("raw VMIN 0 VTIME 0, nothing typed: %ld\n", n);
    t.c_cc[VTIME] = 2;
    tcsetattr(s, TCSANOW, &t);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    n = read(s, buf, sizeof buf);
    clock_gettime(CLOCK_MONOTONIC, &b);
    long ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
    printf("raw VTIME 2: %ld after 150-1000 ms %d\n", n, ms >= 150 && ms < 1000);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    tcsetattr(s, TCSANOW, &t);
    write(m, "\x03q\r", 3);
    usleep(100000);
    n = read(s, buf, sizeof buf);
    show("raw bytes", buf, n);
    tcgetattr(m, &t);
    printf("master sees slave termios: icanon %d isig %d\n", !!(t.c_lflag & ICANON), !!(t.c_lflag & ISIG));
    close(s);
    n = read(m, buf, sizeof buf);
    printf("master read after slave closed: %ld %s\n", n, n < 0 ? strerror(errno) : "");
    close(m);
}

static volatile sig_atomic_t winched;
static void on_winch(int sig) { (void) sig; winched = 1; }
static void on_int(int sig) {
    (void) sig;
    write(1, "child got SIGINT\n", 17);
    _exit(3);
}

static void child_shell(void) {
    char line[128];
    int tty = open("/dev/tty", O_RDWR);
    printf("child: session leader %d, foreground %d, tcgetsid ok %d, /dev/tty is a tty %d\n", getsid(0) == getpid(),
           tcgetpgrp(0) == getpgrp(), tcgetsid(0) == getpid(), tty >= 0 && isatty(tty));
    signal(SIGWINCH, on_winch);
    printf("ready1\n");
    fflush(stdout);
    if (!fgets(line, sizeof line, stdin)) _exit(7);
    line[strcspn(line, "\n")] = 0;
    printf("got [%s]\n", line);
    fflush(stdout);
    while (!winched) usleep(10000);
    struct winsize ws;
    ioctl(0, TIOCGWINSZ, &ws);
    printf("winsize %d x %d\n", ws.ws_row, ws.ws_col);
    signal(SIGINT, on_int);
    printf("ready2\n");
    fflush(stdout);
    for (;;) pause();
}

static void job(void) {
    int m;
    char buf[2048];
    pid_t pid = forkpty(&m, NULL, NULL, NULL);
    if (pid < 0) { printf("forkpty: %s\n", strerror(errno)); return; }
    if (pid == 0) child_shell();
    long n = expect(m, buf, sizeof buf, "ready1\r\n");
    show("child says", buf, n);
    printf("parent: TIOCGPGRP through master is the child %d\n", tcgetpgrp(m) == pid);
    write(m, "hello wor\x7fld\n", 13);
    n = expect(m, buf, sizeof buf, "got [");
    n += expect(m, buf + n, sizeof buf - n, "\n");
    show("after a line", buf, n);
    struct winsize ws = {40, 100, 0, 0};
    ioctl(m, TIOCSWINSZ, &ws);
    n = expect(m, buf, sizeof buf, "ready2\r\n");
    show("after resize", buf, n);
    write(m, "\x03", 1);
    int st;
    waitpid(pid, &st, 0);
    n = grab(m, buf, sizeof buf - 1, 200);
    buf[n] = 0;
    printf("child exit %d, said SIGINT %d, ^C echoed %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1,
           strstr(buf, "child got SIGINT") != NULL, strstr(buf, "^C") != NULL);
    close(m);

    /* TIOCSIG from the master, then hangup of a session whose master goes away */
    pid = forkpty(&m, NULL, NULL, NULL);
    if (pid == 0) {
        signal(SIGQUIT, SIG_DFL);
        printf("ready\n");
        fflush(stdout);
        pause();
        _exit(9);
    }
    expect(m, buf, sizeof buf, "ready");
    printf("TIOCSIG 9 refused: %d\n", ioctl(m, TIOCSIG, SIGKILL) < 0 && errno == EINVAL);
    ioctl(m, TIOCSIG, SIGQUIT);
    waitpid(pid, &st, 0);
    printf("child after TIOCSIG SIGQUIT: signalled %d sig %d\n", WIFSIGNALED(st), WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    close(m);

    pid = forkpty(&m, NULL, NULL, NULL);
    if (pid == 0) {
        printf("ready\n");
        fflush(stdout);
        long r = read(0, buf, sizeof buf);
        printf("read %ld %s\n", r, strerror(errno));
        _exit(5);
    }
    expect(m, buf, sizeof buf, "ready");
    close(m);
    waitpid(pid, &st, 0);
    printf("child after master closed: signalled %d sig %d\n", WIFSIGNALED(st), WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    unix98();
    discipline();
    job();
    return 0;
}
