/* System V IPC as /proc shows it: a segment's and a queue's lines in /proc/sysvipc/{shm,msg,sem},
 * the kernel/shm* limits and kernel/shm_next_id (the id the next segment gets, then -1 again). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <unistd.h>

/* Prints the columns of the line whose second field is id that do not depend on the moment or the pid. */
static void show_line(const char *path, int id) {
    FILE *f = fopen(path, "r");
    if (!f) { printf("%s: %s\n", path, strerror(errno)); return; }
    char line[512];
    int found = 0;
    if (fgets(line, sizeof line, f)) printf("%s header: %s", path, line);
    while (fgets(line, sizeof line, f)) {
        long key, lid, perms;
        char rest[512];
        if (sscanf(line, "%ld %ld %lo %[^\n]", &key, &lid, &perms, rest) == 4 && lid == id) {
            char *words[20];
            int n = 0;
            for (char *w = strtok(rest, " "); w && n < 20; w = strtok(NULL, " ")) words[n++] = w;
            printf("%s: key %ld perms %lo, %d more columns, first %s\n", path, key, perms, n, n ? words[0] : "-");
            found = 1;
        }
    }
    fclose(f);
    if (!found) printf("%s: id not listed\n", path);
}

static void show_file(const char *path) {
    char buf[256];
    int fd = open(path, O_RDONLY);
    if (fd < 0) { printf("%s: %s\n", path, strerror(errno)); return; }
    long n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n > 0 ? n : 0] = 0;
    printf("%s: %s", path, buf);
}

static long write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY);
    if (fd < 0) return -errno;
    long n = write(fd, text, strlen(text));
    long r = n < 0 ? -errno : n;
    close(fd);
    return r;
}

int main(void) {
    int shm = shmget(0x4c585231, 10000, IPC_CREAT | IPC_EXCL | 0640);
    if (shm < 0) { perror("shmget"); return 1; }
    show_line("/proc/sysvipc/shm", shm);
    shmctl(shm, IPC_RMID, NULL);
    int msg = msgget(0x4c585232, IPC_CREAT | IPC_EXCL | 0600);
    struct { long type; char text[8]; } m = {1, "hello"};
    msgsnd(msg, &m, 5, 0);
    show_line("/proc/sysvipc/msg", msg);
    msgctl(msg, IPC_RMID, NULL);
    int sem = semget(0x4c585233, 3, IPC_CREAT | IPC_EXCL | 0660);
    show_line("/proc/sysvipc/sem", sem);
    semctl(sem, 0, IPC_RMID);

    show_file("/proc/sys/kernel/shmmni");
    show_file("/proc/sys/kernel/shm_next_id");
    printf("write garbage to shm_next_id: %ld\n", write_file("/proc/sys/kernel/shm_next_id", "x\n"));
    printf("write 30000 to shm_next_id: %ld\n", write_file("/proc/sys/kernel/shm_next_id", "30000\n"));
    int wanted = shmget(IPC_PRIVATE, 4096, 0600);
    printf("segment id after shm_next_id: %d\n", wanted);
    show_file("/proc/sys/kernel/shm_next_id");
    shmctl(wanted, IPC_RMID, NULL);
    return 0;
}
