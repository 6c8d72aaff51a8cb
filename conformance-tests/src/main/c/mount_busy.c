/*
 * rmdir and rename of mount points (issue 19): run under lxrun --root with a --tmpfs at
 * /scratch and a --mount at /mnt, each answer must be Linux's for real mounts there: EBUSY for
 * a mount point (and the root) within one mount, EXDEV across mounts.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void show(const char *what, int r) { printf("%s: %s\n", what, r < 0 ? strerror(errno) : "OK"); }

int main(void) {
    show("rmdir /mnt", rmdir("/mnt"));
    show("rmdir /mnt/", rmdir("/mnt/"));
    show("rmdir /scratch", rmdir("/scratch"));
    show("rmdir /proc", rmdir("/proc"));
    show("rmdir /dev", rmdir("/dev"));
    show("rmdir /", rmdir("/"));
    show("rename /mnt /mnt2", rename("/mnt", "/mnt2"));
    show("rename /scratch /s2", rename("/scratch", "/s2"));
    show("rename /proc /p2", rename("/proc", "/p2"));
    show("rename /dir /mnt", rename("/dir", "/mnt"));
    show("rename /mnt /scratch/x", rename("/mnt", "/scratch/x"));
    show("rename /mnt/../mnt /x", rename("/mnt/../mnt", "/x"));
    chdir("/mnt");
    show("rmdir ../mnt", rmdir("../mnt"));
    show("rmdir ../dir (no mount point)", rmdir("../dir"));
    return 0;
}
