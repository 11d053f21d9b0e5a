/* Numerical integration in double precision: composite trapezoid, Simpson and Romberg rules
 * on polynomials and on 4/(1+x^2) (which integrates to pi), an adaptive Simpson recursion,
 * and error reporting against known values; integrands are passed as function pointers. */
#include <stdio.h>

typedef double (*func)(double);

static double cubic(double x) { return x * x * x - 2.0 * x + 1.0; }
static double arctan_deriv(double x) { return 4.0 / (1.0 + x * x); }
static double bump(double x) { return x * (1.0 - x) * x; }
static double recip(double x) { return 1.0 / x; }

static double trapezoid(func f, double a, double b, int n)
{
    double h = (b - a) / n, s = 0.5 * (f(a) + f(b));
    for (int i = 1; i < n; i++)
        s += f(a + i * h);
    return s * h;
}

static double simpson(func f, double a, double b, int n)
{
    if (n % 2)
        n++;
    double h = (b - a) / n, s = f(a) + f(b);
    for (int i = 1; i < n; i++)
        s += (i % 2 ? 4.0 : 2.0) * f(a + i * h);
    return s * h / 3.0;
}

static double romberg(func f, double a, double b, int levels)
{
    double r[8][8];
    double h = b - a;
    r[0][0] = 0.5 * h * (f(a) + f(b));
    for (int i = 1; i < levels; i++) {
        h *= 0.5;
        double s = 0.0;
        for (int k = 1; k < (1 << i); k += 2)
            s += f(a + k * h);
        r[i][0] = 0.5 * r[i - 1][0] + h * s;
        double p4 = 4.0;
        for (int j = 1; j <= i; j++) {
            r[i][j] = r[i][j - 1] + (r[i][j - 1] - r[i - 1][j - 1]) / (p4 - 1.0);
            p4 *= 4.0;
        }
    }
    return r[levels - 1][levels - 1];
}

static double fabs_d(double x) { return x < 0 ? -x : x; }

static int calls;

static double adaptive(func f, double a, double b, double fa, double fm, double fb, double whole, double eps, int depth)
{
    double m = 0.5 * (a + b), lm = 0.5 * (a + m), rm = 0.5 * (m + b);
    double flm = f(lm), frm = f(rm);
    calls += 2;
    double left = (m - a) / 6.0 * (fa + 4.0 * flm + fm);
    double right = (b - m) / 6.0 * (fm + 4.0 * frm + fb);
    if (depth <= 0 || fabs_d(left + right - whole) <= 15.0 * eps)
        return left + right + (left + right - whole) / 15.0;
    return adaptive(f, a, m, fa, flm, fm, left, eps / 2, depth - 1) +
           adaptive(f, m, b, fm, frm, fb, right, eps / 2, depth - 1);
}

static double adaptive_simpson(func f, double a, double b, double eps)
{
    double fa = f(a), fb = f(b), fm = f(0.5 * (a + b));
    calls = 3;
    return adaptive(f, a, b, fa, fm, fb, (b - a) / 6.0 * (fa + 4.0 * fm + fb), eps, 30);
}

int main(void)
{
    static const struct {
        const char *name;
        func f;
        double a, b, exact;
    } cases[] = {
        {"x^3-2x+1 on [0,2]", cubic, 0.0, 2.0, 2.0},
        {"4/(1+x^2) on [0,1]", arctan_deriv, 0.0, 1.0, 3.14159265358979323846},
        {"x^2(1-x) on [0,1]", bump, 0.0, 1.0, 1.0 / 12.0},
        {"1/x on [1,2]", recip, 1.0, 2.0, 0.69314718055994530942},
    };
    for (int i = 0; i < 4; i++) {
        printf("%s (exact %.10f)\n", cases[i].name, cases[i].exact);
        for (int n = 4; n <= 64; n *= 4) {
            double t = trapezoid(cases[i].f, cases[i].a, cases[i].b, n);
            double s = simpson(cases[i].f, cases[i].a, cases[i].b, n);
            printf("  n=%-3d trap %.10f (err %.2e)  simpson %.10f (err %.2e)\n", n, t, fabs_d(t - cases[i].exact), s,
                   fabs_d(s - cases[i].exact));
        }
        double r = romberg(cases[i].f, cases[i].a, cases[i].b, 6);
        double ad = adaptive_simpson(cases[i].f, cases[i].a, cases[i].b, 1e-9);
        printf("  romberg %.12f (err %.1e)  adaptive %.12f with %d calls\n", r, fabs_d(r - cases[i].exact), ad, calls);
    }
    return 0;
}
