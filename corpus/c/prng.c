/* Pseudo-random generators written by hand: xorshift32, xorshift64*, splitmix64, a 32-bit
 * LCG and PCG32, with a bucket uniformity test, an unbiased bounded draw by rejection, a
 * Fisher-Yates shuffle and an integer Monte Carlo estimate of pi. */
#include <stdint.h>
#include <stdio.h>
#include <inttypes.h>

static uint32_t xorshift32(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

static uint64_t xorshift64star(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint32_t lcg32(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s;
}

struct pcg {
    uint64_t state, inc;
};

static uint32_t pcg32(struct pcg *r)
{
    uint64_t old = r->state;
    r->state = old * 6364136223846793005ULL + r->inc;
    uint32_t xs = (uint32_t)(((old >> 18) ^ old) >> 27);
    uint32_t rot = (uint32_t)(old >> 59);
    return (xs >> rot) | (xs << ((32 - rot) & 31));
}

static uint32_t bounded(struct pcg *r, uint32_t bound)
{
    uint32_t threshold = (0u - bound) % bound;
    for (;;) {
        uint32_t x = pcg32(r);
        if (x >= threshold)
            return x % bound;
    }
}

static void shuffle(int *a, int n, struct pcg *r)
{
    for (int i = n - 1; i > 0; i--) {
        int j = (int)bounded(r, (uint32_t)i + 1);
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

int main(void)
{
    uint32_t s32 = 2463534242u, l = 1;
    uint64_t s64 = 88172645463325252ULL, sm = 0;
    struct pcg r = {0x853c49e6748fea9bULL, 0xda3e39cb94b95bdbULL};
    for (int i = 0; i < 4; i++) {
        uint32_t a = xorshift32(&s32);
        uint64_t b = xorshift64star(&s64);
        uint64_t c = splitmix64(&sm);
        uint32_t d = lcg32(&l);
        uint32_t e = pcg32(&r);
        printf("%08" PRIx32 " %016" PRIx64 " %016" PRIx64 " %08" PRIx32 " %08" PRIx32 "\n", a, b, c, d, e);
    }
    int buckets[10] = {0};
    for (int i = 0; i < 5000; i++)
        buckets[bounded(&r, 10)]++;
    long chi100 = 0;
    for (int i = 0; i < 10; i++) {
        long d = buckets[i] - 500;
        chi100 += d * d * 100 / 500;
        printf("%d:%d ", i, buckets[i]);
    }
    printf("\nchi-square*100 = %ld\n", chi100);
    int deck[16];
    for (int i = 0; i < 16; i++)
        deck[i] = i;
    shuffle(deck, 16, &r);
    printf("shuffled:");
    for (int i = 0; i < 16; i++)
        printf(" %d", deck[i]);
    printf("\n");
    int inside = 0, trials = 20000;
    for (int i = 0; i < trials; i++) {
        uint64_t v = splitmix64(&sm);
        uint64_t x = v & 0xFFFF, y = (v >> 16) & 0xFFFF;
        if (x * x + y * y < 65536ULL * 65536ULL)
            inside++;
    }
    printf("pi ~ %d.%04d\n", 4 * inside / trials, 4 * inside % trials * 10000 / trials);
    return 0;
}
