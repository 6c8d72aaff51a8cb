/* /proc/self/maps and smaps against what the program mapped: a file at a known address and
 * offset, private anonymous memory split in three by mprotect, and shared anonymous memory.
 * Lines are parsed as procps and glibc parse them (sscanf of "%lx-%lx %4s %lx %x:%x %lu"), and
 * each field is checked against mmap's arguments and fstat of the file. The first argument is a
 * scratch directory for the file. Also: /proc/self/auxv holds what getauxval returns. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#define PAGE 4096
#define FILE_AT ((char *)0x200000000UL)
#define ANON_AT ((char *)0x210000000UL)
#define SHARED_AT ((char *)0x220000000UL)

static char maps[1 << 17], smaps[1 << 20];

static long slurp(const char *path, char *buf, long size) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    long n = 0, r;
    while ((r = read(fd, buf + n, size - 1 - n)) > 0) n += r;
    close(fd);
    buf[n] = 0;
    return n;
}

/* The maps line starting at addr, parsed; returns 0 when there is none. */
static int find(unsigned long addr, unsigned long *end, char *perms, unsigned long *off, unsigned *maj,
                unsigned *min, unsigned long *ino, char *name) {
    for (char *line = maps; *line; line = strchr(line, '\n') + 1) {
        unsigned long start;
        int used = 0;
        name[0] = 0;
        if (sscanf(line, "%lx-%lx %4s %lx %x:%x %lu%n", &start, end, perms, off, maj, min, ino, &used) < 7) return 0;
        if (start == addr) {
            char *p = line + used;
            while (*p == ' ') p++;  /* the padding before the name, not the newline */
            sscanf(p, "%4095[^\n]", name);
            return 1;
        }
    }
    return 0;
}

/* dir: a file mapping, named relative to dir; anon: print device and inode (0:0 0 for private
 * anonymous memory; shared anonymous memory's shmem inode is Linux's own). */
static void show(const char *what, void *addr, const char *dir, int anon) {
    unsigned long end, off, ino;
    unsigned maj, min;
    char perms[8], name[4096];
    if (!find((unsigned long)addr, &end, perms, &off, &maj, &min, &ino, name)) {
        printf("%s: no line\n", what);
        return;
    }
    const char *shown = name;
    if (dir && strncmp(name, dir, strlen(dir)) == 0) shown = name + strlen(dir); /* scratch dirs differ */
    printf("%s: %lu pages %s offset %lx name [%s]", what, (end - (unsigned long)addr) / PAGE, perms, off, shown);
    if (anon) printf(" dev %x:%x inode %lu", maj, min, ino);
    printf("\n");
}

/* A field of the smaps entry for the mapping at addr, in kB (-1 when missing). */
static long smaps_field(void *addr, const char *field) {
    char head[32];
    snprintf(head, sizeof head, "%lx-", (unsigned long)addr);
    char *entry = strstr(smaps, head);
    if (!entry) return -1;
    char *next = strstr(entry + 1, "\nVmFlags:");
    char *p = strstr(entry, field);
    if (!p || (next && p > next)) return -1;
    return atol(p + strlen(field));
}

static const char *vmflags(void *addr) {
    static char flags[256];
    char head[32];
    snprintf(head, sizeof head, "%lx-", (unsigned long)addr);
    char *entry = strstr(smaps, head);
    if (!entry) return "(missing)";
    char *p = strstr(entry, "VmFlags:");
    sscanf(p + 8, "%255[^\n]", flags);
    /* Only what follows from protection and sharing is compared. */
    static char out[64];
    snprintf(out, sizeof out, "%s%s%s%s", strstr(flags, "rd") ? "rd " : "", strstr(flags, "wr") ? "wr " : "",
             strstr(flags, "ex") ? "ex " : "", strstr(flags, " sh") ? "sh" : "");
    return out;
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    char path[4096];
    snprintf(path, sizeof path, "%s/mapped.bin", argv[1]);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    char page[PAGE];
    for (int i = 0; i < 4; i++) {
        memset(page, 'a' + i, PAGE);
        if (write(fd, page, PAGE) != PAGE) return 3;
    }
    struct stat st;
    fstat(fd, &st);
    char *f = mmap(FILE_AT, 2 * PAGE, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, PAGE);
    char *a = mmap(ANON_AT, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    char *s = mmap(SHARED_AT, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (f != FILE_AT || a != ANON_AT || s != SHARED_AT) { printf("mmap failed\n"); return 1; }
    printf("file bytes: %c %c\n", f[0], f[PAGE]);
    a[0] = 1;
    a[3 * PAGE] = 1;
    s[0] = 1;
    mprotect(a + PAGE, PAGE, PROT_READ);

    slurp("/proc/self/maps", maps, sizeof maps);
    show("file", f, argv[1], 0);
    unsigned long end, off, ino;
    unsigned maj, min;
    char perms[8], name[4096];
    find((unsigned long)f, &end, perms, &off, &maj, &min, &ino, name);
    printf("file dev matches fstat: %d, inode matches: %d\n", maj == major(st.st_dev) && min == minor(st.st_dev),
           ino == st.st_ino);
    show("anon head", a, NULL, 1);
    show("anon read-only page", a + PAGE, NULL, 1);
    show("anon tail", a + 2 * PAGE, NULL, 1);
    show("shared anon", s, NULL, 0);
    printf("has [heap]: %d, has [stack]: %d\n", strstr(maps, "[heap]") != NULL, strstr(maps, "[stack]") != NULL);

    munmap(f + PAGE, PAGE);
    slurp("/proc/self/maps", maps, sizeof maps);
    show("file after munmap of its second page", f, argv[1], 0);

    slurp("/proc/self/smaps", smaps, sizeof smaps);
    void *areas[] = {f, a, a + PAGE, a + 2 * PAGE, s};
    const char *names[] = {"file", "anon head", "anon read-only page", "anon tail", "shared anon"};
    for (int i = 0; i < 5; i++) {
        printf("smaps %s: Size %ld Rss %ld Anonymous %ld Swap %ld flags %s\n", names[i], smaps_field(areas[i], "Size:"),
               smaps_field(areas[i], "\nRss:"), smaps_field(areas[i], "Anonymous:"), smaps_field(areas[i], "Swap:"),
               vmflags(areas[i]));
    }

    unsigned long auxv[512] = {0};
    int afd = open("/proc/self/auxv", O_RDONLY);
    long n = read(afd, auxv, sizeof auxv);
    close(afd);
    int pagesz = 0, entry = 0, random = 0, ends = n >= 16 && auxv[n / 8 - 2] == AT_NULL;
    for (long i = 0; i + 1 < n / 8; i += 2) {
        if (auxv[i] == AT_PAGESZ) pagesz = auxv[i + 1] == getauxval(AT_PAGESZ);
        if (auxv[i] == AT_ENTRY) entry = auxv[i + 1] == getauxval(AT_ENTRY);
        if (auxv[i] == AT_RANDOM) random = auxv[i + 1] == getauxval(AT_RANDOM);
    }
    printf("auxv: AT_PAGESZ %d AT_ENTRY %d AT_RANDOM %d ends with AT_NULL %d\n", pagesz, entry, random, ends);
    unlink(path);
    return 0;
}
