/* Dense linear algebra in doubles: matrix-vector products, Gaussian elimination with partial
 * pivoting and back substitution, the determinant from the elimination, residual checks,
 * and power iteration for the dominant eigenvalue of a symmetric matrix. */
#include <stdio.h>
#include <string.h>

#define N 4

static void matvec(const double a[N][N], const double *x, double *y)
{
    for (int i = 0; i < N; i++) {
        double s = 0.0;
        for (int j = 0; j < N; j++)
            s += a[i][j] * x[j];
        y[i] = s;
    }
}

static double absd(double x) { return x < 0 ? -x : x; }

/* Solves a x = b; returns the determinant (0 when singular). a and b are copied. */
static double solve(const double a_in[N][N], const double *b_in, double *x)
{
    double a[N][N], b[N], det = 1.0;
    memcpy(a, a_in, sizeof a);
    memcpy(b, b_in, sizeof b);
    for (int k = 0; k < N; k++) {
        int p = k;
        for (int i = k + 1; i < N; i++)
            if (absd(a[i][k]) > absd(a[p][k]))
                p = i;
        if (absd(a[p][k]) < 1e-12)
            return 0.0;
        if (p != k) {
            for (int j = 0; j < N; j++) {
                double t = a[k][j];
                a[k][j] = a[p][j];
                a[p][j] = t;
            }
            double t = b[k];
            b[k] = b[p];
            b[p] = t;
            det = -det;
        }
        det *= a[k][k];
        for (int i = k + 1; i < N; i++) {
            double f = a[i][k] / a[k][k];
            for (int j = k; j < N; j++)
                a[i][j] -= f * a[k][j];
            b[i] -= f * b[k];
        }
    }
    for (int i = N - 1; i >= 0; i--) {
        double s = b[i];
        for (int j = i + 1; j < N; j++)
            s -= a[i][j] * x[j];
        x[i] = s / a[i][i];
    }
    return det;
}

static double norm_inf(const double *v)
{
    double m = 0.0;
    for (int i = 0; i < N; i++)
        if (absd(v[i]) > m)
            m = absd(v[i]);
    return m;
}

static double power_iteration(const double a[N][N], double *v, int iters)
{
    double lambda = 0.0, y[N];
    for (int it = 0; it < iters; it++) {
        matvec(a, v, y);
        double m = norm_inf(y);
        for (int i = 0; i < N; i++)
            v[i] = y[i] / m;
        lambda = m;
    }
    return lambda;
}

static void print_vec(const char *label, const double *v)
{
    printf("%-10s", label);
    for (int i = 0; i < N; i++)
        printf(" %10.6f", v[i]);
    printf("\n");
}

int main(void)
{
    static const double a[N][N] = {{4, -2, 1, 3}, {3, 6, -4, 2}, {2, 1, 8, -5}, {1, -3, 2, 7}};
    static const double b[N] = {20, 9, -1, 30};
    double x[N], r[N];
    double det = solve(a, b, x);
    print_vec("x", x);
    matvec(a, x, r);
    for (int i = 0; i < N; i++)
        r[i] -= b[i];
    printf("det %.6f, residual %.2e\n", det, norm_inf(r));
    static const double sing[N][N] = {{1, 2, 3, 4}, {2, 4, 6, 8}, {0, 1, 0, 1}, {5, 5, 5, 5}};
    printf("singular det %.6f\n", solve(sing, b, x));
    static const double hilbert_like[N][N] = {{1, 0.5, 1.0 / 3, 0.25}, {0.5, 1.0 / 3, 0.25, 0.2},
                                              {1.0 / 3, 0.25, 0.2, 1.0 / 6}, {0.25, 0.2, 1.0 / 6, 1.0 / 7}};
    static const double ones[N] = {1, 1, 1, 1};
    det = solve(hilbert_like, ones, x);
    print_vec("hilbert x", x);
    printf("hilbert det %.6e\n", det);
    static const double sym[N][N] = {{4, 1, 0, 0}, {1, 3, 1, 0}, {0, 1, 2, 1}, {0, 0, 1, 1}};
    double v[N] = {1, 1, 1, 1};
    for (int iters = 5; iters <= 40; iters *= 2) {
        double vv[N];
        memcpy(vv, v, sizeof vv);
        double l = power_iteration(sym, vv, iters);
        printf("power iteration %2d: lambda %.8f\n", iters, l);
        if (iters == 40)
            print_vec("eigvec", vv);
    }
    return 0;
}
