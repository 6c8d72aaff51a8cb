/* Scheduling policies and parameters (sched_setscheduler/getparam/setattr/getattr, also in a
 * child and another thread), I/O priorities, capability sets (capget/capset and /proc/self/status)
 * and the prctl options LTP tests (timer slack, TID address, keep-caps, securebits, bounding
 * set, PR_SET_MM), and the thread's CPU affinity in /proc/self/status. Run as the caller is: the
 * answers are Linux's for these credentials. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHOW(label, expr) do { errno = 0; long r_ = (long) (expr); printf("%s: %ld %s\n", label, r_, r_ < 0 ? strerror(errno) : ""); } while (0)

struct attr {
    uint32_t size, policy;
    uint64_t flags;
    int32_t nice;
    uint32_t priority;
    uint64_t runtime, deadline, period;
    uint32_t util_min, util_max;
    char extra[16];
};

static void show_attr(const char *label, pid_t pid, unsigned size) {
    struct attr a;
    memset(&a, 0xee, sizeof a);
    errno = 0;
    long r = syscall(SYS_sched_getattr, pid, &a, size, 0);
    if (r < 0) { printf("%s: %ld %s\n", label, r, strerror(errno)); return; }
    printf("%s: size %u policy %u flags %llx nice %d prio %u rt %llu dl %llu per %llu util %u-%u\n", label, a.size,
           a.policy, (unsigned long long) a.flags, a.nice, a.priority, (unsigned long long) a.runtime,
           (unsigned long long) a.deadline, (unsigned long long) a.period, a.util_min, a.util_max);
}

static void show_param(const char *label, pid_t pid) {
    struct sched_param p = {.sched_priority = -7};
    int pol = sched_getscheduler(pid);
    int r = sched_getparam(pid, &p);
    printf("%s: policy %d getparam %d priority %d\n", label, pol, r, p.sched_priority);
}

static void *thread_policy(void *arg) {
    (void) arg;
    show_param("new thread", 0);
    struct sched_param p = {.sched_priority = 5};
    SHOW("thread sets RR 5", sched_setscheduler(0, SCHED_RR, &p));
    show_param("thread after", 0);
    return NULL;
}

static void policies(void) {
    struct sched_param p = {.sched_priority = 0};
    show_param("initial", 0);
    show_attr("attr initial", 0, sizeof(struct attr));
    SHOW("setscheduler negative policy", sched_setscheduler(0, -1, &p));
    SHOW("setscheduler NULL param", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, NULL));
    SHOW("setscheduler bad policy", sched_setscheduler(0, 4, &p));
    SHOW("setscheduler no such pid", sched_setscheduler(999999, SCHED_OTHER, &p));
    SHOW("setscheduler pid -1", sched_setscheduler(-1, SCHED_OTHER, &p));
    p.sched_priority = 1;
    SHOW("OTHER with priority 1", sched_setscheduler(0, SCHED_OTHER, &p));
    p.sched_priority = 0;
    SHOW("FIFO with priority 0", sched_setscheduler(0, SCHED_FIFO, &p));
    p.sched_priority = 100;
    SHOW("FIFO with priority 100", sched_setscheduler(0, SCHED_FIFO, &p));
    p.sched_priority = -1;
    SHOW("FIFO with priority -1", sched_setscheduler(0, SCHED_FIFO, &p));
    p.sched_priority = 10;
    SHOW("FIFO 10", sched_setscheduler(0, SCHED_FIFO, &p));
    show_param("after FIFO 10", 0);
    struct timespec ts;
    SHOW("rr_interval FIFO", sched_rr_get_interval(0, &ts));
    printf("FIFO slice %ld.%09ld\n", (long) ts.tv_sec, ts.tv_nsec);
    p.sched_priority = 20;
    SHOW("setparam 20", sched_setparam(0, &p));
    show_param("after setparam", 0);
    show_attr("attr FIFO", 0, 48);
    SHOW("RR 30", sched_setscheduler(0, SCHED_RR, &(struct sched_param){.sched_priority = 30}));
    SHOW("rr_interval RR", sched_rr_get_interval(0, &ts));
    printf("RR slice %ld.%09ld\n", (long) ts.tv_sec, ts.tv_nsec);
    SHOW("timerslack under RR (ignored)", prctl(PR_SET_TIMERSLACK, 12345, 0, 0, 0));
    SHOW("get timerslack", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
    pthread_t th;
    pthread_create(&th, NULL, thread_policy, NULL);
    pthread_join(th, NULL);
    show_param("main after the thread", 0);
    SHOW("RR|RESET_ON_FORK 3", sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK, &(struct sched_param){.sched_priority = 3}));
    show_param("with reset-on-fork", 0);
    pid_t c = fork();
    if (c == 0) {
        show_param("child of reset-on-fork", 0);
        _exit(0);
    }
    waitpid(c, NULL, 0);
    SHOW("BATCH", sched_setscheduler(0, SCHED_BATCH, &(struct sched_param){0}));
    show_param("after BATCH", 0);
    SHOW("setpriority 5", setpriority(PRIO_PROCESS, 0, 5));
    show_attr("attr BATCH nice 5", 0, sizeof(struct attr));
    SHOW("IDLE", sched_setscheduler(0, SCHED_IDLE, &(struct sched_param){0}));
    show_param("after IDLE", 0);

    struct attr a;
    memset(&a, 0, sizeof a);
    a.size = 48;
    a.policy = SCHED_OTHER;
    a.nice = 3;
    SHOW("setattr OTHER nice 3", syscall(SYS_sched_setattr, 0, &a, 0));
    printf("getpriority says %d\n", getpriority(PRIO_PROCESS, 0));
    SHOW("setattr flags 1", syscall(SYS_sched_setattr, 0, &a, 1));
    SHOW("setattr NULL", syscall(SYS_sched_setattr, 0, NULL, 0));
    a.size = 40;
    SHOW("setattr size 40", syscall(SYS_sched_setattr, 0, &a, 0));
    printf("size written back %u\n", a.size);
    a.size = sizeof a;
    a.extra[3] = 1;
    SHOW("setattr unknown nonzero tail", syscall(SYS_sched_setattr, 0, &a, 0));
    a.extra[3] = 0;
    SHOW("setattr zero tail", syscall(SYS_sched_setattr, 0, &a, 0));
    a.size = 48;
    a.flags = 0x100;
    SHOW("setattr unknown flag", syscall(SYS_sched_setattr, 0, &a, 0));
    a.flags = 0;
    a.policy = SCHED_DEADLINE;
    a.runtime = 100;
    a.deadline = 30000000;
    a.period = 30000000;
    SHOW("DEADLINE runtime too small", syscall(SYS_sched_setattr, 0, &a, 0));
    a.runtime = 40000000;
    SHOW("DEADLINE runtime above deadline", syscall(SYS_sched_setattr, 0, &a, 0));
    a.policy = 77;
    SHOW("setattr policy 77", syscall(SYS_sched_setattr, 0, &a, 0));
    a.policy = SCHED_FIFO;
    a.priority = 7;
    a.flags = 0x08; /* SCHED_FLAG_KEEP_POLICY */
    SHOW("setattr KEEP_POLICY prio 7 on OTHER", syscall(SYS_sched_setattr, 0, &a, 0));
    a.flags = 0;
    SHOW("setattr FIFO 7", syscall(SYS_sched_setattr, 0, &a, 0));
    show_attr("attr FIFO 7", 0, sizeof(struct attr));
    show_attr("getattr size 47", 0, 47);
    show_attr("getattr size 4097", 0, 4097);
    show_attr("getattr no such pid", 999999, 56);
    SHOW("getattr flags", syscall(SYS_sched_getattr, 0, &a, 56, 1));
    SHOW("back to OTHER", sched_setscheduler(0, SCHED_OTHER, &(struct sched_param){0}));
    SHOW("getparam NULL", syscall(SYS_sched_getparam, 0, NULL));
    SHOW("getscheduler -1", sched_getscheduler(-1));
    SHOW("getscheduler no such pid", sched_getscheduler(999999));
    setpriority(PRIO_PROCESS, 0, 0);
}

static void ioprios(void) {
    const int WHO_PROCESS = 1, WHO_PGRP = 2, WHO_USER = 3;
    SHOW("ioprio_get initial", syscall(SYS_ioprio_get, WHO_PROCESS, 0));
    SHOW("ioprio_set BE 3", syscall(SYS_ioprio_set, WHO_PROCESS, 0, 2 << 13 | 3));
    SHOW("ioprio_get", syscall(SYS_ioprio_get, WHO_PROCESS, 0));
    SHOW("ioprio_get pgrp", syscall(SYS_ioprio_get, WHO_PGRP, 0));
    /* WHO_USER is not shown: on the host it also sees other processes of the same uid. */
    (void) WHO_USER;
    SHOW("ioprio_set IDLE", syscall(SYS_ioprio_set, WHO_PROCESS, 0, 3 << 13));
    SHOW("ioprio_get", syscall(SYS_ioprio_get, WHO_PROCESS, 0));
    SHOW("ioprio_set RT 0", syscall(SYS_ioprio_set, WHO_PROCESS, 0, 1 << 13));
    SHOW("ioprio_set class 4", syscall(SYS_ioprio_set, WHO_PROCESS, 0, 4 << 13));
    SHOW("ioprio_set NONE level 1", syscall(SYS_ioprio_set, WHO_PROCESS, 0, 1));
    SHOW("ioprio_set bad which", syscall(SYS_ioprio_set, 9, 0, 2 << 13));
    SHOW("ioprio_get bad which", syscall(SYS_ioprio_get, 9, 0));
    SHOW("ioprio_get no such pid", syscall(SYS_ioprio_get, WHO_PROCESS, 999999));
    SHOW("ioprio_set BE 6", syscall(SYS_ioprio_set, WHO_PROCESS, 0, 2 << 13 | 6));
    pid_t c = fork();
    if (c == 0) {
        SHOW("child ioprio_get", syscall(SYS_ioprio_get, WHO_PROCESS, 0));
        _exit(0);
    }
    waitpid(c, NULL, 0);
    SHOW("ioprio_set NONE", syscall(SYS_ioprio_set, WHO_PROCESS, 0, 0));
    setpriority(PRIO_PROCESS, 0, 10);
    SHOW("ioprio_get NONE at nice 10", syscall(SYS_ioprio_get, WHO_PROCESS, 0));
    setpriority(PRIO_PROCESS, 0, 0);
}

static void status_lines(const char *prefix) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, prefix, strlen(prefix)) == 0) fputs(line, stdout);
    if (f) fclose(f);
}

static void caps(void) {
    struct { uint32_t version; int pid; } hdr = {0x20080522, 0};
    struct { uint32_t eff, prm, inh; } data[2];
    SHOW("capget v3", syscall(SYS_capget, &hdr, data));
    printf("eff %08x%08x prm %08x%08x inh %08x%08x\n", data[1].eff, data[0].eff, data[1].prm, data[0].prm, data[1].inh, data[0].inh);
    status_lines("Cap");
    hdr.version = 0x12345678;
    SHOW("capget bad version", syscall(SYS_capget, &hdr, data));
    printf("version written back %x\n", hdr.version);
    hdr.version = 0x12345678;
    SHOW("capget bad version NULL data", syscall(SYS_capget, &hdr, NULL));
    hdr.version = 0x19980330;
    SHOW("capget v1", syscall(SYS_capget, &hdr, data));
    hdr.version = 0x20080522;
    hdr.pid = -1;
    SHOW("capget pid -1", syscall(SYS_capget, &hdr, data));
    hdr.pid = 999999;
    SHOW("capget no such pid", syscall(SYS_capget, &hdr, data));
    hdr.pid = getppid();
    SHOW("capset other pid", syscall(SYS_capset, &hdr, data));
    hdr.pid = 0;
    syscall(SYS_capget, &hdr, data);
    data[0].eff &= ~(1u << 12); /* CAP_NET_ADMIN out of the effective set */
    SHOW("capset drop NET_ADMIN effective", syscall(SYS_capset, &hdr, data));
    data[0].eff |= 1u << 12;
    SHOW("capset raise it back", syscall(SYS_capset, &hdr, data));
    data[0].prm &= ~(1u << 13);
    data[0].eff &= ~(1u << 13);
    SHOW("capset drop NET_RAW permitted", syscall(SYS_capset, &hdr, data));
    data[0].eff |= 1u << 13;
    SHOW("capset effective beyond permitted", syscall(SYS_capset, &hdr, data));
    data[0].prm |= 1u << 13;
    SHOW("capset permitted grows", syscall(SYS_capset, &hdr, data));
    status_lines("CapPrm");
    SHOW("CAPBSET_READ 13", prctl(PR_CAPBSET_READ, 13, 0, 0, 0));
    SHOW("CAPBSET_READ 41", prctl(PR_CAPBSET_READ, 41, 0, 0, 0));
    SHOW("CAPBSET_DROP 13", prctl(PR_CAPBSET_DROP, 13, 0, 0, 0));
    SHOW("CAPBSET_READ 13 after", prctl(PR_CAPBSET_READ, 13, 0, 0, 0));
    status_lines("CapBnd");
    SHOW("CAP_AMBIENT IS_SET 0", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, 0, 0, 0));
    SHOW("CAP_AMBIENT RAISE 0 (not inheritable)", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, 0, 0, 0));
    SHOW("GET_KEEPCAPS", prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0));
    SHOW("SET_KEEPCAPS 2", prctl(PR_SET_KEEPCAPS, 2, 0, 0, 0));
    SHOW("SET_KEEPCAPS 1", prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
    SHOW("GET_KEEPCAPS", prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0));
    SHOW("GET_SECUREBITS", prctl(PR_GET_SECUREBITS, 0, 0, 0, 0));
    SHOW("SET_SECUREBITS unknown bit", prctl(PR_SET_SECUREBITS, 1 << 20, 0, 0, 0));
    SHOW("SET_SECUREBITS NOROOT", prctl(PR_SET_SECUREBITS, 1, 0, 0, 0));
    SHOW("GET_SECUREBITS", prctl(PR_GET_SECUREBITS, 0, 0, 0, 0));
    SHOW("SET_MM start_brk", prctl(PR_SET_MM, PR_SET_MM_START_BRK, 0x1000, 0, 0));
    pid_t c = fork();
    if (c == 0) {
        /* Dropping uid 0 with keep-caps keeps the permitted set, empties the effective one. */
        SHOW("child setresuid 1000", setresuid(1000, 1000, 1000));
        status_lines("CapPrm");
        status_lines("CapEff");
        prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
        _exit(0);
    }
    waitpid(c, NULL, 0);
    c = fork();
    if (c == 0) {
        prctl(PR_SET_SECUREBITS, 0, 0, 0, 0);
        prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
        SHOW("child without keep-caps setuid 1000", setuid(1000));
        status_lines("CapPrm");
        status_lines("CapEff");
        SHOW("then CAPBSET_DROP", prctl(PR_CAPBSET_DROP, 1, 0, 0, 0));
        _exit(0);
    }
    waitpid(c, NULL, 0);
}

static void misc_prctl(void) {
    SHOW("GET_NO_NEW_PRIVS with an argument", prctl(PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0));
    SHOW("GET_NO_NEW_PRIVS", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    SHOW("default timerslack", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
    SHOW("set timerslack 100000", prctl(PR_SET_TIMERSLACK, 100000, 0, 0, 0));
    SHOW("get timerslack", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
    pid_t c = fork();
    if (c == 0) {
        SHOW("child timerslack", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
        prctl(PR_SET_TIMERSLACK, 7, 0, 0, 0);
        SHOW("child reset to its default", prctl(PR_SET_TIMERSLACK, 0, 0, 0, 0));
        SHOW("child timerslack now", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
        _exit(0);
    }
    waitpid(c, NULL, 0);
    int tid_word;
    long set = syscall(SYS_set_tid_address, &tid_word);
    int *got = NULL;
    SHOW("GET_TID_ADDRESS", prctl(PR_GET_TID_ADDRESS, &got, 0, 0, 0));
    printf("tid address is the one set: %d (set returned the tid: %d)\n", got == &tid_word, set == gettid());
}

static void affinity(void) {
    status_lines("Cpus_allowed");
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(0, &set);
    SHOW("setaffinity {0}", sched_setaffinity(0, sizeof set, &set));
    status_lines("Cpus_allowed");
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    policies();
    ioprios();
    misc_prctl();
    affinity();
    caps();
    return 0;
}
