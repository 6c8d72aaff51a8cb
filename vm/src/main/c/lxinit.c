/*
 * lxinit: PID 1 of lxrun's VM mode (the initramfs's /init).
 *
 * Boot: mount devtmpfs/proc/sys, load the kernel modules the initramfs carries (virtio, the
 * virtio console and 9P), mount the host's root shared over virtio-9p at /newroot, give it its
 * own /proc, /sys and /dev, chroot into it. Then serve the host over the virtio-serial port named
 * "lxrun.ctl": run each requested program with its argv, envp and cwd, stream its stdin, stdout and
 * stderr as frames and report its wait status. In one-shot mode (kernel argument lxrun.oneshot)
 * the VM powers off after the first program; otherwise it waits for the next host connection, as
 * a persistent VM does.
 *
 * Frame: type (1 byte), payload length (4 bytes, little endian), payload.
 *   host -> guest: 'R' run, 'I' stdin bytes (empty = EOF), 'K' signal (u32), 'Q' power off, 'P' ping
 *   guest -> host: 'P' pong, 'S' started, 'O' stdout bytes, 'E' stderr bytes, 'X' wait status (u32),
 *                  'F' failure (u32 errno, then a message)
 * Run payload: u32 flags, u32 argc, u32 envc, then NUL-terminated strings: path, cwd, argv..., envp...
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_PAYLOAD (1u << 20)
#define CHUNK 65536
#define STDIN_HIGH_WATER (1u << 20)
#define RUN_MERGE_STDERR 1u

static int port = -1;
static int oneshot;
static int debug; /* kernel argument lxrun.debug: log each session's steps on the console */
static int sigchld_pipe[2];

static void say(const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > 0) {
        if (n > (int)sizeof buf - 1) n = sizeof buf - 1;
        (void)!write(2, "lxinit: ", 8);
        (void)!write(2, buf, (size_t)n);
        (void)!write(2, "\n", 1);
    }
}

static void power_off(void) {
    sync();
    /* QEMU runs with -no-reboot: a reset ends it on every machine type, ACPI or not. */
    reboot(RB_AUTOBOOT);
    for (;;) pause();
}

static void fatal(const char *what) {
    say("%s: %s", what, strerror(errno));
    power_off();
}

static void setup_console(void) {
    mkdir("/dev", 0755);
    if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) != 0 && errno != EBUSY) return;
    int fd = open("/dev/console", O_RDWR | O_NOCTTY);
    if (fd >= 0) {
        dup2(fd, 0);
        dup2(fd, 1);
        dup2(fd, 2);
        if (fd > 2) close(fd);
    }
}

/* Modules are listed in load order (dependencies first) in /lib/modules/order. */
static void load_modules(void) {
    FILE *order = fopen("/lib/modules/order", "r");
    if (!order) return;
    char name[256], path[512];
    while (fgets(name, sizeof name, order)) {
        name[strcspn(name, "\n")] = 0;
        if (!name[0]) continue;
        snprintf(path, sizeof path, "/lib/modules/%s", name);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) { say("open %s: %s", path, strerror(errno)); continue; }
        size_t nl = strlen(name);
        int compressed = (nl > 3 && strcmp(name + nl - 3, ".xz") == 0) || (nl > 4 && strcmp(name + nl - 4, ".zst") == 0);
        /* MODULE_INIT_COMPRESSED_FILE: the kernel decompresses (Debian trixie ships .ko.xz). */
        if (syscall(SYS_finit_module, fd, "", compressed ? 4 : 0) != 0 && errno != EEXIST)
            say("load %s: %s", name, strerror(errno));
        close(fd);
    }
    fclose(order);
}

static int kernel_arg(const char *name, char *value, size_t size) {
    char cmdline[4096];
    int fd = open("/proc/cmdline", O_RDONLY);
    if (fd < 0) return 0;
    ssize_t n = read(fd, cmdline, sizeof cmdline - 1);
    close(fd);
    if (n <= 0) return 0;
    cmdline[n] = 0;
    size_t len = strlen(name);
    for (char *tok = strtok(cmdline, " \n"); tok; tok = strtok(NULL, " \n")) {
        if (strncmp(tok, name, len) != 0) continue;
        if (tok[len] == 0) { if (size) value[0] = 0; return 1; }
        if (tok[len] == '=') { snprintf(value, size, "%s", tok + len + 1); return 1; }
    }
    return 0;
}

static void sleep_ms(long ms) {
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static void mount_root(void) {
    char opts[256], msize[32] = "512000", cache[32] = "mmap";
    kernel_arg("lxrun.msize", msize, sizeof msize);
    kernel_arg("lxrun.cache", cache, sizeof cache);
    snprintf(opts, sizeof opts, "trans=virtio,version=9p2000.L,msize=%s,cache=%s,access=client", msize, cache);
    mkdir("/newroot", 0755);
    for (int tries = 0;; tries++) {
        if (mount("lxroot", "/newroot", "9p", 0, opts) == 0) break;
        if (tries == 200) fatal("mount 9p root");
        sleep_ms(10);
    }
}

/* Linux's own mounts over the shared tree, where the root has the directory (never created). */
static void mount_inside(const char *fs, const char *dir, const char *type, unsigned long flags, const char *data) {
    char path[256];
    struct stat st;
    snprintf(path, sizeof path, "/newroot%s", dir);
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) return;
    if (mount(fs, path, type, flags, data) != 0) say("mount %s: %s", path, strerror(errno));
}

static void enter_root(void) {
    mount_inside("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    mount_inside("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    mount_inside("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, NULL);
    mkdir("/newroot/dev/pts", 0755);
    mkdir("/newroot/dev/shm", 01777);
    mount_inside("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "ptmxmode=0666");
    mount_inside("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
    if (chroot("/newroot") != 0) fatal("chroot");
    if (chdir("/") != 0) fatal("chdir /");
}

/*
 * The loopback interface starts down in a fresh kernel; a distribution's init brings it up.
 * Without it a program's 127.0.0.1 connect fails with ENETUNREACH (the bench's tcp workload,
 * any local server), unlike on the host.
 */
static void loopback_up(void) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) { say("loopback: socket: %s", strerror(errno)); return; }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    if (ioctl(s, SIOCGIFFLAGS, &ifr) != 0) say("loopback: SIOCGIFFLAGS: %s", strerror(errno));
    else {
        ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
        if (ioctl(s, SIOCSIFFLAGS, &ifr) != 0) say("loopback: SIOCSIFFLAGS: %s", strerror(errno));
    }
    close(s);
}

static int open_port(void) {
    for (int tries = 0; tries < 500; tries++) {
        DIR *d = opendir("/sys/class/virtio-ports");
        struct dirent *e;
        while (d && (e = readdir(d))) {
            if (e->d_name[0] == '.') continue;
            char path[512], name[64] = {0};
            snprintf(path, sizeof path, "/sys/class/virtio-ports/%s/name", e->d_name);
            int fd = open(path, O_RDONLY);
            if (fd < 0) continue;
            ssize_t n = read(fd, name, sizeof name - 1);
            close(fd);
            if (n > 0 && strncmp(name, "lxrun.ctl", 9) == 0 && (name[9] == '\n' || name[9] == 0)) {
                snprintf(path, sizeof path, "/dev/%s", e->d_name);
                int p = open(path, O_RDWR | O_CLOEXEC);
                if (p >= 0) { closedir(d); return p; }
            }
        }
        if (d) closedir(d);
        sleep_ms(10);
    }
    fatal("virtio port lxrun.ctl");
    return -1;
}

/* ---- frames ---- */

static int write_all(int fd, const void *buf, size_t len) {
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) { struct pollfd w = { fd, POLLOUT, 0 }; poll(&w, 1, 100); continue; }
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int send_frame(char type, const void *payload, uint32_t len) {
    unsigned char head[5] = { (unsigned char)type, len & 0xff, (len >> 8) & 0xff, (len >> 16) & 0xff, len >> 24 };
    if (write_all(port, head, 5) != 0) return -1;
    return len ? write_all(port, payload, len) : 0;
}

static int send_u32(char type, uint32_t v) {
    unsigned char b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };
    return send_frame(type, b, 4);
}

static void send_failure(int err, const char *msg) {
    char buf[512];
    uint32_t e = (uint32_t)err;
    memcpy(buf, &e, 4);
    size_t n = strlen(msg);
    if (n > sizeof buf - 4) n = sizeof buf - 4;
    memcpy(buf + 4, msg, n);
    send_frame('F', buf, (uint32_t)(4 + n));
}

static uint32_t get_u32(const unsigned char *p) {
    return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* Incoming bytes from the host, parsed into frames as they complete. */
static unsigned char *inbuf;
static size_t inlen;

/* Returns 1 if a complete frame is at the start of inbuf (its type/payload filled in). */
static int next_frame(char *type, unsigned char **payload, uint32_t *len) {
    if (inlen < 5) return 0;
    uint32_t l = get_u32(inbuf + 1);
    if (l > MAX_PAYLOAD) { say("frame too large (%u)", l); inlen = 0; return 0; }
    if (inlen < 5 + l) return 0;
    *type = (char)inbuf[0];
    *payload = inbuf + 5;
    *len = l;
    return 1;
}

static void consume_frame(uint32_t len) {
    memmove(inbuf, inbuf + 5 + len, inlen - 5 - len);
    inlen -= 5 + len;
}

/* Reads what the port has; returns 0 on data, -1 when the host has gone away. */
static int fill_inbuf(void) {
    if (inlen == 5 + MAX_PAYLOAD) return 0;
    ssize_t n = read(port, inbuf + inlen, 5 + MAX_PAYLOAD - inlen);
    if (n > 0) { inlen += (size_t)n; return 0; }
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return 0;
    return -1;
}

/* ---- running one program ---- */

struct request {
    uint32_t flags;
    char *path, *cwd;
    char **argv, **envp;
};

static int parse_run(unsigned char *p, uint32_t len, struct request *r) {
    if (len < 12) return -1;
    r->flags = get_u32(p);
    uint32_t argc = get_u32(p + 4), envc = get_u32(p + 8);
    if (argc > 100000 || envc > 100000) return -1;
    char *s = (char *)p + 12, *end = (char *)p + len;
    char **fields = calloc(2 + argc + 1 + envc + 1, sizeof(char *));
    uint32_t total = 2 + argc + envc, k = 0;
    for (uint32_t i = 0; i < total; i++) {
        char *z = memchr(s, 0, (size_t)(end - s));
        if (!z) { free(fields); return -1; }
        fields[k++] = s;
        if (i == 1 + argc) fields[k++] = NULL; /* argv terminator, before envp */
        s = z + 1;
    }
    if (argc == 0) fields[k++] = NULL;
    fields[k] = NULL;
    r->path = fields[0];
    r->cwd = fields[1];
    r->argv = fields + 2;
    r->envp = fields + 2 + argc + 1;
    return 0;
}

static void on_sigchld(int sig) {
    (void)sig;
    int saved = errno;
    (void)!write(sigchld_pipe[1], "c", 1);
    errno = saved;
}

static void set_nonblock(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

/* Forwards a pipe's bytes as frames until it would block; returns 1 at EOF. */
static int pump_output(int fd, char type) {
    static char buf[CHUNK];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n > 0) { if (send_frame(type, buf, (uint32_t)n) != 0) return 1; continue; }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return 0;
        return 1;
    }
}

static pid_t spawn(struct request *r, int in, int out, int err, int report) {
    pid_t pid = fork();
    if (pid != 0) return pid;
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGCHLD, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    setsid();
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    for (int fd = 3; fd < 1024; fd++) if (fd != report) close(fd);
    const char *step = "chdir";
    if (chdir(r->cwd) == 0) {
        step = "exec";
        execve(r->path, r->argv, r->envp);
    }
    int e = errno;
    char msg[300];
    snprintf(msg, sizeof msg, "%s", step);
    (void)!write(report, &e, sizeof e);
    (void)!write(report, msg, strlen(msg));
    _exit(127);
}

/* Runs one request to completion; returns -1 if the host went away meanwhile. */
static int run(struct request *r) {
    int in[2], out[2], err[2], report[2];
    if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(report, O_CLOEXEC)) {
        send_failure(errno, "pipe");
        return 0;
    }
    int merge = (r->flags & RUN_MERGE_STDERR) != 0;
    if (!merge && pipe2(err, O_CLOEXEC)) { send_failure(errno, "pipe"); return 0; }
    pid_t pid = spawn(r, in[0], out[1], merge ? out[1] : err[1], report[1]);
    close(in[0]);
    close(out[1]);
    if (!merge) close(err[1]);
    close(report[1]);
    if (pid < 0) { send_failure(errno, "fork"); close(in[1]); close(out[0]); if (!merge) close(err[0]); close(report[0]); return 0; }

    /* The exec either succeeds (close-on-exec empties the report pipe) or says why not. */
    int e = 0;
    char msg[300] = {0};
    ssize_t got = read(report[0], &e, sizeof e);
    if (got == (ssize_t)sizeof e) (void)!read(report[0], msg, sizeof msg - 1);
    close(report[0]);
    if (got == (ssize_t)sizeof e) {
        waitpid(pid, NULL, 0);
        send_failure(e, msg);
        close(in[1]); close(out[0]); if (!merge) close(err[0]);
        return 0;
    }
    send_frame('S', NULL, 0);
    if (debug) say("started %s as pid %d", r->path, (int)pid);

    set_nonblock(in[1]);
    set_nonblock(out[0]);
    if (!merge) set_nonblock(err[0]);
    unsigned char *pending = malloc(STDIN_HIGH_WATER + MAX_PAYLOAD);
    size_t pend = 0;
    int in_eof = 0, in_open = 1, out_open = 1, err_open = !merge, host_gone = 0;
    int status = 0, exited = 0;

    while (!exited) {
        struct pollfd fds[5];
        int n = 0, i_port = -1, i_in = -1, i_out = -1, i_err = -1;
        fds[n] = (struct pollfd){ sigchld_pipe[0], POLLIN, 0 }; n++;
        if (!host_gone && pend < STDIN_HIGH_WATER) { i_port = n; fds[n++] = (struct pollfd){ port, POLLIN, 0 }; }
        if (in_open && pend > 0) { i_in = n; fds[n++] = (struct pollfd){ in[1], POLLOUT, 0 }; }
        if (out_open) { i_out = n; fds[n++] = (struct pollfd){ out[0], POLLIN, 0 }; }
        if (err_open) { i_err = n; fds[n++] = (struct pollfd){ err[0], POLLIN, 0 }; }
        if (poll(fds, (nfds_t)n, -1) < 0) { if (errno == EINTR) continue; break; }

        if (fds[0].revents) {
            char drain[64];
            while (read(sigchld_pipe[0], drain, sizeof drain) > 0) {}
            if (waitpid(pid, &status, WNOHANG) == pid) exited = 1;
        }
        if (i_out >= 0 && fds[i_out].revents && pump_output(out[0], 'O')) { out_open = 0; close(out[0]); }
        if (i_err >= 0 && fds[i_err].revents && pump_output(err[0], 'E')) { err_open = 0; close(err[0]); }
        if (i_port >= 0 && fds[i_port].revents) {
            if (fds[i_port].revents & POLLIN ? fill_inbuf() != 0 : 1) {
                host_gone = 1;
                kill(-pid, SIGKILL);
            }
            char type;
            unsigned char *payload;
            uint32_t len;
            while (next_frame(&type, &payload, &len)) {
                if (type == 'I') {
                    if (len == 0) in_eof = 1;
                    else if (in_open) { memcpy(pending + pend, payload, len); pend += len; }
                } else if (type == 'K' && len == 4) {
                    kill(-pid, (int)get_u32(payload));
                } else if (type == 'Q') {
                    power_off();
                }
                consume_frame(len);
            }
        }
        if (i_in >= 0 && fds[i_in].revents) {
            ssize_t w = write(in[1], pending, pend);
            if (w > 0) { memmove(pending, pending + w, pend - (size_t)w); pend -= (size_t)w; }
            else if (w < 0 && errno != EAGAIN && errno != EINTR) { in_open = 0; pend = 0; close(in[1]); }
        }
        if (in_open && in_eof && pend == 0) { in_open = 0; close(in[1]); }
    }
    /* What the program wrote before it ended is still in the pipes. */
    if (out_open) { pump_output(out[0], 'O'); close(out[0]); }
    if (err_open) { pump_output(err[0], 'E'); close(err[0]); }
    if (in_open) close(in[1]);
    /* Like lxrun's translation mode: the program's other processes end with it. */
    kill(-pid, SIGKILL);
    while (waitpid(-1, NULL, WNOHANG) > 0) {}
    free(pending);
    if (debug) say("pid %d ended with status %#x%s", (int)pid, status, host_gone ? " (host gone)" : "");
    if (host_gone) return -1;
    sync();
    send_u32('X', (uint32_t)status);
    return 0;
}

/*
 * Blocks until the host end of the port is connected. While it is not, virtio_console reports
 * the port readable as well as hung up (a read returns 0 at once), so POLLIN says nothing here:
 * waiting on it made this a busy loop that, under TCG, starved QEMU's main loop of the CPU it
 * needs to accept the next client. The driver signals SIGIO on a connection change; a 50 ms poll
 * covers a missed one. Input can be queued before the driver has processed the host's open notice
 * (data and control travel on different virtqueues): it is kept for the coming session.
 */
static void wait_for_host(void) {
    for (;;) {
        struct pollfd p = { port, POLLIN, 0 };
        int n = poll(&p, 1, 0);
        if (n == 0 || !(p.revents & POLLHUP)) return;
        if (p.revents & POLLIN) {
            size_t before = inlen;
            fill_inbuf();
            if (inlen > before) continue;
        }
        sigset_t io;
        sigemptyset(&io);
        sigaddset(&io, SIGIO);
        struct timespec ts = { 0, 50 * 1000000L };
        sigtimedwait(&io, NULL, &ts);
    }
}

int main(void) {
    setup_console();
    mkdir("/proc", 0755);
    mkdir("/sys", 0755);
    mount("proc", "/proc", "proc", 0, NULL);
    mount("sysfs", "/sys", "sysfs", 0, NULL);
    oneshot = kernel_arg("lxrun.oneshot", NULL, 0);
    debug = kernel_arg("lxrun.debug", NULL, 0);
    load_modules();
    loopback_up();
    mount_root();
    port = open_port();
    enter_root();

    sigset_t io;
    sigemptyset(&io);
    sigaddset(&io, SIGIO);
    sigprocmask(SIG_BLOCK, &io, NULL);
    fcntl(port, F_SETOWN, getpid());
    fcntl(port, F_SETFL, fcntl(port, F_GETFL) | O_ASYNC);
    if (pipe2(sigchld_pipe, O_CLOEXEC | O_NONBLOCK) != 0) fatal("pipe");
    struct sigaction sa = {0};
    sa.sa_handler = on_sigchld;
    sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    inbuf = malloc(5 + MAX_PAYLOAD);

    for (;;) {
        wait_for_host();
        if (debug) say("host connected");
        int gone = 0;
        for (;;) {
            char type;
            unsigned char *payload;
            uint32_t len;
            if (next_frame(&type, &payload, &len)) {
                if (type == 'R') {
                    struct request r;
                    unsigned char *copy = malloc(len ? len : 1);
                    memcpy(copy, payload, len);
                    consume_frame(len);
                    if (parse_run(copy, len, &r) != 0) send_failure(EINVAL, "bad run request");
                    else {
                        gone = run(&r) != 0;
                        free(r.argv - 2);
                    }
                    free(copy);
                    if (oneshot) power_off();
                    if (gone) break;
                } else if (type == 'Q') {
                    power_off();
                } else if (type == 'P') {
                    consume_frame(len);
                    send_frame('P', NULL, 0);
                } else {
                    consume_frame(len); /* stray input from an earlier session */
                }
                continue;
            }
            struct pollfd p = { port, POLLIN, 0 };
            if (poll(&p, 1, -1) < 0) continue;
            if (!(p.revents & POLLIN) || fill_inbuf() != 0) break;
        }
        if (oneshot) power_off(); /* lxrun went away: nobody will connect again */
        inlen = 0; /* what the departed host left half-sent is not the next session's */
    }
}
