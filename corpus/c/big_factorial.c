/* Arbitrary precision in base 10^4 limbs (little-endian int arrays): factorials, powers of
 * two, Catalan numbers via multiply and small division, digit sums and zero-padded printing
 * with %04d. */
#include <stdio.h>
#include <string.h>

#define BASE 10000
#define MAXL 200

struct big {
    int n;
    int d[MAXL];
};

static void big_set(struct big *b, int v)
{
    memset(b, 0, sizeof *b);
    b->n = 0;
    do {
        b->d[b->n++] = v % BASE;
        v /= BASE;
    } while (v);
}

static void big_mul_small(struct big *b, int m)
{
    int carry = 0;
    for (int i = 0; i < b->n; i++) {
        int v = b->d[i] * m + carry;
        b->d[i] = v % BASE;
        carry = v / BASE;
    }
    while (carry && b->n < MAXL) {
        b->d[b->n++] = carry % BASE;
        carry /= BASE;
    }
}

static int big_div_small(struct big *b, int m)
{
    int rem = 0;
    for (int i = b->n - 1; i >= 0; i--) {
        int v = rem * BASE + b->d[i];
        b->d[i] = v / m;
        rem = v % m;
    }
    while (b->n > 1 && b->d[b->n - 1] == 0)
        b->n--;
    return rem;
}

static void big_add(struct big *r, const struct big *a, const struct big *b)
{
    int carry = 0, n = a->n > b->n ? a->n : b->n;
    for (int i = 0; i < n; i++) {
        int v = (i < a->n ? a->d[i] : 0) + (i < b->n ? b->d[i] : 0) + carry;
        r->d[i] = v % BASE;
        carry = v / BASE;
    }
    r->n = n;
    if (carry && n < MAXL)
        r->d[r->n++] = carry;
}

static int digits(const struct big *b)
{
    int top = b->d[b->n - 1], n = 0;
    do {
        n++;
        top /= 10;
    } while (top);
    return n + 4 * (b->n - 1);
}

static int digit_sum(const struct big *b)
{
    int s = 0;
    for (int i = 0; i < b->n; i++)
        for (int v = b->d[i]; v; v /= 10)
            s += v % 10;
    return s;
}

static void big_print(const char *label, const struct big *b)
{
    printf("%s = %d", label, b->d[b->n - 1]);
    for (int i = b->n - 2; i >= 0; i--)
        printf("%04d", b->d[i]);
    printf("\n");
}

int main(void)
{
    struct big f;
    big_set(&f, 1);
    for (int k = 2; k <= 100; k++) {
        big_mul_small(&f, k);
        if (k == 20 || k == 50)
            big_print(k == 20 ? "20!" : "50!", &f);
    }
    big_print("100!", &f);
    printf("100! has %d digits, digit sum %d\n", digits(&f), digit_sum(&f));
    int trailing = 0;
    struct big t = f;
    while (big_div_small(&t, 10) == 0)
        trailing++;
    printf("trailing zeros %d\n", trailing);
    struct big p;
    big_set(&p, 1);
    for (int i = 0; i < 200; i++)
        big_mul_small(&p, 2);
    big_print("2^200", &p);
    struct big c;
    big_set(&c, 1);
    for (int n = 0; n < 40; n++) {
        /* C(n+1) = C(n) * 2(2n+1) / (n+2) */
        big_mul_small(&c, 2 * (2 * n + 1));
        big_div_small(&c, n + 2);
        if ((n + 1) % 10 == 0) {
            char label[16];
            snprintf(label, sizeof label, "catalan(%d)", n + 1);
            big_print(label, &c);
        }
    }
    struct big a, b, s;
    big_set(&a, 0);
    big_set(&b, 1);
    memset(&s, 0, sizeof s);
    for (int i = 0; i < 150; i++) {
        big_add(&s, &a, &b);
        a = b;
        b = s;
    }
    big_print("fib(151)", &b);
    int nd = digits(&b);
    printf("fib(151) digits %d, mod 9999 = %d\n", nd, big_div_small(&b, 9999));
    return 0;
}
