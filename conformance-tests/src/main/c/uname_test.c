/* uname and identity calls. */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <sys/sysinfo.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/personality.h>
#include <sys/wait.h>

/* personality(2) keeps any value (execution domains are gone); PER_LINUX32 changes uname's machine. */
static void personas(void) {
    unsigned long values[] = {PER_BSD, PER_SVR4, PER_HPUX, PER_LINUX | ADDR_NO_RANDOMIZE, PER_LINUX32, PER_LINUX};
    for (unsigned i = 0; i < sizeof values / sizeof values[0]; i++) {
        int old = personality(values[i]);
        printf("personality %#lx: old %#x, now %#x\n", values[i], old, personality(0xffffffff));
        if (values[i] == PER_LINUX32) {
            struct utsname u;
            uname(&u);
            printf("machine under PER_LINUX32: %s\n", u.machine);
            pid_t c = fork();
            if (c == 0) _exit(personality(0xffffffff) == PER_LINUX32 ? 0 : 1);
            int st;
            waitpid(c, &st, 0);
            printf("child inherits it: %d\n", WEXITSTATUS(st) == 0);
        }
    }
}

int main(void) {
    struct utsname u;
    printf("uname: %d\n", uname(&u));
    printf("sysname=%s machine=%s\n", u.sysname, u.machine);
    char host[256];
    gethostname(host, sizeof host);
    printf("hostname matches nodename: %d\n", strcmp(host, u.nodename) == 0);
    printf("release starts with digit: %d\n", u.release[0] >= '0' && u.release[0] <= '9');
    printf("pid positive: %d, ppid positive: %d\n", getpid() > 0, getppid() > 0);
    printf("uid=%d gid=%d\n", (int)getuid(), (int)getgid());
    printf("pagesize=%ld\n", sysconf(_SC_PAGESIZE));
    printf("cpus positive: %d\n", sysconf(_SC_NPROCESSORS_ONLN) > 0);
    struct sysinfo si;
    printf("sysinfo: %d, ram>0: %d\n", sysinfo(&si), si.totalram > 0);
    struct rlimit rl;
    printf("getrlimit nofile: %d, soft>0: %d\n", getrlimit(RLIMIT_NOFILE, &rl), rl.rlim_cur > 0);
    printf("umask was: %03o\n", umask(022));
    printf("umask now: %03o\n", umask(022));
    personas();
    return 0;
}
