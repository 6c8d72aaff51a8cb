/* Threads: a mutex-protected counter across 8 threads, thread-local storage, joins with return
 * values, a spinning thread that never makes a syscall, condition variables, tgkill to a thread,
 * thread exit versus process exit. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static long counter;
static int ready;
static __thread long mine = 5;
static void *work(void *arg) {
    mine += (long)arg;
    for (int i = 0; i < 20000; i++) { pthread_mutex_lock(&m); counter++; pthread_mutex_unlock(&m); }
    return (void *)mine;
}
static volatile int spin_stop;
static void *spinner(void *a) { while (!spin_stop) ; return (void *)1; }
static void *waiter(void *a) {
    pthread_mutex_lock(&m);
    while (!ready) pthread_cond_wait(&cv, &m);
    pthread_mutex_unlock(&m);
    return (void *)2;
}
static volatile pid_t handled_tid;
static void usr1(int s) { handled_tid = (pid_t)syscall(SYS_gettid); }
static volatile pid_t target_tid;
static void *sig_target(void *a) {
    target_tid = (pid_t)syscall(SYS_gettid);
    while (!handled_tid) usleep(1000);
    return (void *)(long)(handled_tid == target_tid);
}
int main(void) {
    pthread_t t[8];
    for (long i = 0; i < 8; i++) pthread_create(&t[i], NULL, work, (void *)i);
    long sum = 0;
    for (int i = 0; i < 8; i++) { void *r; pthread_join(t[i], &r); sum += (long)r; }
    printf("counter=%ld (expected 160000) tls sum=%ld (expected 68) main tls=%ld\n", counter, sum, mine);
    pthread_t s; pthread_create(&s, NULL, spinner, NULL);
    usleep(20000); spin_stop = 1; void *r; pthread_join(s, &r);
    printf("spinner joined: %ld\n", (long)r);
    pthread_t w; pthread_create(&w, NULL, waiter, NULL);
    usleep(20000);
    pthread_mutex_lock(&m); ready = 1; pthread_cond_signal(&cv); pthread_mutex_unlock(&m);
    pthread_join(w, &r);
    printf("condvar waiter joined: %ld\n", (long)r);
    signal(SIGUSR1, usr1);
    pthread_t st; pthread_create(&st, NULL, sig_target, NULL);
    while (!target_tid) usleep(1000);
    pthread_kill(st, SIGUSR1);
    pthread_join(st, &r);
    printf("signal ran on the target thread: %ld\n", (long)r);
    printf("pid is the main thread's tid: %d\n", getpid() == (pid_t)syscall(SYS_gettid));
    return 0;
}
