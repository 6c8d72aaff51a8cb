/* Signal handlers and the FPU: a handler starts with Linux's initial FPU state, whatever the
 * interrupted code set; what it changes does not leak back; the frame's fpstate holds the
 * interrupted MXCSR, control word and XMM registers in the XSAVE layout Linux writes. */
#define _GNU_SOURCE
#include <fenv.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

static unsigned short fcw(void) { unsigned short w; __asm__ volatile("fnstcw %0" : "=m"(w)); return w; }
static unsigned mxcsr(void) { unsigned m; __asm__ volatile("stmxcsr %0" : "=m"(m)); return m; }

static volatile unsigned short h_fcw;
static volatile unsigned h_mxcsr, saved_mxcsr, saved_cwd, magic1, magic2, xfeatures, xsize;
static volatile double saved_xmm_low;
static volatile int have_fpstate;

static void handler(int sig, siginfo_t *si, void *ctx) {
    (void)sig; (void)si;
    h_fcw = fcw();
    h_mxcsr = mxcsr();
    ucontext_t *uc = ctx;
    /* the FXSAVE layout by offset (glibc and musl name the struct differently) */
    const unsigned char *raw = (const unsigned char *)uc->uc_mcontext.fpregs;
    have_fpstate = raw != NULL;
    if (raw) {
        unsigned short cwd;
        memcpy(&cwd, raw, 2);
        saved_cwd = cwd;
        memcpy((void *)&saved_mxcsr, raw + 24, 4);
        memcpy((void *)&saved_xmm_low, raw + 160 + 5 * 16, sizeof(double));
        memcpy((void *)&magic1, raw + 464, 4);
        memcpy((void *)&xsize, raw + 480, 4);
        memcpy((void *)&xfeatures, raw + 472, 4);
        memcpy((void *)&magic2, raw + xsize, 4);
    }
    /* a handler that changes rounding modes must not leak them into the interrupted code */
    fesetround(FE_TOWARDZERO);
    unsigned short cw = 0x7f; /* 24-bit precision, round to nearest */
    __asm__ volatile("fldcw %0" : : "m"(cw));
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);

    fesetround(FE_DOWNWARD);
    unsigned m = mxcsr() | 0x8040; /* flush-to-zero and denormals-are-zero too */
    __asm__ volatile("ldmxcsr %0" : : "m"(m));
    double marker = 1234.5;
    register double x5 __asm__("xmm5") = marker;
    __asm__ volatile("" : "+x"(x5));
    raise(SIGUSR1);
    __asm__ volatile("" : "+x"(x5));

    printf("handler started with fcw %#x mxcsr %#x\n", h_fcw, h_mxcsr);
    printf("frame: fpstate %s, saved mxcsr %#x, saved cwd %#x\n", have_fpstate ? "yes" : "no", saved_mxcsr, saved_cwd);
    printf("frame: xmm5 saved %s\n", saved_xmm_low == marker ? "yes" : "no");
    printf("frame: magic1 %#x magic2 %#x xstate size >= 576: %s, features x87+sse: %s\n", magic1, magic2,
           xsize >= 576 ? "yes" : "no", (xfeatures & 3) == 3 ? "yes" : "no");
    printf("after return: fcw %#x mxcsr %#x round %d xmm5 kept %s\n", fcw(), mxcsr(), fegetround(),
           x5 == marker ? "yes" : "no");
    volatile double a = 1.0, b = 3.0;
    printf("1/3 rounded down: %.17g\n", a / b);
    volatile long double la = 1.0L, lb = 3.0L;
    printf("1/3 long double rounded down: %.21Lg\n", la / lb);
    return 0;
}
