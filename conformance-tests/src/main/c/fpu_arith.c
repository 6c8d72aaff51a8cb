/* Floating point compared with the real CPU: x87 long double, rounding modes set with
 * fesetround (x87 and SSE), float<->int conversions in each mode, denormals, and printf of
 * extremes. Exception flags and x87 transcendentals are not compared: Unicorn does not raise
 * the flags and computes F2XM1/FYL2X/FSIN... in double precision (see docs/architecture.md). */
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>

static volatile double d_vals[] = {0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 1e300, -7.75, 3.3333333333333335};
static volatile long double ld_one = 1.0L, ld_three = 3.0L;

int main(void) {
    int modes[] = {FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO};
    const char *names[] = {"nearest", "down", "up", "zero"};
    for (int m = 0; m < 4; m++) {
        fesetround(modes[m]);
        printf("[%s]\n", names[m]);
        volatile double one = 1.0, three = 3.0, ten = 10.0;
        printf(" 1/3 %.17g 1/10 %.17g -1/3 %.17g\n", one / three, one / ten, -one / three);
        printf(" long double 1/3 %.21Lg 2/3 %.21Lg\n", ld_one / ld_three, 2 * ld_one / ld_three);
        volatile float f1 = 1.0f, f3 = 3.0f;
        printf(" float 1/3 %.9g\n", (double)(f1 / f3));
        for (unsigned i = 0; i < sizeof d_vals / sizeof d_vals[0]; i++) {
            double v = d_vals[i];
            printf(" %g: rint %g lrint %ld (int) %d llrint %lld nearbyint %g\n", v, rint(v), lrint(v), (int)(v > 1e9 ? 0 : v),
                   llrint(v > 1e18 ? 0 : v), nearbyint(v));
        }
        volatile long double big = 12345.678L;
        printf(" (long) of long double %ld, then 1/3 %.21Lg\n", (long)big, ld_one / ld_three);
        volatile double s = 1e-300;
        printf(" sqrt 2 %.17g sqrt 1e-300 %.17g\n", sqrt(2.0), sqrt(s));
        printf(" (float)1e-40 %.9g, (double)1e-310*1e-10 %.17g\n", (double)(float)(s * 1e260), s * 1e-10 * 1e-10);
    }
    fesetround(FE_TONEAREST);
    volatile double dmin = DBL_MIN, dmax = DBL_MAX, dtrue_min = 4.9406564584124654e-324;
    printf("DBL_MIN %.17g DBL_MAX %.17g denorm %.17g half-denorm %.17g\n", dmin, dmax, dtrue_min, dtrue_min / 2);
    printf("DBL_MIN/3 %.17g DBL_MAX*2 %g -DBL_MAX*2 %g\n", dmin / 3, dmax * 2, -dmax * 2);
    volatile long double lmin = LDBL_MIN, lmax = LDBL_MAX;
    printf("LDBL_MIN %Lg LDBL_MAX %Lg LDBL_MIN/3 %Lg\n", lmin, lmax, lmin / 3);
    printf("LDBL_EPSILON %Lg DBL_EPSILON %g FLT_EPSILON %g\n", (long double)LDBL_EPSILON, DBL_EPSILON, (double)FLT_EPSILON);
    volatile double nan = 0.0 / 0.0 * 0, inf = 1.0 / 0.0 * 1;
    printf("nan %f inf %f -inf %f (int)nan %d\n", nan, inf, -inf, (int)(nan == nan ? 1 : 0));
    printf("2.5e300 %.15g 1/3 %.15g\n", 2.5e300, 1.0 / 3);
    /* expl is left out: Unicorn computes F2XM1 and the other x87 transcendentals in double
     * precision (docs/architecture.md) */
    volatile int64_t big = INT64_MAX;
    printf("(double)INT64_MAX %.17g (long double)INT64_MAX %.21Lg\n", (double)big, (long double)big);
    volatile uint64_t ubig = UINT64_MAX;
    printf("(double)UINT64_MAX %.17g (uint64)1e19 %llu\n", (double)ubig, (unsigned long long)(volatile double){1e19});
    return 0;
}
