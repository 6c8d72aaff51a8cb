/* After SYSCALL, RCX holds the address of the next instruction and R11 the flags (what SYSRET
 * restores). */
#include <stdio.h>
#include <sys/syscall.h>

int main(void) {
    unsigned long rcx, r11, flags, next, rdi = 0x1111, rsi = 0x2222, rdx = 0x3333, r8 = 0x8888, r9 = 0x9999, r10 = 0xaaaa;
    (void)r8; (void)r9; (void)r10;
    long ret;
    register unsigned long r8r __asm__("r8") = r8, r9r __asm__("r9") = r9, r10r __asm__("r10") = r10;
    __asm__ volatile(
        "mov $0xdeadbeef, %%rcx\n\t"
        "mov $0xfeedface, %%r11\n\t"
        "pushfq\n\t"
        "popq %[flags]\n\t"
        "lea 1f(%%rip), %[next]\n\t"
        "syscall\n"
        "1:\n\t"
        "mov %%rcx, %[rcx]\n\t"
        "mov %%r11, %[r11]\n\t"
        : "=a"(ret), [rcx] "=&r"(rcx), [r11] "=&r"(r11), [flags] "=&r"(flags), [next] "=&r"(next),
          "+D"(rdi), "+S"(rsi), "+d"(rdx), "+r"(r8r), "+r"(r9r), "+r"(r10r)
        : "a"((long)SYS_getppid)
        : "rcx", "r11", "memory", "cc");
    printf("getppid > 0: %s\n", ret > 0 ? "yes" : "no");
    printf("rcx is the return address: %s\n", rcx == next ? "yes" : "no");
    printf("r11 is the flags: %s (r11 %#lx)\n", (r11 & ~0x10000UL) == flags ? "yes" : "no", r11 & ~0x8d5UL);
    return 0;
}
