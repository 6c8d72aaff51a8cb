/* The auxiliary vector as a program sees it through getauxval. Values that differ between
 * machines (HWCAP, addresses under ASLR) are checked for consistency rather than printed. */
#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>
extern char _start[];
extern const ElfW(Ehdr) __ehdr_start;
int main(int argc, char **argv) {
    printf("AT_PAGESZ=%lu\n", getauxval(AT_PAGESZ));
    printf("AT_CLKTCK=%lu\n", getauxval(AT_CLKTCK));
    printf("AT_PHENT=%lu\n", getauxval(AT_PHENT));
    printf("AT_PHNUM matches header: %d\n", getauxval(AT_PHNUM) == __ehdr_start.e_phnum);
    printf("AT_PHDR matches header: %d\n",
           getauxval(AT_PHDR) == (unsigned long)&__ehdr_start + __ehdr_start.e_phoff);
    printf("AT_ENTRY is _start: %d\n", getauxval(AT_ENTRY) == (unsigned long)_start);
    printf("AT_BASE=%lu\n", getauxval(AT_BASE));
    printf("AT_UID matches: %d\n", getauxval(AT_UID) == getuid());
    printf("AT_EUID matches: %d\n", getauxval(AT_EUID) == geteuid());
    printf("AT_GID matches: %d\n", getauxval(AT_GID) == getgid());
    printf("AT_EGID matches: %d\n", getauxval(AT_EGID) == getegid());
    printf("AT_SECURE=%lu\n", getauxval(AT_SECURE));
    printf("AT_HWCAP nonzero: %d\n", getauxval(AT_HWCAP) != 0);
    const char *platform = (const char *)getauxval(AT_PLATFORM);
    printf("AT_PLATFORM=%s\n", platform ? platform : "(null)");
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    printf("AT_EXECFN equals argv[0]: %d\n", execfn && strcmp(execfn, argv[0]) == 0);
    const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
    int nonzero = 0;
    for (int i = 0; rnd && i < 16; i++) nonzero |= rnd[i];
    printf("AT_RANDOM readable and nonzero: %d\n", rnd != NULL && nonzero != 0);
    unsigned long sp_align = (unsigned long)__builtin_frame_address(0) % 8;
    printf("frame aligned: %d\n", sp_align == 0);
    return argc > 1;
}
