/* The CPU state a new process starts with (execve resets it), what threads and fork children
 * inherit (a copy of the parent's), and the CPUID features the program is told about, each of
 * which must really execute. */
#define _GNU_SOURCE
#include <fenv.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cpuid.h>

#define ARCH_GET_GS 0x1004

static unsigned short fcw(void) { unsigned short w; __asm__ volatile("fnstcw %0" : "=m"(w)); return w; }
static unsigned mxcsr(void) { unsigned m; __asm__ volatile("stmxcsr %0" : "=m"(m)); return m; }

/* fnstenv: control, status and tag words of the x87 unit. */
static void x87_env(unsigned short *cw, unsigned short *sw, unsigned short *tw) {
    unsigned int env[7];
    __asm__ volatile("fnstenv %0; fldenv %0" : "=m"(env));
    *cw = env[0] & 0xffff; *sw = env[1] & 0xffff; *tw = env[2] & 0xffff;
}

static void fp_state(const char *who) {
    printf("%s: fcw %#x mxcsr %#x round %d\n", who, fcw(), mxcsr(), fegetround());
}

static void *thread_main(void *arg) {
    fp_state((const char *)arg);
    return NULL;
}

static void entry_state(void) {
    unsigned short cw, sw, tw;
    x87_env(&cw, &sw, &tw);
    printf("x87: cw %#x sw %#x tw %#x\n", cw, sw, tw);
    printf("mxcsr %#x\n", mxcsr());
    unsigned long flags;
    __asm__ volatile("pushfq; popq %0" : "=r"(flags));
    /* the arithmetic flags depend on the code before; the system flags are the kernel's */
    printf("rflags system bits %#lx\n", flags & ~0x8d5UL);
    unsigned short cs, ss, ds, es, fs, gs;
    __asm__ volatile("mov %%cs, %0; mov %%ss, %1; mov %%ds, %2; mov %%es, %3; mov %%fs, %4; mov %%gs, %5"
                     : "=r"(cs), "=r"(ss), "=r"(ds), "=r"(es), "=r"(fs), "=r"(gs));
    printf("selectors cs %#x ss %#x ds %#x es %#x fs %#x gs %#x\n", cs, ss, ds, es, fs, gs);
    unsigned long gsbase = 1;
    long r = syscall(SYS_arch_prctl, ARCH_GET_GS, &gsbase);
    printf("gs base %ld %#lx\n", r, gsbase);
}

/* Every feature CPUID names must run; a feature bit the CPU cannot execute would crash the
 * libraries that choose code by it (glibc's string functions, OpenJDK's stubs). */
static void features(void) {
    unsigned a, b, c, d;
    __cpuid(1, a, b, c, d);
    int popcnt = (c >> 23) & 1, sse42 = (c >> 20) & 1, movbe = (c >> 22) & 1, pclmul = (c >> 1) & 1,
        aes = (c >> 25) & 1, osxsave = (c >> 27) & 1, rdrand = (c >> 30) & 1, avx = (c >> 28) & 1,
        sse41 = (c >> 19) & 1, ssse3 = (c >> 9) & 1, cx16 = (c >> 13) & 1;
    __cpuid_count(7, 0, a, b, c, d);
    int bmi1 = (b >> 3) & 1, bmi2 = (b >> 8) & 1, avx2 = (b >> 5) & 1;
    __cpuid(0x80000001, a, b, c, d);
    int lzcnt = (c >> 5) & 1, rdtscp = (d >> 27) & 1;
    volatile unsigned long x = 0xf0f0f00fUL, y;
    int ran = 0;
    if (popcnt) { __asm__ volatile("popcnt %1, %0" : "=r"(y) : "r"(x)); ran += y == 16; }
    if (sse42) { unsigned v = 0; __asm__ volatile("crc32b %1, %0" : "+r"(v) : "r"((unsigned char)1)); ran += v != 0; }
    if (movbe) { unsigned v; volatile unsigned m = 0x11223344; __asm__ volatile("movbe %1, %0" : "=r"(v) : "m"(m)); ran += v == 0x44332211; }
    if (pclmul) { __asm__ volatile("pclmulqdq $0, %%xmm1, %%xmm0" ::: "xmm0"); ran++; }
    if (aes) { __asm__ volatile("aesenc %%xmm1, %%xmm0" ::: "xmm0"); ran++; }
    if (ssse3) { __asm__ volatile("pshufb %%xmm1, %%xmm0" ::: "xmm0"); ran++; }
    if (sse41) { __asm__ volatile("pminud %%xmm1, %%xmm0" ::: "xmm0"); ran++; }
    if (cx16) { static __int128 m __attribute__((aligned(16))); unsigned long lo = 0, hi = 0;
        __asm__ volatile("lock cmpxchg16b %0" : "+m"(m), "+a"(lo), "+d"(hi) : "b"(1UL), "c"(2UL)); ran += m == (((__int128)2 << 64) | 1); }
    if (osxsave) { unsigned lo, hi; __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        /* XCR0 must enable x87 and SSE, and AVX only with the AVX feature */
        ran += (lo & 3) == 3 && (((lo >> 2) & 1) == avx); }
    if (rdrand) { unsigned long v; unsigned char ok; __asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok)); ran++; }
    if (bmi1) { __asm__ volatile("andn %1, %1, %0" : "=r"(y) : "r"(x)); ran += y == 0; }
    if (bmi2) { __asm__ volatile("pdep %2, %1, %0" : "=r"(y) : "r"(x), "r"(0xffUL)); ran += y == 0xf; }
    if (lzcnt) { __asm__ volatile("lzcnt %1, %0" : "=r"(y) : "r"(x)); ran += y == 32; }
    if (rdtscp) { unsigned lo, hi, aux; __asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux)); ran++; }
    int named = popcnt + sse42 + movbe + pclmul + aes + ssse3 + sse41 + cx16 + osxsave + rdrand + bmi1 + bmi2 + lzcnt + rdtscp;
    printf("every named feature runs: %s\n", ran == named ? "yes" : "no");
    (void)avx2;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "after-exec") == 0) {
        fp_state("after execve");
        return 0;
    }
    entry_state();
    features();
    fp_state("main");
    /* a long double computed and cast to int must keep 64-bit precision (the cast reloads FCW) */
    volatile long double one = 1, third = one / 3;
    volatile int i = (int)third;
    volatile long double again = one / 3;
    printf("after cast %d: %.20Lf\n", i, again);
    fesetround(FE_UPWARD);
    fp_state("main upward");
    pthread_t t;
    pthread_create(&t, NULL, thread_main, "thread");
    pthread_join(t, NULL);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        fp_state("fork child");
        fflush(stdout);
        execl("/proc/self/exe", argv[0], "after-exec", (char *)NULL);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("child status %d\n", WEXITSTATUS(st));
    return 0;
}
