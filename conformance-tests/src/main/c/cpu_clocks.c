/* CPU-time clocks: CLOCK_PROCESS_CPUTIME_ID sums all threads, ended ones included;
   clock_getcpuclockid and pthread_getcpuclockid ids (their encoding, other threads, other
   processes, zombies, reaped pids); clock_getres; clock_nanosleep on a process CPU clock.
   Only relations between readings are printed, never the readings. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000LL

static const char *yes_no(int b) { return b ? "yes" : "no"; }

static long long read_clock(clockid_t c) {
    struct timespec ts;
    if (clock_gettime(c, &ts) != 0) return -errno;
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Uses CPU until the calling thread's clock has advanced by ns. */
static void burn(long long ns) {
    long long end = read_clock(CLOCK_THREAD_CPUTIME_ID) + ns;
    volatile unsigned long x = 0;
    while (read_clock(CLOCK_THREAD_CPUTIME_ID) < end) {
        for (int i = 0; i < 100000; i++) x += i;
    }
}

static void show_res(const char *what, clockid_t c) {
    struct timespec res = {-1, -1};
    int r = clock_getres(c, &res);
    printf("getres %s: %s %ld.%09ld\n", what, r == 0 ? "ok" : strerror(errno), (long)res.tv_sec, res.tv_nsec);
}

static sem_t started, may_end;
static volatile int stop_burning;
static pid_t burner_tid;
static long long burner_total;

static void *burner(void *arg) {
    (void)arg;
    burner_tid = syscall(SYS_gettid);
    clockid_t own;
    pthread_getcpuclockid(pthread_self(), &own);
    burn(50 * MS);
    long long a = read_clock(CLOCK_THREAD_CPUTIME_ID), b = read_clock(own), c = read_clock(CLOCK_THREAD_CPUTIME_ID);
    printf("thread: own clock id agrees with CLOCK_THREAD_CPUTIME_ID: %s\n", yes_no(a <= b && b <= c));
    printf("thread: encoding is ~tid << 3 | 6: %s\n", yes_no(own == (clockid_t)((~burner_tid << 3) | 6)));
    fflush(stdout);
    sem_post(&started);
    while (!stop_burning) burn(MS);
    burn(100 * MS);
    burner_total = read_clock(CLOCK_THREAD_CPUTIME_ID);
    sem_wait(&may_end);
    return NULL;
}

static void threads(void) {
    pthread_t th;
    sem_init(&started, 0, 0);
    sem_init(&may_end, 0, 0);
    long long proc_before = read_clock(CLOCK_PROCESS_CPUTIME_ID);
    pthread_create(&th, NULL, burner, NULL);
    sem_wait(&started);

    clockid_t other;
    printf("pthread_getcpuclockid of another thread: %d\n", pthread_getcpuclockid(th, &other));
    long long seen = read_clock(other);
    printf("other thread's clock readable, past its 50 ms: %s\n", yes_no(seen >= 50 * MS));

    /* Sleep on the process clock while the other thread uses CPU: it must move 30 ms. */
    long long p0 = read_clock(CLOCK_PROCESS_CPUTIME_ID);
    struct timespec req = {0, 30 * MS};
    int r = clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, 0, &req, NULL);
    long long p1 = read_clock(CLOCK_PROCESS_CPUTIME_ID);
    printf("clock_nanosleep on the process clock: %d, clock advanced 30 ms meanwhile: %s\n", r, yes_no(p1 - p0 >= 30 * MS));
    stop_burning = 1;
    sem_post(&may_end);
    pthread_join(th, NULL);

    long long mine = read_clock(CLOCK_THREAD_CPUTIME_ID), proc = read_clock(CLOCK_PROCESS_CPUTIME_ID);
    printf("process clock includes the ended thread: %s\n", yes_no(proc - proc_before >= burner_total));
    printf("process clock above this thread's: %s\n", yes_no(proc >= mine + burner_total));

    clockid_t self0, selfpid;
    printf("clock_getcpuclockid(0): %d\n", clock_getcpuclockid(0, &self0));
    printf("clock_getcpuclockid(getpid()): %d\n", clock_getcpuclockid(getpid(), &selfpid));
    printf("encoding is ~pid << 3 | 2: %s\n", yes_no(selfpid == (clockid_t)((~getpid() << 3) | 2)));
    long long q = read_clock(selfpid), q0 = read_clock(self0);
    printf("pid clocks follow the process clock: %s\n", yes_no(q >= proc && q0 >= q));

    show_res("process clock", CLOCK_PROCESS_CPUTIME_ID);
    show_res("thread clock", CLOCK_THREAD_CPUTIME_ID);
    show_res("pid clock", selfpid);
    r = clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL);
    printf("clock_nanosleep on own thread clock: %s\n", strerror(r));
    printf("clock fd id of stdin: %s\n", read_clock((~0 << 3) | 3) == -EINVAL ? "EINVAL" : "readable");
}

static void other_processes(void) {
    int p[2];
    pipe(p);
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        char b;
        close(p[1]);
        read(p[0], &b, 1);
        _exit(0);
    }
    close(p[0]);
    clockid_t cc;
    printf("child: clock_getcpuclockid: %d\n", clock_getcpuclockid(c, &cc));
    printf("child: clock readable: %s\n", yes_no(read_clock(cc) >= 0));
    printf("child pid as a thread clock: %s\n", read_clock((~c << 3) | 6) == -EINVAL ? "EINVAL" : "readable");
    close(p[1]);
    siginfo_t si;
    waitid(P_PID, c, &si, WEXITED | WNOWAIT);
    printf("zombie child: clock_getcpuclockid: %d, readable: %s\n", clock_getcpuclockid(c, &cc),
           yes_no(read_clock(cc) >= 0));
    waitpid(c, NULL, 0);
    printf("reaped child: clock_getcpuclockid: %s\n", strerror(clock_getcpuclockid(c, &cc)));
    printf("reaped child: clock_gettime: %s\n", read_clock(cc) == -EINVAL ? "EINVAL" : "readable");
}

int main(void) {
    threads();
    other_processes();
    return 0;
}
