/*
 * System V message queues and semaphores: creation and lookup by key, message selection by
 * type, size errors, statistics, blocking and waking across processes, EINTR and EIDRM,
 * atomic semaphore operation sets, timeouts, SEM_UNDO at exit and the error order of each call.
 * Prints what it sees without ids, pids or times, which differ between runs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MSG_COPY
#define MSG_COPY 040000
#endif

union semun { int val; struct semid_ds *buf; unsigned short *array; struct seminfo *info; };

struct msg { long type; char text[64]; };

/* errno names (musl has no strerrorname_np). */
static const char *ename(int e) {
    switch (e) {
    case EINVAL: return "EINVAL";
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case EAGAIN: return "EAGAIN";
    case ENOMSG: return "ENOMSG";
    case E2BIG: return "E2BIG";
    case EINTR: return "EINTR";
    case EIDRM: return "EIDRM";
    case ERANGE: return "ERANGE";
    case EFBIG: return "EFBIG";
    case EFAULT: return "EFAULT";
    case ENOSYS: return "ENOSYS";
    default: return "E?";
    }
}

static void report(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, ename(errno));
    else printf("%s: %ld\n", what, r);
}

static long sendm(int q, long type, const char *text, int flags) {
    struct msg m = {type, {0}};
    strncpy(m.text, text, sizeof m.text - 1);
    return msgsnd(q, &m, strlen(text), flags);
}

static void recvm(int q, const char *what, size_t size, long type, int flags) {
    struct msg m;
    memset(&m, 0, sizeof m);
    ssize_t n = msgrcv(q, &m, size, type, flags);
    if (n < 0) printf("%s: -1 %s\n", what, ename(errno));
    else printf("%s: %zd type %ld \"%.*s\"\n", what, n, m.type, (int)n, m.text);
}

static void on_alarm(int s) { (void)s; }

static void messages(void) {
    int q = msgget(IPC_PRIVATE, IPC_CREAT | 0640);
    printf("msgget private: %s\n", q >= 0 ? "ok" : ename(errno));
    report("msgsnd type 0", sendm(q, 0, "x", 0));
    report("msgsnd too big", msgsnd(q, &(struct msg){1, {0}}, 8193, 0));
    report("msgsnd negative size", msgsnd(q, &(struct msg){1, {0}}, (size_t)-1, 0));
    report("msgsnd bad id", sendm(-1, 1, "x", 0));
    report("msgsnd a", sendm(q, 5, "five", 0));
    report("msgsnd b", sendm(q, 2, "two", 0));
    report("msgsnd c", sendm(q, 9, "nine", 0));
    report("msgsnd d", sendm(q, 2, "two again", 0));
    struct msqid_ds ds;
    report("IPC_STAT", msgctl(q, IPC_STAT, &ds));
    printf("qnum %lu cbytes %lu qbytes %lu mode %o lspid-is-me %d lrpid %d owner-is-me %d\n",
           (unsigned long)ds.msg_qnum, (unsigned long)ds.__msg_cbytes, (unsigned long)ds.msg_qbytes,
           ds.msg_perm.mode & 0777, ds.msg_lspid == getpid(), ds.msg_lrpid, ds.msg_perm.uid == geteuid());
    recvm(q, "copy #1", 64, 1, MSG_COPY | IPC_NOWAIT);
    recvm(q, "copy #7", 64, 7, MSG_COPY | IPC_NOWAIT);
    recvm(q, "copy blocking", 64, 0, MSG_COPY);
    recvm(q, "type 9 too small", 2, 9, 0);
    recvm(q, "type 9 noerror", 2, 9, MSG_NOERROR);
    recvm(q, "type -4", 64, -4, 0);
    recvm(q, "except 2", 64, 2, MSG_EXCEPT);
    recvm(q, "type 0", 64, 0, 0);
    recvm(q, "empty nowait", 64, 0, IPC_NOWAIT);
    recvm(q, "negative size", (size_t)-1, 0, IPC_NOWAIT);
    report("IPC_STAT", msgctl(q, IPC_STAT, &ds));
    printf("qnum %lu cbytes %lu lrpid-is-me %d\n", (unsigned long)ds.msg_qnum, (unsigned long)ds.__msg_cbytes,
           ds.msg_lrpid == getpid());

    /* A full queue: a sender blocks until a receiver makes room. */
    ds.msg_qbytes = 10;
    report("IPC_SET qbytes 10", msgctl(q, IPC_SET, &ds));
    report("fill", sendm(q, 1, "0123456789", 0));
    report("full nowait", sendm(q, 1, "x", IPC_NOWAIT));
    pid_t child = fork();
    if (child == 0) {
        long r = sendm(q, 3, "late", 0);
        _exit(r == 0 ? 0 : 1);
    }
    usleep(100000);
    recvm(q, "make room", 64, 1, 0);
    int st;
    waitpid(child, &st, 0);
    printf("blocked sender: exit %d\n", WEXITSTATUS(st));
    recvm(q, "its message", 64, 0, IPC_NOWAIT);

    /* A blocked receiver is woken by a sender, interrupted by a signal, and told EIDRM. */
    child = fork();
    if (child == 0) {
        struct msg m;
        ssize_t n = msgrcv(q, &m, sizeof m.text, 7, 0);
        _exit(n == 3 && m.type == 7 ? 0 : 1);
    }
    usleep(100000);
    report("wake receiver", sendm(q, 7, "hey", 0));
    waitpid(child, &st, 0);
    printf("woken receiver: exit %d\n", WEXITSTATUS(st));
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART; /* System V IPC calls are not restarted anyway */
    sigaction(SIGALRM, &sa, NULL);
    alarm(1);
    recvm(q, "interrupted", 64, 0, 0);
    child = fork();
    if (child == 0) {
        struct msg m;
        ssize_t n = msgrcv(q, &m, sizeof m.text, 0, 0);
        _exit(n < 0 && errno == EIDRM ? 0 : 1);
    }
    usleep(100000);
    report("IPC_RMID", msgctl(q, IPC_RMID, NULL));
    waitpid(child, &st, 0);
    printf("receiver of a removed queue: exit %d\n", WEXITSTATUS(st));
    report("IPC_RMID again", msgctl(q, IPC_RMID, NULL));
    report("msgsnd removed", sendm(q, 1, "x", 0));

    /* Keys. */
    key_t key = 0x4c780000 + (getpid() & 0xffff);
    report("msgget key absent", msgget(key, 0600));
    int k = msgget(key, IPC_CREAT | 0600);
    printf("msgget key create: %s\n", k >= 0 ? "ok" : ename(errno));
    printf("msgget key again same id: %d\n", msgget(key, 0600) == k);
    report("msgget key excl", msgget(key, IPC_CREAT | IPC_EXCL | 0600));
    report("IPC_RMID key", msgctl(k, IPC_RMID, NULL));
    report("msgctl bad cmd", msgctl(k, 999, NULL));
}

static void semaphores(void) {
    report("semget nsems 0", semget(IPC_PRIVATE, 0, IPC_CREAT | 0600));
    report("semget nsems huge", semget(IPC_PRIVATE, 40000, IPC_CREAT | 0600));
    int s = semget(IPC_PRIVATE, 3, IPC_CREAT | 0600);
    printf("semget: %s\n", s >= 0 ? "ok" : ename(errno));
    unsigned short vals[3] = {1, 0, 5}, got[3];
    report("SETALL", semctl(s, 0, SETALL, (union semun){.array = vals}));
    report("GETALL", semctl(s, 0, GETALL, (union semun){.array = got}));
    printf("values %u %u %u\n", got[0], got[1], got[2]);
    report("GETVAL 2", semctl(s, 2, GETVAL));
    report("GETVAL 3", semctl(s, 3, GETVAL));
    report("SETVAL too big", semctl(s, 1, SETVAL, (union semun){.val = 40000}));
    report("SETVAL negative", semctl(s, 1, SETVAL, (union semun){.val = -1}));

    struct sembuf ops[2] = {{0, -1, IPC_NOWAIT}, {1, -1, IPC_NOWAIT}};
    report("semop both, second blocks", semop(s, ops, 2));
    report("GETVAL 0 unchanged", semctl(s, 0, GETVAL));
    struct sembuf zero = {2, 0, IPC_NOWAIT};
    report("wait-for-zero nowait", semop(s, &zero, 1));
    struct sembuf big = {2, 32767, 0};
    report("semop past SEMVMX", semop(s, &big, 1));
    struct sembuf bad = {3, 1, 0};
    report("semop sem_num 3", semop(s, &bad, 1));
    report("semop nsops 0", semop(s, ops, 0));
    struct sembuf many[501];
    memset(many, 0, sizeof many);
    report("semop nsops 501", semop(s, many, 501));
    struct timespec ts = {0, 100000000};
    struct sembuf take1 = {1, -1, 0};
    report("semtimedop times out", semtimedop(s, &take1, 1, &ts));
    struct timespec badts = {0, 1000000000};
    report("semtimedop bad timeout", semtimedop(s, &take1, 1, &badts));
    report("GETPID is me", semctl(s, 0, GETPID) == getpid());

    /* A waiter counts in GETNCNT and is woken by a post. */
    pid_t child = fork();
    if (child == 0) {
        struct sembuf w = {1, -2, 0};
        _exit(semop(s, &w, 1) == 0 ? 0 : 1);
    }
    usleep(150000);
    report("GETNCNT 1", semctl(s, 1, GETNCNT));
    report("GETZCNT 1", semctl(s, 1, GETZCNT));
    struct sembuf post = {1, 2, 0};
    report("post 2", semop(s, &post, 1));
    int st;
    waitpid(child, &st, 0);
    printf("waiter: exit %d\n", WEXITSTATUS(st));
    report("GETVAL 1 after", semctl(s, 1, GETVAL));

    /* SEM_UNDO: a child takes a unit and exits; its exit gives it back. */
    child = fork();
    if (child == 0) {
        struct sembuf u = {2, -3, SEM_UNDO};
        if (semop(s, &u, 1) != 0) _exit(1);
        _exit(semctl(s, 2, GETVAL) == 2 ? 0 : 2);
    }
    waitpid(child, &st, 0);
    printf("undo child: exit %d\n", WEXITSTATUS(st));
    report("GETVAL 2 after undo", semctl(s, 2, GETVAL));
    /* SETVAL clears the adjustments: no undo after it. */
    child = fork();
    if (child == 0) {
        struct sembuf u = {0, -1, SEM_UNDO};
        if (semop(s, &u, 1) != 0) _exit(1);
        semctl(s, 0, SETVAL, (union semun){.val = 7});
        _exit(0);
    }
    waitpid(child, &st, 0);
    report("GETVAL 0 after SETVAL in child", semctl(s, 0, GETVAL));

    struct semid_ds ds;
    report("IPC_STAT", semctl(s, 0, IPC_STAT, (union semun){.buf = &ds}));
    printf("nsems %lu mode %o owner-is-me %d\n", (unsigned long)ds.sem_nsems, ds.sem_perm.mode & 0777,
           ds.sem_perm.uid == geteuid());
    ds.sem_perm.mode = 0604;
    report("IPC_SET", semctl(s, 0, IPC_SET, (union semun){.buf = &ds}));
    report("IPC_STAT", semctl(s, 0, IPC_STAT, (union semun){.buf = &ds}));
    printf("mode %o\n", ds.sem_perm.mode & 0777);

    child = fork();
    if (child == 0) {
        struct sembuf w = {1, -1, 0};
        _exit(semop(s, &w, 1) < 0 && errno == EIDRM ? 0 : 1);
    }
    usleep(100000);
    report("IPC_RMID", semctl(s, 0, IPC_RMID));
    waitpid(child, &st, 0);
    printf("waiter on a removed set: exit %d\n", WEXITSTATUS(st));
    report("GETVAL removed", semctl(s, 0, GETVAL));

    struct seminfo info;
    semctl(0, 0, IPC_INFO, (union semun){.info = &info});
    printf("seminfo semmsl %d semmni %d semopm %d semvmx %d\n", info.semmsl, info.semmni, info.semopm, info.semvmx);
    struct msginfo mi;
    msgctl(0, IPC_INFO, (struct msqid_ds *)&mi);
    printf("msginfo msgmax %d msgmnb %d msgmni %d\n", mi.msgmax, mi.msgmnb, mi.msgmni);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    messages();
    semaphores();
    return 0;
}
