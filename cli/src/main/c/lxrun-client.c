/*
 * lxrun's instance client: what ./lxrun execs when LXRUN_INSTANCE=1, so that a command costs a
 * connection to the resident instance (cli/.../instance/InstanceServer) instead of a JVM start.
 * It sends argv, envp, cwd, umask, the signals it was started with ignored, its resource limits and
 * its stdin, stdout
 * and stderr (SCM_RIGHTS); forwards the signals a terminal or kill sends it; stops itself when the
 * program stops (job control); and exits with the program's status. When no instance answers, or
 * the command line is more than `[--root DIR] PROGRAM ARGS...`, it hands over to the JVM path
 * (the launcher again, with LXRUN_CLIENT set), which starts an instance in the background.
 * The wire format is described in Protocol.java.
 *
 * Called as: lxrun-client LAUNCHER N ENV_1 ... ENV_N ARGS... — the caller's environment comes as
 * arguments, exactly as the caller passed it (bash would add PWD, SHLVL and _ to an exec'd
 * program's environment, and an `env -i` process would cost a millisecond).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/un.h>
#include <unistd.h>

#define MAGIC 0x3149584c
enum { SIGNAL = 1, EXIT = 2, STOPPED = 3, REFUSED = 4 };

static char **env; /* the caller's environment (see above) */
static int envc;
static const char *launcher;
static int wake[2] = {-1, -1};
static const int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH, SIGTSTP, SIGCONT};

/* Hands the command to the JVM path of the launcher; how says why (0: not for the client, start: no instance). */
static void fall_back(char **argv, const char *how) {
    char **e = calloc((size_t)envc + 2, sizeof *e);
    char flag[32];
    if (!e) exit(1);
    memcpy(e, env, sizeof *e * (size_t)envc);
    snprintf(flag, sizeof flag, "LXRUN_CLIENT=%s", how);
    e[envc] = flag;
    argv[0] = (char *)launcher;
    execve(launcher, argv, e);
    fprintf(stderr, "lxrun: %s: %s\n", launcher, strerror(errno));
    exit(1);
}

/* A variable of the caller's environment, or NULL. */
static const char *var(const char *name) {
    size_t n = strlen(name);
    for (int i = 0; i < envc; i++) if (!strncmp(env[i], name, n) && env[i][n] == '=') return env[i] + n + 1;
    return NULL;
}

static int is_subcommand(const char *a) {
    static const char *const names[] = {"syscalls", "vm", "compat-db", "compat", "bench", "instance", "import",
                                        "export", "list", "unregister", "help", NULL};
    for (int i = 0; names[i]; i++) if (!strcmp(a, names[i])) return 1;
    return 0;
}

/* The socket for a root, named as InstancePaths names it. */
static void socket_path(const char *root, char *out, size_t size) {
    const char *dir = var("LXRUN_INSTANCE_DIR"), *rt = var("XDG_RUNTIME_DIR"), *home = var("HOME");
    char d[PATH_MAX];
    if (dir && *dir) snprintf(d, sizeof d, "%s", dir);
    else if (rt && *rt) snprintf(d, sizeof d, "%s/lxrun", rt);
    else snprintf(d, sizeof d, "%s/.cache/lxrun/run", home ? home : "/");
    if (!strcmp(root, "/")) {
        snprintf(out, size, "%s/host.sock", d);
        return;
    }
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)root; *p; p++) h = (h ^ *p) * 0x100000001b3ULL;
    snprintf(out, size, "%s/root-%016llx.sock", d, (unsigned long long)h);
}

static void on_signal(int sig) {
    int saved = errno;
    unsigned char b = (unsigned char)sig;
    if (write(wake[1], &b, 1) < 0) { /* the pipe is full: the signal was already noted */ }
    errno = saved;
}

/* A growing buffer of NUL-terminated strings (the payload). */
static char *buf;
static size_t len, cap;
static void put(const char *s) {
    size_t n = strlen(s) + 1;
    if (len + n > cap) {
        cap = (len + n) * 2 + 4096;
        buf = realloc(buf, cap);
        if (!buf) { fprintf(stderr, "lxrun: out of memory\n"); exit(1); }
    }
    memcpy(buf + len, s, n);
    len += n;
}
static void putnum(long long v, int octal) {
    char t[32];
    snprintf(t, sizeof t, octal ? "%llo" : "%lld", v);
    put(t);
}

static int write_all(int fd, const void *p, size_t n) {
    const char *c = p;
    while (n > 0) {
        ssize_t r = write(fd, c, n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        c += r;
        n -= (size_t)r;
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "lxrun: the instance client is run by ./lxrun, not directly\n");
        return 2;
    }
    launcher = argv[1];
    envc = atoi(argv[2]);
    if (envc < 0 || envc > argc - 3) return 2;
    env = argv + 3;
    /* From here on argv is lxrun's own: argv[0] and the caller's arguments. */
    argv += 2 + envc;
    argc -= 2 + envc;
    int i = 1;
    const char *root_arg = NULL;
    if (i < argc && !strncmp(argv[i], "--root=", 7)) root_arg = argv[i++] + 7;
    else if (i + 1 < argc && !strcmp(argv[i], "--root")) { root_arg = argv[i + 1]; i += 2; }
    if (i >= argc || argv[i][0] == '-' || is_subcommand(argv[i])) fall_back(argv, "0");
    char root[PATH_MAX] = "/";
    if (root_arg && !realpath(root_arg, root)) fall_back(argv, "0"); /* the JVM path says what is wrong */
    char path[PATH_MAX + 64];
    socket_path(root, path, sizeof path);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof sa.sun_path) fall_back(argv, "0");
    strcpy(sa.sun_path, path);
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof sa) < 0) fall_back(argv, "start");

    /* The signals the program inherits ignored, as the JVM path does for its initial process. */
    unsigned long long ignored = 0;
    for (int sig = 1; sig < 64; sig++) {
        struct sigaction old;
        if (sig != SIGKILL && sig != SIGSTOP && sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            ignored |= 1ULL << (sig - 1);
    }
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) strcpy(cwd, "/");
    mode_t mask = umask(0);
    umask(mask);
    pid_t ppid = getppid();
    int shell_outside = getsid(ppid) == getsid(0) && getpgid(ppid) != getpgrp();
    put(cwd);
    putnum(mask, 1);
    putnum(ppid, 0);
    putnum(shell_outside, 0);
    putnum((long long)ignored, 0);
    /* The client's resource limits (soft, hard; RLIM_INFINITY as all ones), the program's from the start. */
    putnum(RLIM_NLIMITS, 0);
    for (int r = 0; r < RLIM_NLIMITS; r++) {
        struct rlimit rl = {RLIM_INFINITY, RLIM_INFINITY};
        getrlimit(r, &rl);
        char t[48];
        snprintf(t, sizeof t, "%llu", (unsigned long long)rl.rlim_cur);
        put(t);
        snprintf(t, sizeof t, "%llu", (unsigned long long)rl.rlim_max);
        put(t);
    }
    putnum(argc - i, 0);
    for (int a = i; a < argc; a++) put(argv[a]);
    putnum(envc, 0);
    for (int k = 0; k < envc; k++) put(env[k]);

    int fds[3], nfds = 0;
    uint32_t fdmask = 0;
    for (int fd = 0; fd < 3; fd++) {
        if (fcntl(fd, F_GETFD) >= 0) {
            fds[nfds++] = fd;
            fdmask |= 1u << fd;
        }
    }
    uint32_t head[4] = {MAGIC, (uint32_t)len, fdmask, 0};
    struct iovec iov = {head, sizeof head};
    union { char b[CMSG_SPACE(sizeof fds)]; struct cmsghdr align; } control;
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
    if (nfds > 0) {
        msg.msg_control = control.b;
        msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
        memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
    }
    signal(SIGPIPE, SIG_IGN);
    if (sendmsg(s, &msg, MSG_NOSIGNAL) != (ssize_t)sizeof head || write_all(s, buf, len) < 0) {
        /* The instance may have refused us (another uid) before taking it all: its frame says so. */
        uint32_t f[2];
        if (read(s, f, sizeof f) == (ssize_t)sizeof f && f[0] == REFUSED) {
            fprintf(stderr, "lxrun: the instance at %s refused this user\n", path);
            return 1;
        }
        fprintf(stderr, "lxrun: the instance for %s did not take the command (%s)\n", root, strerror(errno));
        return 1;
    }

    if (pipe2(wake, O_CLOEXEC | O_NONBLOCK) < 0) return 1;
    for (size_t k = 0; k < sizeof forwarded / sizeof forwarded[0]; k++) {
        int sig = forwarded[k];
        if (ignored >> (sig - 1) & 1) continue; /* inherited ignored: so stays the client */
        struct sigaction act = {.sa_handler = on_signal, .sa_flags = SA_RESTART};
        sigemptyset(&act.sa_mask);
        sigaction(sig, &act, NULL);
    }
    uint32_t frame[2];
    size_t got = 0;
    for (;;) {
        struct pollfd p[2] = {{s, POLLIN, 0}, {wake[0], POLLIN, 0}};
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (p[1].revents & POLLIN) {
            unsigned char sigs[64];
            ssize_t n = read(wake[0], sigs, sizeof sigs);
            for (ssize_t k = 0; k < n; k++) {
                uint32_t f[2] = {SIGNAL, sigs[k]};
                write_all(s, f, sizeof f);
            }
        }
        if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = read(s, (char *)frame + got, sizeof frame - got);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            got += (size_t)n;
            if (got < sizeof frame) continue;
            got = 0;
            if (frame[0] == EXIT) return (int)(frame[1] & 0xff);
            if (frame[0] == STOPPED) kill(getpid(), SIGSTOP); /* the shell sees its job stop; fg continues us */
            if (frame[0] == REFUSED) {
                fprintf(stderr, "lxrun: the instance at %s refused this user\n", path);
                return 1;
            }
        }
    }
    fprintf(stderr, "lxrun: the lxrun instance for %s ended unexpectedly; the next command starts a new one\n", root);
    return 1;
}
