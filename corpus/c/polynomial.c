/* Polynomials with long coefficients in arrays (lowest degree first): Horner evaluation,
 * addition, multiplication, derivative, long division by a monic divisor, composition, and
 * pretty printing with signs and exponents. */
#include <stdio.h>
#include <string.h>

#define MAXD 24

struct poly {
    int deg;
    long c[MAXD + 1];
};

static void normalize(struct poly *p)
{
    while (p->deg > 0 && p->c[p->deg] == 0)
        p->deg--;
}

static struct poly make(int deg, const long *coef)
{
    struct poly p;
    memset(&p, 0, sizeof p);
    p.deg = deg;
    for (int i = 0; i <= deg; i++)
        p.c[i] = coef[i];
    normalize(&p);
    return p;
}

static long eval(const struct poly *p, long x)
{
    long r = 0;
    for (int i = p->deg; i >= 0; i--)
        r = r * x + p->c[i];
    return r;
}

static struct poly add(const struct poly *a, const struct poly *b)
{
    struct poly r;
    memset(&r, 0, sizeof r);
    r.deg = a->deg > b->deg ? a->deg : b->deg;
    for (int i = 0; i <= r.deg; i++)
        r.c[i] = (i <= a->deg ? a->c[i] : 0) + (i <= b->deg ? b->c[i] : 0);
    normalize(&r);
    return r;
}

static struct poly mul(const struct poly *a, const struct poly *b)
{
    struct poly r;
    memset(&r, 0, sizeof r);
    r.deg = a->deg + b->deg;
    if (r.deg > MAXD)
        r.deg = MAXD;
    for (int i = 0; i <= a->deg; i++)
        for (int j = 0; j <= b->deg && i + j <= MAXD; j++)
            r.c[i + j] += a->c[i] * b->c[j];
    normalize(&r);
    return r;
}

static struct poly derivative(const struct poly *p)
{
    struct poly r;
    memset(&r, 0, sizeof r);
    r.deg = p->deg > 0 ? p->deg - 1 : 0;
    for (int i = 1; i <= p->deg; i++)
        r.c[i - 1] = p->c[i] * i;
    normalize(&r);
    return r;
}

/* Divides by a monic polynomial: a = q * d + r. */
static void divmod(const struct poly *a, const struct poly *d, struct poly *q, struct poly *r)
{
    *r = *a;
    memset(q, 0, sizeof *q);
    q->deg = a->deg >= d->deg ? a->deg - d->deg : 0;
    for (int i = a->deg - d->deg; i >= 0; i--) {
        long f = r->c[i + d->deg];
        q->c[i] = f;
        for (int j = 0; j <= d->deg; j++)
            r->c[i + j] -= f * d->c[j];
    }
    r->deg = d->deg > 0 ? d->deg - 1 : 0;
    normalize(r);
    normalize(q);
}

static struct poly compose(const struct poly *p, const struct poly *inner)
{
    long zero = 0;
    struct poly r = make(0, &zero);
    for (int i = p->deg; i >= 0; i--) {
        r = mul(&r, inner);
        struct poly k = make(0, &p->c[i]);
        r = add(&r, &k);
    }
    return r;
}

static void print(const char *name, const struct poly *p)
{
    printf("%s =", name);
    int first = 1;
    for (int i = p->deg; i >= 0; i--) {
        long c = p->c[i];
        if (c == 0 && !(i == 0 && first))
            continue;
        long a = c < 0 ? -c : c;
        printf(" %s", c < 0 ? (first ? "-" : "- ") : (first ? "" : "+ "));
        if (a != 1 || i == 0)
            printf("%ld", a);
        if (i >= 1)
            printf("x");
        if (i > 1)
            printf("^%d", i);
        first = 0;
    }
    printf("\n");
}

int main(void)
{
    static const long pc[] = {-6, 11, -6, 1}; /* (x-1)(x-2)(x-3) */
    static const long qc[] = {1, 0, 1};       /* x^2 + 1 */
    static const long dc[] = {-2, 1};         /* x - 2 */
    struct poly p = make(3, pc), q = make(2, qc), d = make(1, dc);
    print("p", &p);
    print("q", &q);
    for (long x = -1; x <= 4; x++)
        printf("p(%ld) = %ld, q(%ld) = %ld\n", x, eval(&p, x), x, eval(&q, x));
    struct poly s = add(&p, &q), m = mul(&p, &q), dp = derivative(&p);
    print("p+q", &s);
    print("p*q", &m);
    print("p'", &dp);
    struct poly quo, rem;
    divmod(&p, &d, &quo, &rem);
    print("p/(x-2)", &quo);
    print("p%(x-2)", &rem);
    divmod(&m, &q, &quo, &rem);
    print("pq/q", &quo);
    print("pq%q", &rem);
    struct poly c = compose(&q, &d);
    print("q(x-2)", &c);
    static const long one_plus_x[] = {1, 1};
    struct poly b = make(1, one_plus_x), pw = make(0, one_plus_x);
    for (int i = 0; i < 10; i++)
        pw = mul(&pw, &b);
    print("(1+x)^10", &pw);
    printf("(1+x)^10 at x=1: %ld, at x=-1: %ld\n", eval(&pw, 1), eval(&pw, -1));
    return 0;
}
