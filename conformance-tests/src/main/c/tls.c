/* Thread-local storage: initialised and zeroed __thread variables and errno through %fs. */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
__thread int counter = 42;
__thread char name[16] = "tls-initial";
__thread long zeroed[64];
int main(void) {
    counter += 1;
    zeroed[63] = 7;
    long sum = 0;
    for (int i = 0; i < 64; i++) sum += zeroed[i];
    printf("counter=%d name=%s sum=%ld\n", counter, name, sum);
    errno = 0;
    close(-1);
    printf("errno after close(-1): %d\n", errno);
    printf("tls addresses distinct: %d\n", (void *)&counter != (void *)name);
    return 0;
}
