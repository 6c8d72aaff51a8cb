/* /proc/sys files read as programs read them (strace's pid_max, ulimit helpers): one read of a
 * page gives the whole value. The host's sysctl handlers answer a read at a non-zero offset with
 * end of file, so a reader that took one byte first got only the first digit. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void show(const char *path) {
    char buf[4096];
    int fd = open(path, O_RDONLY);
    if (fd < 0) { printf("%s: cannot open\n", path); return; }
    long n = 0, r;
    while ((r = read(fd, buf + n, sizeof buf - 1 - n)) > 0) n += r;
    close(fd);
    buf[n] = 0;
    printf("%s (%ld bytes): %s", path, n, buf);
    if (n == 0 || buf[n - 1] != '\n') printf("\n");
}

int main(void) {
    show("/proc/sys/kernel/pid_max");
    show("/proc/sys/kernel/ngroups_max");
    show("/proc/sys/kernel/threads-max");
    show("/proc/sys/fs/pipe-max-size");
    show("/proc/sys/fs/nr_open");
    show("/proc/sys/vm/overcommit_memory");
    show("/proc/sys/vm/max_map_count");
    show("/proc/sys/kernel/random/poolsize");
    show("/proc/sys/net/core/somaxconn");
    return 0;
}
