/* Complex arithmetic written by hand with a struct of two doubles passed and returned by
 * value: multiply, divide, conjugate, magnitude via Newton's square root, integer powers,
 * quadratic roots with complex results, and an ASCII Mandelbrot set. */
#include <stdio.h>

struct cpx {
    double re, im;
};

static struct cpx c_make(double re, double im)
{
    struct cpx z = {re, im};
    return z;
}

static struct cpx c_add(struct cpx a, struct cpx b) { return c_make(a.re + b.re, a.im + b.im); }
static struct cpx c_sub(struct cpx a, struct cpx b) { return c_make(a.re - b.re, a.im - b.im); }
static struct cpx c_mul(struct cpx a, struct cpx b) { return c_make(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re); }
static struct cpx c_conj(struct cpx a) { return c_make(a.re, -a.im); }

static struct cpx c_div(struct cpx a, struct cpx b)
{
    double d = b.re * b.re + b.im * b.im;
    struct cpx n = c_mul(a, c_conj(b));
    return c_make(n.re / d, n.im / d);
}

static double nsqrt(double x)
{
    if (x <= 0.0)
        return 0.0;
    double g = x > 1.0 ? x : 1.0;
    for (int i = 0; i < 60; i++) {
        double next = 0.5 * (g + x / g);
        if (next >= g)
            break;
        g = next;
    }
    return g;
}

static double c_abs(struct cpx a) { return nsqrt(a.re * a.re + a.im * a.im); }

static struct cpx c_pow(struct cpx z, unsigned n)
{
    struct cpx r = c_make(1.0, 0.0);
    while (n) {
        if (n & 1)
            r = c_mul(r, z);
        z = c_mul(z, z);
        n >>= 1;
    }
    return r;
}

static void print_c(const char *label, struct cpx z)
{
    printf("%-12s %9.5f %c %8.5fi\n", label, z.re, z.im < 0 ? '-' : '+', z.im < 0 ? -z.im : z.im);
}

static void quadratic(double a, double b, double c, struct cpx *r1, struct cpx *r2)
{
    double disc = b * b - 4.0 * a * c;
    if (disc >= 0) {
        double s = nsqrt(disc);
        *r1 = c_make((-b + s) / (2 * a), 0.0);
        *r2 = c_make((-b - s) / (2 * a), 0.0);
    } else {
        double s = nsqrt(-disc);
        *r1 = c_make(-b / (2 * a), s / (2 * a));
        *r2 = c_conj(*r1);
    }
}

static int escape_time(struct cpx c, int max_iter)
{
    struct cpx z = c_make(0.0, 0.0);
    for (int i = 0; i < max_iter; i++) {
        z = c_add(c_mul(z, z), c);
        if (z.re * z.re + z.im * z.im > 4.0)
            return i;
    }
    return max_iter;
}

int main(void)
{
    struct cpx a = c_make(3.0, 4.0), b = c_make(1.0, -2.0);
    print_c("a+b", c_add(a, b));
    print_c("a-b", c_sub(a, b));
    print_c("a*b", c_mul(a, b));
    print_c("a/b", c_div(a, b));
    print_c("(a/b)*b", c_mul(c_div(a, b), b));
    print_c("b^7", c_pow(b, 7));
    print_c("i^4", c_pow(c_make(0.0, 1.0), 4));
    printf("|a| = %.6f  |b| = %.6f  |a*b| = %.6f\n", c_abs(a), c_abs(b), c_abs(c_mul(a, b)));
    static const double coef[][3] = {{1, -3, 2}, {1, 2, 5}, {2, 0, 8}, {1, 1, 1}};
    for (int i = 0; i < 4; i++) {
        struct cpx r1, r2;
        quadratic(coef[i][0], coef[i][1], coef[i][2], &r1, &r2);
        printf("%gx^2%+gx%+g:\n", coef[i][0], coef[i][1], coef[i][2]);
        print_c("  root1", r1);
        print_c("  root2", r2);
    }
    static const char shades[] = " .:-=+*#%@";
    for (int row = 0; row < 15; row++) {
        for (int col = 0; col < 50; col++) {
            struct cpx c = c_make(-2.1 + col * 0.055, -1.2 + row * 0.17);
            int t = escape_time(c, 40);
            putchar(t >= 40 ? '@' : shades[t * 9 / 40]);
        }
        putchar('\n');
    }
    return 0;
}
