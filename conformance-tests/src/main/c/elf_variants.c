/*
 * execve of malformed copies of this program (issue 19): how each ends must be how it ends on
 * Linux (binfmt_elf): an errno before the point of no return (ENOEXEC, EIO, EINVAL, ENOENT,
 * ELIBBAD, EACCES), SIGSEGV after it, or a normal run. Run with "child" it just exits 7.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static unsigned char *image;
static size_t size;
static char dir[] = "/tmp/ev.XXXXXX"; /* short: loader paths below fit in 20 bytes */

static Elf64_Ehdr *eh(unsigned char *b) { return (Elf64_Ehdr *)b; }
static Elf64_Phdr *ph(unsigned char *b, int i) { return (Elf64_Phdr *)(b + eh(b)->e_phoff) + i; }

static int find(unsigned char *b, unsigned type, int nth) {
    for (int i = 0; i < eh(b)->e_phnum; i++)
        if (ph(b, i)->p_type == type && nth-- == 0) return i;
    return -1;
}

/* the program header that becomes PT_INTERP: the existing one, else a PT_NOTE */
static Elf64_Phdr *interp(unsigned char *b) {
    int i = find(b, PT_INTERP, 0);
    if (i < 0) i = find(b, PT_NOTE, 0);
    ph(b, i)->p_type = PT_INTERP;
    return ph(b, i);
}

/* runs a copy of the image (plus extra bytes at its end) changed by how; prints how it ended */
static void variant(const char *name, void (*how)(unsigned char *, size_t), const char *extra, size_t extralen) {
    unsigned char *b = malloc(size + extralen);
    memcpy(b, image, size);
    memcpy(b + size, extra, extralen);
    how(b, size);
    char path[64];
    snprintf(path, sizeof path, "%s/m", dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    write(fd, b, size + extralen);
    close(fd);
    free(b);
    pid_t c = fork();
    if (c == 0) {
        char *argv[] = {path, "child", NULL};
        execv(path, argv);
        _exit(100 + errno);
    }
    int s;
    waitpid(c, &s, 0);
    if (WIFSIGNALED(s)) printf("%s: killed by %s\n", name, strsignal(WTERMSIG(s)));
    else if (WEXITSTATUS(s) >= 100) printf("%s: execve %s\n", name, strerror(WEXITSTATUS(s) - 100));
    else printf("%s: ran, exit %d\n", name, WEXITSTATUS(s));
    unlink(path);
}

static void unchanged(unsigned char *b, size_t n) { (void)b; (void)n; }
static void ident_bytes(unsigned char *b, size_t n) { (void)n; b[EI_CLASS] = ELFCLASS32; b[EI_DATA] = ELFDATA2MSB; b[EI_VERSION] = 9; eh(b)->e_version = 7; eh(b)->e_flags = 0x10000000; }
static void exec_only(unsigned char *b, size_t n) { (void)n; for (int i = 0; i < eh(b)->e_phnum; i++) if (ph(b, i)->p_type == PT_LOAD && ph(b, i)->p_flags == PF_R) ph(b, i)->p_flags = PF_X; }
static void odd_align(unsigned char *b, size_t n) { (void)n; for (int i = 0; i < eh(b)->e_phnum; i++) if (ph(b, i)->p_type == PT_LOAD) ph(b, i)->p_align = i % 2 ? 3 : 0x200000; }
static void relocatable(unsigned char *b, size_t n) { (void)n; eh(b)->e_type = ET_REL; }
static void i386(unsigned char *b, size_t n) { (void)n; eh(b)->e_machine = EM_386; }
static void phentsize(unsigned char *b, size_t n) { (void)n; eh(b)->e_phentsize = 55; }
static void phnum0(unsigned char *b, size_t n) { (void)n; eh(b)->e_phnum = 0; }
static void phnum_many(unsigned char *b, size_t n) { (void)n; eh(b)->e_phnum = 1200; }
static void phoff_past_end(unsigned char *b, size_t n) { eh(b)->e_phoff = n - 20; }
static void filesz_above_memsz(unsigned char *b, size_t n) { (void)n; Elf64_Phdr *p = ph(b, find(b, PT_LOAD, 1)); p->p_filesz = p->p_memsz + 1; }
static void skewed_offset(unsigned char *b, size_t n) { (void)n; ph(b, find(b, PT_LOAD, 1))->p_offset += 1; }
static void huge_offset(unsigned char *b, size_t n) { (void)n; ph(b, find(b, PT_LOAD, 0))->p_offset = 0x7ffffffffffff000UL; }
static void no_load(unsigned char *b, size_t n) { (void)n; for (int i = 0; i < eh(b)->e_phnum; i++) if (ph(b, i)->p_type == PT_LOAD) ph(b, i)->p_type = PT_NULL; }
static void kernel_entry(unsigned char *b, size_t n) { (void)n; eh(b)->e_entry = 0xffff800000000000UL; }
static void interp_at_end(unsigned char *b, size_t n) { Elf64_Phdr *p = interp(b); p->p_offset = n; p->p_filesz = 20; }
static void interp_unterminated(unsigned char *b, size_t n) { Elf64_Phdr *p = interp(b); p->p_offset = n; p->p_filesz = 3; }
static void interp_too_long(unsigned char *b, size_t n) { Elf64_Phdr *p = interp(b); p->p_offset = 0; p->p_filesz = 5000; (void)n; }
static void interp_too_short(unsigned char *b, size_t n) { Elf64_Phdr *p = interp(b); p->p_offset = n; p->p_filesz = 1; }
static void interp_past_end(unsigned char *b, size_t n) { Elf64_Phdr *p = interp(b); p->p_offset = n + 4096; p->p_filesz = 20; }
static void interp_negative(unsigned char *b, size_t n) { (void)n; Elf64_Phdr *p = interp(b); p->p_offset = -4096L; p->p_filesz = 20; }
static void interp_twice(unsigned char *b, size_t n) { Elf64_Phdr *p = interp(b); p->p_offset = n; p->p_filesz = 20; int i = find(b, PT_NOTE, 0); if (i >= 0) { ph(b, i)->p_type = PT_INTERP; ph(b, i)->p_filesz = 1; } }

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "child") == 0) return 7;
    int fd = open("/proc/self/exe", O_RDONLY);
    struct stat st;
    fstat(fd, &st);
    size = st.st_size;
    image = malloc(size);
    if (read(fd, image, size) != (ssize_t)size) { perror("read"); return 1; }
    close(fd);
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    char text[32], tiny[32];
    snprintf(text, sizeof text, "%s/text", dir);
    snprintf(tiny, sizeof tiny, "%s/tiny", dir);
    fd = open(text, O_WRONLY | O_CREAT, 0755);
    write(fd, "#!/bin/sh\nexit 0\n#!/bin/sh\nexit 0\n#!/bin/sh\nexit 0\n#!/bin/sh\nexit 0\n", 68);
    close(fd);
    fd = open(tiny, O_WRONLY | O_CREAT, 0755);
    write(fd, "\177ELF\2\1\1", 7);
    close(fd);

    variant("unchanged", unchanged, "", 0);
    variant("class, data and version bytes", ident_bytes, "", 0);
    variant("read-only segment made execute-only", exec_only, "", 0);
    variant("odd p_align", odd_align, "", 0);
    variant("ET_REL", relocatable, "", 0);
    variant("EM_386", i386, "", 0);
    variant("e_phentsize 55", phentsize, "", 0);
    variant("e_phnum 0", phnum0, "", 0);
    variant("e_phnum 1200", phnum_many, "", 0);
    variant("program headers past the end", phoff_past_end, "", 0);
    variant("p_filesz above p_memsz", filesz_above_memsz, "", 0);
    variant("p_offset not congruent", skewed_offset, "", 0);
    variant("p_offset beyond any file", huge_offset, "", 0);
    variant("no PT_LOAD", no_load, "", 0);
    variant("entry above user space", kernel_entry, "", 0);
    variant("missing interpreter", interp_at_end, "/nonexistent/ld.so\0", 20);
    variant("interpreter not NUL-terminated", interp_unterminated, "abc", 3);
    variant("interpreter path too long", interp_too_long, "", 0);
    variant("interpreter path too short", interp_too_short, "/", 1);
    variant("interpreter path past the end", interp_past_end, "", 0);
    variant("interpreter path at a negative offset", interp_negative, "", 0);
    variant("interpreter a directory", interp_at_end, "/tmp\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 20);
    char t20[20] = {0}, y20[20] = {0};
    memcpy(t20, text, strlen(text));
    memcpy(y20, tiny, strlen(tiny));
    variant("interpreter a text file", interp_at_end, t20, 20);
    variant("interpreter shorter than an ELF header", interp_at_end, y20, 20);
    variant("second PT_INTERP ignored", interp_twice, "/nonexistent/ld.so\0", 20);
    unlink(text);
    unlink(tiny);
    rmdir(dir);
    return 0;
}
