/* Elementary number theory on 64-bit integers: Euclid's and Stein's binary gcd, lcm of a
 * range, the extended Euclidean algorithm, modular inverses, the Chinese remainder theorem,
 * Euler's totient and reduced fractions kept in a struct. */
#include <stdint.h>
#include <stdio.h>
#include <inttypes.h>

static uint64_t gcd_euclid(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static uint64_t gcd_binary(uint64_t a, uint64_t b)
{
    if (a == 0)
        return b;
    if (b == 0)
        return a;
    int shift = 0;
    while (((a | b) & 1) == 0) {
        a >>= 1;
        b >>= 1;
        shift++;
    }
    while ((a & 1) == 0)
        a >>= 1;
    do {
        while ((b & 1) == 0)
            b >>= 1;
        if (a > b) {
            uint64_t t = a;
            a = b;
            b = t;
        }
        b -= a;
    } while (b);
    return a << shift;
}

static int64_t ext_gcd(int64_t a, int64_t b, int64_t *x, int64_t *y)
{
    if (b == 0) {
        *x = 1;
        *y = 0;
        return a;
    }
    int64_t x1, y1;
    int64_t g = ext_gcd(b, a % b, &x1, &y1);
    *x = y1;
    *y = x1 - (a / b) * y1;
    return g;
}

static int64_t mod_inverse(int64_t a, int64_t m)
{
    int64_t x, y;
    if (ext_gcd(a, m, &x, &y) != 1)
        return -1;
    return ((x % m) + m) % m;
}

/* Solves x = r[i] (mod m[i]) for pairwise coprime moduli. */
static int64_t crt(const int64_t *r, const int64_t *m, int n, int64_t *modulus)
{
    int64_t x = 0, M = 1;
    for (int i = 0; i < n; i++)
        M *= m[i];
    for (int i = 0; i < n; i++) {
        int64_t Mi = M / m[i];
        x = (x + r[i] * Mi % M * mod_inverse(Mi % m[i], m[i])) % M;
    }
    *modulus = M;
    return x;
}

static uint64_t totient(uint64_t n)
{
    uint64_t result = n;
    for (uint64_t p = 2; p * p <= n; p++) {
        if (n % p == 0) {
            while (n % p == 0)
                n /= p;
            result -= result / p;
        }
    }
    if (n > 1)
        result -= result / n;
    return result;
}

struct frac {
    int64_t num, den;
};

static struct frac frac_make(int64_t n, int64_t d)
{
    if (d < 0) {
        n = -n;
        d = -d;
    }
    int64_t g = (int64_t)gcd_euclid((uint64_t)(n < 0 ? -n : n), (uint64_t)d);
    struct frac f = {n / g, d / g};
    return f;
}

static struct frac frac_add(struct frac a, struct frac b) { return frac_make(a.num * b.den + b.num * a.den, a.den * b.den); }

int main(void)
{
    static const uint64_t pairs[][2] = {{48, 18}, {1071, 462}, {0, 9}, {17, 5}, {1ULL << 40, 6ULL << 20}, {600851475143ULL, 6857}};
    for (int i = 0; i < 6; i++)
        printf("gcd(%" PRIu64 ", %" PRIu64 ") = %" PRIu64 " / %" PRIu64 "\n", pairs[i][0], pairs[i][1],
               gcd_euclid(pairs[i][0], pairs[i][1]), gcd_binary(pairs[i][0], pairs[i][1]));
    uint64_t l = 1;
    for (uint64_t k = 2; k <= 30; k++) {
        l = l / gcd_euclid(l, k) * k;
        if (k % 10 == 0)
            printf("lcm(1..%" PRIu64 ") = %" PRIu64 "\n", k, l);
    }
    int64_t x, y;
    int64_t g = ext_gcd(240, 46, &x, &y);
    printf("240*%" PRId64 " + 46*%" PRId64 " = %" PRId64 "\n", x, y, g);
    for (int64_t a = 2; a <= 12; a += 5)
        printf("inverse of %" PRId64 " mod 97 = %" PRId64 "\n", a, mod_inverse(a, 97));
    printf("inverse of 6 mod 9 = %" PRId64 "\n", mod_inverse(6, 9));
    const int64_t r[] = {2, 3, 2}, m[] = {3, 5, 7};
    int64_t M;
    int64_t c = crt(r, m, 3, &M);
    printf("crt: x = %" PRId64 " mod %" PRId64 "\n", c, M);
    const int64_t r2[] = {1, 4, 6, 10}, m2[] = {4, 9, 25, 49};
    c = crt(r2, m2, 4, &M);
    printf("crt: x = %" PRId64 " mod %" PRId64 "\n", c, M);
    for (uint64_t n = 1; n <= 100; n = n * 3 + 1)
        printf("phi(%" PRIu64 ") = %" PRIu64 "\n", n, totient(n));
    struct frac s = frac_make(0, 1);
    for (int k = 1; k <= 10; k++)
        s = frac_add(s, frac_make(1, (int64_t)k * (k + 1)));
    printf("sum 1/(k(k+1)), k=1..10 = %" PRId64 "/%" PRId64 "\n", s.num, s.den);
    struct frac h = frac_make(0, 1);
    for (int k = 1; k <= 12; k++)
        h = frac_add(h, frac_make(k % 2 ? 1 : -1, k));
    printf("alternating harmonic 12 = %" PRId64 "/%" PRId64 "\n", h.num, h.den);
    return 0;
}
