/* stdin to stdout through read/write, with stderr interleaved and unbuffered. */
#include <stdio.h>
#include <unistd.h>
#include <ctype.h>
int main(void) {
    char buf[4096];
    ssize_t n;
    long total = 0;
    fprintf(stderr, "start\n");
    while ((n = read(0, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++) buf[i] = toupper((unsigned char)buf[i]);
        if (write(1, buf, n) != n) return 1;
        total += n;
    }
    fprintf(stderr, "read %ld bytes, last read %zd\n", total, n);
    return 0;
}
