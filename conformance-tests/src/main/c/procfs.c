/* /proc as a program sees it: its own cmdline, comm, environ, exe/cwd links, fd directory,
 * status and stat fields, maps naming the executable and the stack, the process list, and a
 * zombie child's state. Only facts that are the same natively and under lxrun are printed. */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
static char buf[1 << 16];
static long slurp(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    long n = 0, r;
    while ((r = read(fd, buf + n, sizeof buf - 1 - n)) > 0) n += r;
    close(fd);
    buf[n] = 0;
    return n;
}
static int cmp(const void *a, const void *b) { return atoi(*(char *const *)a) - atoi(*(char *const *)b); }
static const char *field(const char *text, const char *name) {
    const char *p = strstr(text, name);
    static char v[256];
    if (!p) return "(missing)";
    p += strlen(name);
    while (*p == ' ' || *p == '\t') p++;
    int i = 0;
    while (*p && *p != '\n' && i < 255) v[i++] = *p++;
    v[i] = 0;
    return v;
}
int main(int argc, char **argv) {
    long n = slurp("/proc/self/cmdline");
    printf("cmdline:");
    for (long i = 0; i < n; i += strlen(buf + i) + 1) printf(" [%s]", i == 0 ? "argv0" : buf + i);
    printf("\n");
    slurp("/proc/self/comm");
    printf("comm: %s", buf);
    n = slurp("/proc/self/environ");
    int found = 0;
    for (long i = 0; i < n; i += strlen(buf + i) + 1) if (strcmp(buf + i, "LXT_PROC=yes") == 0) found = 1;
    printf("environ has LXT_PROC: %d\n", found);
    char link[PATH_MAX], real[PATH_MAX];
    ssize_t l = readlink("/proc/self/exe", link, sizeof link - 1);
    link[l > 0 ? l : 0] = 0;
    realpath(argv[0], real);
    printf("exe is the program: %d\n", strcmp(link, real) == 0);
    l = readlink("/proc/self/cwd", link, sizeof link - 1);
    link[l > 0 ? l : 0] = 0;
    getcwd(real, sizeof real);
    printf("cwd link is getcwd: %d\n", strcmp(link, real) == 0);
    int extra = open("/dev/null", O_RDONLY);
    DIR *d = opendir("/proc/self/fd");
    char *names[64]; int k = 0;
    struct dirent *e;
    while ((e = readdir(d)) && k < 64) if (e->d_name[0] != '.') names[k++] = strdup(e->d_name);
    closedir(d);
    qsort(names, k, sizeof *names, cmp);
    printf("fds:");
    for (int i = 0; i < k; i++) printf(" %s", names[i]);
    printf("\n");
    char p[64];
    snprintf(p, sizeof p, "/proc/self/fd/%d", extra);
    l = readlink(p, link, sizeof link - 1); link[l > 0 ? l : 0] = 0;
    printf("fd link: %s\n", link);
    slurp("/proc/self/status");
    char want[32];
    snprintf(want, sizeof want, "%d", getpid());
    printf("status Pid matches: %d\n", strcmp(field(buf, "\nPid:"), want) == 0);
    snprintf(want, sizeof want, "%d", getppid());
    printf("status PPid matches: %d\n", strcmp(field(buf, "\nPPid:"), want) == 0);
    printf("status Threads: %s\n", field(buf, "\nThreads:"));
    slurp("/proc/self/stat");
    int spid, sppid; char comm[64], state;
    sscanf(buf, "%d (%63[^)]) %c %d", &spid, comm, &state, &sppid);
    printf("stat pid ok %d comm %s ppid ok %d\n", spid == getpid(), comm, sppid == getppid());
    slurp("/proc/self/maps");
    realpath(argv[0], real);
    printf("maps names the program: %d, has [stack]: %d\n", strstr(buf, real) != NULL, strstr(buf, "[stack]") != NULL);
    d = opendir("/proc");
    int self_listed = 0;
    snprintf(want, sizeof want, "%d", getpid());
    while ((e = readdir(d))) if (strcmp(e->d_name, want) == 0) self_listed = 1;
    closedir(d);
    printf("own pid listed in /proc: %d\n", self_listed);
    slurp("/proc/version");
    printf("version starts right: %d\n", strncmp(buf, "Linux version ", 14) == 0);
    pid_t c = fork();
    if (c == 0) _exit(0);
    snprintf(p, sizeof p, "/proc/%d/status", c);
    for (int i = 0; i < 200; i++) { /* until the child has exited, however loaded the machine */
        slurp(p);
        if (field(buf, "\nState:")[0] == 'Z') break;
        usleep(25000);
    }
    printf("child state: %s\n", field(buf, "\nState:"));
    waitpid(c, NULL, 0);
    printf("after reaping, child dir gone: %d\n", slurp(p) < 0);
    return 0;
}
