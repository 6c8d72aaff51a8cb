/* Directory listing through getdents64 (readdir), sorted so that host order does not matter. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
int main(int argc, char **argv) {
    if (argc < 2 || chdir(argv[1]) != 0) { perror("chdir"); return 2; }
    mkdir("d", 0755);
    for (int i = 0; i < 300; i++) {
        char name[64];
        snprintf(name, sizeof name, "d/file-%03d-with-a-long-name-to-fill-buffers", i);
        int fd = open(name, O_WRONLY | O_CREAT, 0644);
        close(fd);
    }
    mkdir("d/subdir", 0755);
    symlink("file-000-with-a-long-name-to-fill-buffers", "d/link");
    DIR *dir = opendir("d");
    if (!dir) { perror("opendir"); return 1; }
    char *names[400];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL && n < 400) {
        char *s = malloc(strlen(e->d_name) + 4);
        sprintf(s, "%s %c", e->d_name, e->d_type == DT_DIR ? 'd' : e->d_type == DT_LNK ? 'l' : e->d_type == DT_REG ? 'f' : '?');
        names[n++] = s;
    }
    closedir(dir);
    qsort(names, n, sizeof *names, cmp);
    printf("%d entries\n", n);
    for (int i = 0; i < n; i++) printf("%s\n", names[i]);
    if (opendir("nonexistent") == NULL) perror("opendir nonexistent");
    return 0;
}
