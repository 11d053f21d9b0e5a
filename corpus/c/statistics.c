/* Descriptive statistics on double samples: two-pass and Welford one-pass variance, standard
 * deviation via a hand-written square root, median by insertion sort, least-squares line
 * fit and Pearson correlation, printed with fixed precision. */
#include <stdio.h>
#include <string.h>

#define N 16

struct summary {
    double mean, var, min, max;
    int n;
};

static double my_sqrt(double x)
{
    if (x <= 0.0)
        return 0.0;
    double r = x < 1.0 ? 1.0 : x;
    for (int i = 0; i < 100; i++) {
        double nr = 0.5 * (r + x / r);
        if (nr == r)
            break;
        r = nr;
    }
    return r;
}

static struct summary two_pass(const double *x, int n)
{
    struct summary s = {0.0, 0.0, x[0], x[0], n};
    for (int i = 0; i < n; i++) {
        s.mean += x[i];
        if (x[i] < s.min)
            s.min = x[i];
        if (x[i] > s.max)
            s.max = x[i];
    }
    s.mean /= n;
    for (int i = 0; i < n; i++)
        s.var += (x[i] - s.mean) * (x[i] - s.mean);
    s.var /= n - 1;
    return s;
}

static void welford(const double *x, int n, double *mean, double *var)
{
    double m = 0.0, m2 = 0.0;
    for (int i = 0; i < n; i++) {
        double delta = x[i] - m;
        m += delta / (i + 1);
        m2 += delta * (x[i] - m);
    }
    *mean = m;
    *var = m2 / (n - 1);
}

static double median(const double *x, int n)
{
    double t[N];
    memcpy(t, x, sizeof(double) * (size_t)n);
    for (int i = 1; i < n; i++) {
        double v = t[i];
        int j = i - 1;
        while (j >= 0 && t[j] > v) {
            t[j + 1] = t[j];
            j--;
        }
        t[j + 1] = v;
    }
    return n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
}

static void linear_fit(const double *x, const double *y, int n, double *slope, double *icept, double *r)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
    for (int i = 0; i < n; i++) {
        sx += x[i];
        sy += y[i];
        sxx += x[i] * x[i];
        sxy += x[i] * y[i];
        syy += y[i] * y[i];
    }
    double cov = n * sxy - sx * sy, vx = n * sxx - sx * sx, vy = n * syy - sy * sy;
    *slope = cov / vx;
    *icept = (sy - *slope * sx) / n;
    *r = cov / my_sqrt(vx * vy);
}

static void print_summary(const char *name, const double *x, int n)
{
    struct summary s = two_pass(x, n);
    double wm, wv;
    welford(x, n, &wm, &wv);
    printf("%-8s n=%d mean %.4f var %.4f sd %.4f min %.2f max %.2f median %.3f\n", name, s.n, s.mean, s.var,
           my_sqrt(s.var), s.min, s.max, median(x, n));
    printf("%-8s welford mean %.4f var %.4f (diff %.1e)\n", "", wm, wv, wv - s.var);
}

int main(void)
{
    static const double temps[N] = {12.5, 14.1, 13.8, 15.0, 17.2, 19.9, 22.4, 23.1,
                                    21.7, 18.3, 15.6, 13.0, 11.9, 12.2, 14.8, 16.0};
    static const double hours[N] = {1.0, 2.0, 2.5, 3.0, 4.0, 4.5, 5.0, 6.0, 6.5, 7.0, 8.0, 8.5, 9.0, 10.0, 11.0, 12.0};
    static const double scores[N] = {52, 58, 61, 60, 70, 71, 76, 80, 79, 85, 88, 87, 93, 94, 97, 99};
    print_summary("temps", temps, N);
    print_summary("hours", hours, N);
    print_summary("scores", scores, N);
    print_summary("odd", scores, 7);
    double m, b, r;
    linear_fit(hours, scores, N, &m, &b, &r);
    printf("scores ~ %.4f * hours + %.4f, r = %.5f, r^2 = %.5f\n", m, b, r, r * r);
    for (double h = 0.0; h <= 14.0; h += 3.5)
        printf("  predict(%.1f) = %.2f\n", h, m * h + b);
    linear_fit(hours, temps, N, &m, &b, &r);
    printf("temps ~ %.4f * hours + %.4f, r = %.5f\n", m, b, r);
    static const double shifted[4] = {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16};
    print_summary("shifted", shifted, 4);
    return 0;
}
