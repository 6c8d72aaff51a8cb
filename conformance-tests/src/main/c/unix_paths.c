/* AF_UNIX path names relative to the working directory: bind, connect and sendto resolve them
 * from the process's own cwd (after chdir), and getsockname reports the name as bound. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static socklen_t name(struct sockaddr_un *a, const char *path) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    strncpy(a->sun_path, path, sizeof a->sun_path - 1);
    return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

static void own_name(const char *label, int fd) {
    struct sockaddr_un a;
    socklen_t len = sizeof a;
    int r = getsockname(fd, (struct sockaddr *)&a, &len);
    printf("%s: getsockname %d len %u [%s]\n", label, r, len, r == 0 ? a.sun_path : "");
    len = 4; /* too short: truncated, the full length reported */
    memset(&a, 'x', sizeof a);
    r = getsockname(fd, (struct sockaddr *)&a, &len);
    printf("%s: short getsockname %d len %u first path byte '%c' untouched '%c'\n", label, r, len, a.sun_path[0], a.sun_path[2]);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char top[64], sub[80];
    snprintf(top, sizeof top, "/tmp/lxrun-unixpaths-%d", getpid());
    snprintf(sub, sizeof sub, "%s/sub", top);
    mkdir(top, 0700);
    mkdir(sub, 0700);
    if (chdir(sub) != 0) { perror("chdir"); return 1; }

    struct sockaddr_un a;
    name(&a, "rel.sock"); /* bound with the whole struct: the name ends at its NUL */
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    printf("bind relative: %d\n", bind(l, (struct sockaddr *)&a, sizeof a));
    printf("listen: %d\n", listen(l, 2));
    own_name("listener", l);
    struct stat st;
    printf("socket file in cwd: %s\n", stat("rel.sock", &st) == 0 && S_ISSOCK(st.st_mode) ? "yes" : "no");

    pid_t c = fork();
    if (c == 0) { /* from the parent directory, by another relative path */
        chdir("..");
        int s = socket(AF_UNIX, SOCK_STREAM, 0);
        struct sockaddr_un b;
        socklen_t blen = name(&b, "sub/rel.sock");
        if (connect(s, (struct sockaddr *)&b, blen) != 0) { perror("connect"); _exit(1); }
        write(s, "hi", 2);
        _exit(0);
    }
    int conn = accept(l, NULL, NULL);
    char buf[8] = {0};
    printf("accepted read: %zd [%s]\n", read(conn, buf, sizeof buf - 1), buf);
    int st2; waitpid(c, &st2, 0);
    printf("connector exit %d\n", WEXITSTATUS(st2));

    int d = socket(AF_UNIX, SOCK_DGRAM, 0);
    socklen_t dlen = name(&a, "./d.sock");
    printf("bind dgram relative: %d\n", bind(d, (struct sockaddr *)&a, dlen));
    own_name("dgram", d);
    int u = socket(AF_UNIX, SOCK_DGRAM, 0);
    printf("sendto relative: %zd\n", sendto(u, "dg", 2, 0, (struct sockaddr *)&a, dlen));
    memset(buf, 0, sizeof buf);
    printf("received: %zd [%s]\n", recv(d, buf, sizeof buf - 1, MSG_DONTWAIT), buf);

    unlink("rel.sock");
    unlink("d.sock");
    chdir("/");
    rmdir(sub);
    rmdir(top);
    return 0;
}
