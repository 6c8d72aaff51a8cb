/* Job control on the controlling terminal, as a shell does it (run by pty_drive, which types
 * what the program waits for): tcgetpgrp/tcsetpgrp/tcgetsid and their errors, a foreground child
 * reading the terminal, background jobs stopped by SIGTTIN and SIGTTOU (or getting EIO when they
 * ignore SIGTTIN), Ctrl-C and Ctrl-Z reaching only the foreground group, no terminal after
 * setsid; with suspend-self, the program itself stopped by Ctrl-Z and continued by a shell
 * (lxrun stops on the host). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/wait.h>

static void say(const char *what, int rc) {
    printf("%s: %d %s\n", what, rc, rc < 0 ? strerror(errno) : "");
}

/* Takes the terminal back from a child's group, with SIGTTOU blocked as shells do it. */
static void take_back(void) {
    sigset_t s, old;
    sigemptyset(&s);
    sigaddset(&s, SIGTTOU);
    sigprocmask(SIG_BLOCK, &s, &old);
    say("take back", tcsetpgrp(0, getpgrp()));
    sigprocmask(SIG_SETMASK, &old, NULL);
}

static void how(const char *who, int st) {
    if (WIFEXITED(st)) printf("%s: exit %d\n", who, WEXITSTATUS(st));
    else if (WIFSIGNALED(st)) printf("%s: killed by %d\n", who, WTERMSIG(st));
    else if (WIFSTOPPED(st)) printf("%s: stopped by %d\n", who, WSTOPSIG(st));
}

/* A child in a group of its own, in the background: it runs body, the parent reports how it ended. */
static void background(const char *who, void (*body)(void)) {
    pid_t c = fork();
    if (c == 0) { setpgid(0, 0); body(); _exit(0); }
    setpgid(c, c);
    int st;
    waitpid(c, &st, WUNTRACED);
    how(who, st);
    if (WIFSTOPPED(st)) { kill(c, SIGKILL); waitpid(c, &st, 0); }
}

static void read_tty(void) {
    char b[8];
    ssize_t n = read(0, b, sizeof b);
    printf("background read: %zd %s\n", n, n < 0 ? strerror(errno) : "");
}

static void read_tty_ignoring(void) {
    signal(SIGTTIN, SIG_IGN);
    read_tty();
}

static void set_attrs(void) {
    struct termios t;
    tcgetattr(0, &t);
    say("background tcsetattr", tcsetattr(0, TCSANOW, &t));
}

static void set_attrs_ignoring(void) {
    signal(SIGTTOU, SIG_IGN);
    set_attrs();
}

/* A child that leaves the session has no controlling terminal any more. */
static void no_terminal(void) {
    pid_t c = fork();
    if (c == 0) {
        printf("setsid worked: %d\n", setsid() == getpid());
        say("after setsid tcgetpgrp", tcgetpgrp(0));
        say("after setsid tcsetpgrp", tcsetpgrp(0, getpgrp()));
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    how("new session", st);
}

/* A child made the foreground job: it announces itself and waits for what pty_drive types. */
static void foreground(const char *who, int reads) {
    int go[2];
    pipe(go);
    pid_t c = fork();
    if (c == 0) {
        char x;
        close(go[1]);
        read(go[0], &x, 1);
        printf("%s in foreground: %d\n", who, tcgetpgrp(0) == getpgrp());
        if (reads) {
            char line[64] = {0};
            printf("%s reading\n", who);
            ssize_t n = read(0, line, sizeof line - 1);
            printf("%s read %zd: %s", who, n, line);
            _exit(7);
        }
        printf("%s waiting\n", who);
        for (;;) pause();
    }
    close(go[0]);
    setpgid(c, c);
    say("give terminal", tcsetpgrp(0, c));
    write(go[1], "g", 1);
    close(go[1]);
    int st;
    waitpid(c, &st, WUNTRACED);
    how(who, st);
    take_back();
    if (WIFSTOPPED(st)) { kill(c, SIGKILL); waitpid(c, &st, 0); }
    printf("parent still here, in foreground: %d\n", tcgetpgrp(0) == getpgrp());
}

static void on_cont(int sig) { (void) sig; }

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0); /* a line per write: pty_drive acts on whole lines */
    if (argc > 1 && strcmp(argv[1], "suspend-self") == 0) {
        /* Run as a shell's job: Ctrl-Z stops this process, the shell's fg continues it (the
           handler ends the pause). Not when it leads a session: its group would be orphaned and
           the stop discarded. */
        /* SIGCONT stays blocked until sigsuspend waits: a Ctrl-Z typed as soon as the line
           appears may stop and continue this process before it would have reached pause(). */
        sigset_t cont, none;
        sigemptyset(&cont);
        sigaddset(&cont, SIGCONT);
        sigemptyset(&none);
        sigprocmask(SIG_BLOCK, &cont, NULL);
        signal(SIGCONT, on_cont);
        printf("main waiting\n");
        sigsuspend(&none);
        printf("main continued\n");
        return 3;
    }
    printf("foreground is mine: %d\n", tcgetpgrp(0) == getpgrp());
    printf("session matches: %d\n", tcgetsid(0) == getsid(0));
    say("tcsetpgrp(-5)", tcsetpgrp(0, -5));
    pid_t gone = fork();
    if (gone == 0) _exit(0);
    waitpid(gone, NULL, 0);
    say("tcsetpgrp(reaped child)", tcsetpgrp(0, gone));
    int p[2];
    pipe(p);
    say("tcgetpgrp(pipe)", tcgetpgrp(p[0]));
    say("tcsetpgrp(own group)", tcsetpgrp(0, getpgrp()));

    foreground("reader", 1);
    background("background reader", read_tty);
    background("background reader ignoring SIGTTIN", read_tty_ignoring);
    background("background tcsetattr", set_attrs);
    background("background tcsetattr ignoring SIGTTOU", set_attrs_ignoring);
    no_terminal();
    foreground("interrupted", 0);
    foreground("suspended", 0);

    printf("done\n");
    return 3;
}
