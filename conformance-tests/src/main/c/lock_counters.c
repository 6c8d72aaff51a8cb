/* Lock-prefixed read-modify-writes from 8 threads at once must not lose updates: lock add,
 * lock xadd, lock inc, a lock cmpxchg retry loop, an xchg spinlock guarding a plain counter and
 * a lock cmpxchg16b pair. With threads running in parallel under lxrun these are exact only if
 * Unicorn translates them to host atomics (patch 0010). Prints the totals (same as native). */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#define THREADS 8
#define ITER 100000

static volatile long add_ctr, xadd_ctr, inc_ctr, cas_ctr, plain_ctr;
static volatile int spin;
static volatile long xadd_sum;
/* Values passed through one slot with xchg: none may be lost or duplicated. */
static volatile long slot, slot_sum;
static __int128 pair __attribute__((aligned(16)));

static void spin_lock(void) {
    int one = 1;
    for (;;) {
        int old = one;
        __asm__ volatile("xchg %0, %1" : "+r"(old), "+m"(spin) : : "memory");
        if (old == 0) return;
        while (spin) __asm__ volatile("pause");
    }
}

static void spin_unlock(void) {
    __asm__ volatile("" : : : "memory");
    spin = 0;
}

static void pair_add(void) {
    uint64_t lo, hi;
    __asm__ volatile("mov (%2), %0\n\tmov 8(%2), %1" : "=&r"(lo), "=&r"(hi) : "r"(&pair) : "memory");
    for (;;) {
        uint64_t nlo = lo + 1, nhi = hi + 2;
        unsigned char ok;
        __asm__ volatile("lock cmpxchg16b %1\n\tsete %0"
                         : "=q"(ok), "+m"(pair), "+a"(lo), "+d"(hi)
                         : "b"(nlo), "c"(nhi) : "memory", "cc");
        if (ok) return;
    }
}

static void *worker(void *arg) {
    long mine = 0, got = 0;
    for (long i = 0; i < ITER; i++) {
        __asm__ volatile("lock addq $1, %0" : "+m"(add_ctr) : : "cc");
        long v = 1;
        __asm__ volatile("lock xaddq %0, %1" : "+r"(v), "+m"(xadd_ctr) : : "cc");
        mine += v;
        __asm__ volatile("lock incq %0" : "+m"(inc_ctr) : : "cc");
        long old = cas_ctr;
        while (!__atomic_compare_exchange_n(&cas_ctr, &old, old + 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {}
        spin_lock();
        plain_ctr = plain_ctr + 1;
        spin_unlock();
        if ((i & 7) == 0) pair_add();
        long mine_v = (long)(uintptr_t)arg * ITER + i + 1;
        __asm__ volatile("xchg %0, %1" : "+r"(mine_v), "+m"(slot) : : "memory");
        got += mine_v;
    }
    __atomic_fetch_add(&xadd_sum, mine, __ATOMIC_SEQ_CST);
    __atomic_fetch_add(&slot_sum, got, __ATOMIC_SEQ_CST);
    return NULL;
}

int main(void) {
    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, worker, (void *)i);
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
    long n = (long)THREADS * ITER;
    printf("lock add   %ld\n", add_ctr);
    printf("lock xadd  %ld (sum of old values %s)\n", xadd_ctr, xadd_sum == n * (n - 1) / 2 ? "exact" : "wrong");
    printf("lock inc   %ld\n", inc_ctr);
    printf("cmpxchg    %ld\n", cas_ctr);
    printf("xchg lock  %ld\n", plain_ctr);
    printf("xchg slot  %s\n", slot_sum + slot == n * (n + 1) / 2 ? "every value passed on once" : "values lost or doubled");
    printf("cmpxchg16b %llu %llu\n", (unsigned long long)(uint64_t)pair, (unsigned long long)(uint64_t)(pair >> 64));
    return add_ctr == n && xadd_ctr == n && inc_ctr == n && cas_ctr == n && plain_ctr == n && slot_sum + slot == n * (n + 1) / 2 ? 0 : 1;
}
