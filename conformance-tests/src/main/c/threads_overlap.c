/* Proves that two threads of a process run at the same time: they hand a token back and forth
 * through a shared word, spinning without any system call, ROUNDS times. On a CPU they must take
 * turns on, every handover waits for the holder to be preempted (lxrun's old per-process lock:
 * 200 ms each, so minutes), and the alarm ends the program with a failure line. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define ROUNDS 2000

static volatile int token;

static void timeout(int sig) {
    (void)sig;
    static const char msg[] = "threads did not run at the same time (alarm)\n";
    write(1, msg, sizeof msg - 1);
    _exit(1);
}

static void *other(void *arg) {
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        while (token != 1) __asm__ volatile("pause");
        token = 0;
    }
    return NULL;
}

int main(void) {
    signal(SIGALRM, timeout);
    alarm(60);
    pthread_t t;
    pthread_create(&t, NULL, other, NULL);
    for (int i = 0; i < ROUNDS; i++) {
        token = 1;
        while (token != 0) __asm__ volatile("pause");
    }
    pthread_join(t, NULL);
    alarm(0);
    printf("%d handovers without system calls: the threads ran at the same time\n", ROUNDS);
    return 0;
}
