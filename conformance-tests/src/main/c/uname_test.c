/* uname and identity calls. */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <sys/sysinfo.h>
#include <sys/resource.h>
#include <sys/stat.h>
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
    return 0;
}
