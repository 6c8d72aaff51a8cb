/*
 * Calls io_uring_setup (which lxrun does not translate) either first thing or after writing a
 * line to stdout with write(2). --mode auto may restart the first kind in the VM; the second
 * has shown output, so it must finish translated and see ENOSYS.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "early-output") == 0) {
        static const char line[] = "before the syscall\n";
        if (write(1, line, sizeof line - 1) < 0) return 2;
    }
    unsigned char params[120];
    memset(params, 0, sizeof params);
    long fd = syscall(425 /* io_uring_setup */, 4, params);
    if (fd < 0) {
        printf("io_uring_setup: %s\n", strerror(errno));
        return 1;
    }
    close((int)fd);
    printf("io_uring_setup: ok\n");
    return 0;
}
