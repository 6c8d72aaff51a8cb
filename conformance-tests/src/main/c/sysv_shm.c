/*
 * System V shared memory: a segment shared with a forked child, attach counts, IPC_RMID while
 * attached, SHM_RDONLY, and the errors of shmget/shmat/shmdt/shmctl. Prints no ids or addresses.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SHM_DEST
#define SHM_DEST 01000
#endif

/* musl has no strerrorname_np: the names this test can meet. */
static const char *errname(int e) {
    switch (e) {
    case EINVAL: return "EINVAL";
    case EEXIST: return "EEXIST";
    case ENOENT: return "ENOENT";
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case EIDRM: return "EIDRM";
    case ENOSYS: return "ENOSYS";
    case ENOMEM: return "ENOMEM";
    case ENOSPC: return "ENOSPC";
    default: return "other";
    }
}

static void show(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, errname(errno));
    else printf("%s: ok\n", what);
}

static long nattch(int id) {
    struct shmid_ds ds;
    if (shmctl(id, IPC_STAT, &ds) < 0) return -errno;
    return (long)ds.shm_nattch;
}

int main(void) {
    key_t key = 0x4c58 << 16 | (getpid() & 0xffff);
    int id = shmget(key, 10000, IPC_CREAT | IPC_EXCL | 0600);
    show("create", id);
    struct shmid_ds ds;
    shmctl(id, IPC_STAT, &ds);
    printf("size %zu mode %o nattch %lu cpid is me %d\n", (size_t)ds.shm_segsz, ds.shm_perm.mode, (unsigned long)ds.shm_nattch,
           ds.shm_cpid == getpid());
    show("same key, IPC_EXCL", shmget(key, 100, IPC_CREAT | IPC_EXCL | 0600));
    printf("same key again is same id: %d\n", shmget(key, 100, 0600) == id);
    show("same key, larger size", shmget(key, 20000, 0600));
    show("no such key", shmget(key + 1, 100, 0600));
    show("size 0, new", shmget(IPC_PRIVATE, 0, 0600));

    char *p = shmat(id, NULL, 0);
    printf("attach: %s, nattch %ld\n", p == (void *)-1 ? errname(errno) : "ok", nattch(id));
    strcpy(p, "parent");
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        printf("child sees '%s', nattch %ld\n", p, nattch(id));
        strcpy(p, "child wrote");
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    printf("parent sees '%s', nattch after child exit %ld\n", p, nattch(id));

    char *q = shmat(id, NULL, SHM_RDONLY);
    printf("second attach read-only reads '%s', nattch %ld\n", q, nattch(id));
    fflush(stdout);
    c = fork();
    if (c == 0) {
        q[0] = 'X';
        _exit(0);
    }
    waitpid(c, &st, 0);
    printf("write to read-only attach: %s\n", WIFSIGNALED(st) ? strsignal(WTERMSIG(st)) : "no signal");
    show("detach read-only", shmdt(q));
    show("detach again", shmdt(q));
    show("detach unaligned", shmdt(p + 1));
    show("attach unaligned", (long)shmat(id, p + 1, 0));
    show("attach over a mapping without SHM_REMAP", (long)shmat(id, p, 0));
    show("attach bad id", (long)shmat(-1, NULL, 0));

    show("remove while attached", shmctl(id, IPC_RMID, NULL));
    shmctl(id, IPC_STAT, &ds);
    printf("after remove: key %s, dest %d, nattch %lu, text '%s'\n", *(int *)&ds.shm_perm == IPC_PRIVATE /* the key, first in both libcs */ ? "private" : "kept",
           (ds.shm_perm.mode & SHM_DEST) != 0, (unsigned long)ds.shm_nattch, p);
    int id2 = shmget(key, 100, IPC_CREAT | 0600);
    printf("key reused makes a new segment: %d\n", id2 >= 0 && id2 != id);
    show("detach last", shmdt(p));
    show("stat after last detach", shmctl(id, IPC_STAT, &ds));
    show("bad command", shmctl(id2, 12345, &ds));
    show("remove new", shmctl(id2, IPC_RMID, NULL));
    show("remove twice", shmctl(id2, IPC_RMID, NULL));
    return 0;
}
