/*
 * Sets up an io_uring (a syscall lxrun does not implement) and reports whether it worked.
 * The compat harness's own tests use it as the known-failing case: natively (and in the VM)
 * it prints "io_uring_setup: ok"; translated it gets ENOSYS and exits 1.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#define NR_io_uring_setup 425 /* x86-64; musl's headers may predate the name */

int main(void) {
    unsigned char params[120]; /* struct io_uring_params: the kernel fills it in */
    memset(params, 0, sizeof params);
    long fd = syscall(NR_io_uring_setup, 4, params);
    if (fd < 0) {
        printf("io_uring_setup: %s\n", strerror(errno));
        return 1;
    }
    close((int)fd);
    printf("io_uring_setup: ok\n");
    return 0;
}
