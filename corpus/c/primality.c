/* Primality and factoring on 64-bit integers: modular multiplication through unsigned
 * __int128, square-and-multiply modular exponentiation, a deterministic Miller-Rabin test,
 * Pollard's rho with Brent-style gcd batching, and full prime factorizations sorted in place. */
#include <stdint.h>
#include <stdio.h>
#include <inttypes.h>

typedef unsigned __int128 u128;

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m)
{
    return (uint64_t)((u128)a * b % m);
}

static uint64_t powmod(uint64_t base, uint64_t exp, uint64_t m)
{
    uint64_t r = 1 % m;
    base %= m;
    while (exp) {
        if (exp & 1)
            r = mulmod(r, base, m);
        base = mulmod(base, base, m);
        exp >>= 1;
    }
    return r;
}

static int is_prime(uint64_t n)
{
    static const uint64_t bases[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
    if (n < 2)
        return 0;
    for (int i = 0; i < 12; i++) {
        if (n == bases[i])
            return 1;
        if (n % bases[i] == 0)
            return 0;
    }
    uint64_t d = n - 1;
    int s = 0;
    while ((d & 1) == 0) {
        d >>= 1;
        s++;
    }
    for (int i = 0; i < 12; i++) {
        uint64_t x = powmod(bases[i], d, n);
        if (x == 1 || x == n - 1)
            continue;
        int composite = 1;
        for (int r = 1; r < s; r++) {
            x = mulmod(x, x, n);
            if (x == n - 1) {
                composite = 0;
                break;
            }
        }
        if (composite)
            return 0;
    }
    return 1;
}

static uint64_t gcd(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static uint64_t rho(uint64_t n, uint64_t c)
{
    if (n % 2 == 0)
        return 2;
    uint64_t x = 2, y = 2, d = 1;
    while (d == 1) {
        uint64_t q = 1, xs = x;
        for (int k = 0; k < 16; k++) {
            x = (mulmod(x, x, n) + c) % n;
            y = (mulmod(y, y, n) + c) % n;
            y = (mulmod(y, y, n) + c) % n;
            uint64_t diff = x > y ? x - y : y - x;
            uint64_t nq = mulmod(q, diff, n);
            if (nq == 0)
                break;
            q = nq;
        }
        d = gcd(q, n);
        if (d == n) {
            /* batch overshot: redo one step at a time from the saved x */
            x = xs;
            y = (mulmod(xs, xs, n) + c) % n;
            d = 1;
            while (d == 1) {
                uint64_t diff = x > y ? x - y : y - x;
                d = gcd(diff, n);
                x = (mulmod(x, x, n) + c) % n;
                y = (mulmod(y, y, n) + c) % n;
                y = (mulmod(y, y, n) + c) % n;
            }
        }
    }
    return d;
}

static int factor(uint64_t n, uint64_t *out, int k)
{
    if (n == 1)
        return k;
    if (is_prime(n)) {
        out[k++] = n;
        return k;
    }
    for (uint64_t p = 2; p < 100; p++) {
        if (n % p == 0)
            return factor(n / p, out, factor(p, out, k));
    }
    uint64_t d = n;
    for (uint64_t c = 1; d == n; c++)
        d = rho(n, c);
    return factor(n / d, out, factor(d, out, k));
}

static void sort_u64(uint64_t *a, int n)
{
    for (int i = 1; i < n; i++) {
        uint64_t v = a[i];
        int j = i;
        while (j > 0 && a[j - 1] > v) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = v;
    }
}

int main(void)
{
    printf("2^64 mod 1e9+7 = %" PRIu64 "\n", powmod(2, 64, 1000000007));
    printf("3^(10^18) mod (2^61-1) = %" PRIu64 "\n", powmod(3, 1000000000000000000ULL, (1ULL << 61) - 1));
    static const uint64_t cand[] = {1, 2, 97, 561, 7919, 1000000007, 4294967291ULL, 4294967297ULL,
                                    (1ULL << 61) - 1, 18446744073709551557ULL, 3215031751ULL};
    for (int i = 0; i < 11; i++)
        printf("is_prime(%" PRIu64 ") = %d\n", cand[i], is_prime(cand[i]));
    static const uint64_t nums[] = {360, 600851475143ULL, 4294967297ULL, 1000000016000000063ULL, 9999999967ULL * 3,
                                    123456789012345678ULL, 18446744073709551615ULL};
    for (int i = 0; i < 7; i++) {
        uint64_t f[64];
        int k = factor(nums[i], f, 0);
        sort_u64(f, k);
        printf("%" PRIu64 " =", nums[i]);
        for (int j = 0; j < k; j++)
            printf("%s%" PRIu64, j ? " * " : " ", f[j]);
        printf("\n");
    }
    return 0;
}
