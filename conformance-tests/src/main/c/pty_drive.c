/* Test driver, run natively: starts a command on a new pseudo-terminal (as its controlling
 * terminal, in a new session) and plays a script against it, then prints everything the terminal
 * showed and how the command ended. The same script run around a program and around lxrun running
 * that program must print the same bytes.
 *   pty_drive STEP... -- COMMAND ARGS...
 * Steps: expect:TEXT   wait until TEXT appears in the output after the previous expect
 *        send:TEXT     type TEXT (^C, ^Z and \n stand for Ctrl-C, Ctrl-Z and Enter)
 *        pause:MS      let MS milliseconds pass
 *        stopped       wait until the command stops, report it and continue it (a shell's fg) */
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char out[1 << 20];
static size_t used, seen;
static int master;

/* Reads what the terminal shows, waiting up to ms milliseconds: 1 read some, 0 nothing came,
 * -1 the other side is gone (every descriptor of the terminal closed). */
static int pump(int ms) {
    struct pollfd p = {master, POLLIN, 0};
    if (poll(&p, 1, ms) <= 0) return 0;
    ssize_t n = read(master, out + used, sizeof out - used - 1);
    if (n <= 0) return -1;
    used += (size_t) n;
    out[used] = 0;
    return 1;
}

static long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000;
}

static void typed(const char *text) {
    char buf[256];
    size_t n = 0;
    for (const char *s = text; *s && n < sizeof buf; s++) {
        if (s[0] == '^' && s[1] == 'C') { buf[n++] = 3; s++; }
        else if (s[0] == '^' && s[1] == 'Z') { buf[n++] = 26; s++; }
        else if (s[0] == '\\' && s[1] == 'n') { buf[n++] = '\n'; s++; }
        else buf[n++] = *s;
    }
    if (write(master, buf, n) != (ssize_t) n) perror("write");
}

int main(int argc, char **argv) {
    int sep = 1;
    while (sep < argc && strcmp(argv[sep], "--") != 0) sep++;
    if (sep + 1 >= argc) { fprintf(stderr, "usage: pty_drive STEP... -- COMMAND ARGS...\n"); return 2; }
    pid_t pid = forkpty(&master, NULL, NULL, NULL);
    if (pid < 0) { perror("forkpty"); return 77; } /* no pseudo-terminals here (no /dev/pts) */
    if (pid == 0) {
        /* As a terminal would start it: whatever started this driver (a background job of a
           shell ignores SIGINT and SIGQUIT) must not decide what Ctrl-C does. */
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        for (int sig = 1; sig < 32; sig++) signal(sig, SIG_DFL);
        execvp(argv[sep + 1], argv + sep + 1);
        perror("exec");
        _exit(127);
    }
    int status = 0, reaped = 0;
    for (int i = 1; i < sep; i++) {
        if (strncmp(argv[i], "expect:", 7) == 0) {
            const char *want = argv[i] + 7;
            long end = now_ms() + 60000;
            char *at;
            while (!(at = strstr(out + seen, want))) {
                if (now_ms() > end || pump(100) < 0) {
                    printf("%s[pty_drive: no \"%s\"]\n", out, want);
                    kill(pid, SIGKILL);
                    return 1;
                }
            }
            seen = (size_t) (at - out) + strlen(want);
        } else if (strncmp(argv[i], "pause:", 6) == 0) {
            long end = now_ms() + atol(argv[i] + 6);
            while (now_ms() < end && pump(20) >= 0) ;
        } else if (strncmp(argv[i], "send:", 5) == 0) {
            typed(argv[i] + 5);
        } else if (strcmp(argv[i], "stopped") == 0) {
            if (waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status)) {
                while (pump(300) > 0) ; /* what the terminal echoed before the stop */
                used += (size_t) snprintf(out + used, sizeof out - used, "[stopped]\n");
                seen = used;
                kill(pid, SIGCONT);
            } else {
                reaped = 1;
            }
        }
    }
    long end = now_ms() + 60000;
    while (now_ms() < end && pump(100) >= 0) ;
    if (!reaped) waitpid(pid, &status, 0);
    fwrite(out, 1, used, stdout);
    if (WIFEXITED(status)) printf("[exit %d]\n", WEXITSTATUS(status));
    else if (WIFSIGNALED(status)) printf("[signal %d]\n", WTERMSIG(status));
    return 0;
}
