/* Mixing float and double: single- versus double-precision accumulation, Kahan compensated
 * summation in float, float<->double<->int conversions (all in range), float arguments
 * promoted through printf, and a float-only physics step loop. */
#include <stdio.h>

static float sum_float(int n)
{
    float s = 0.0f;
    for (int i = 1; i <= n; i++)
        s += 1.0f / (float)i;
    return s;
}

static double sum_double(int n)
{
    double s = 0.0;
    for (int i = 1; i <= n; i++)
        s += 1.0 / i;
    return s;
}

static float kahan_float(int n)
{
    float s = 0.0f, c = 0.0f;
    for (int i = 1; i <= n; i++) {
        float y = 1.0f / (float)i - c;
        float t = s + y;
        c = (t - s) - y;
        s = t;
    }
    return s;
}

static double mixed_poly(float x, double y)
{
    /* x is promoted wherever it meets y; the float-only part stays in single precision */
    float xf = x * x * 0.5f + 1.25f;
    return xf * y - (double)x / 3.0;
}

struct body {
    float pos, vel;
};

static void simulate(struct body *b, int steps, float dt)
{
    const float g = -9.81f, damping = 0.8f;
    for (int i = 0; i < steps; i++) {
        b->vel += g * dt;
        b->pos += b->vel * dt;
        if (b->pos < 0.0f) {
            b->pos = -b->pos;
            b->vel = -b->vel * damping;
        }
    }
}

static int round_half_away(double x)
{
    return x >= 0 ? (int)(x + 0.5) : -(int)(-x + 0.5);
}

int main(void)
{
    for (int n = 10; n <= 100000; n *= 10) {
        float f = sum_float(n), k = kahan_float(n);
        double d = sum_double(n);
        printf("H(%6d): float %.7f kahan %.7f double %.12f  float err %.3e kahan err %.3e\n", n, f, k, d,
               (double)f - d, (double)k - d);
    }
    for (int i = -3; i <= 3; i++) {
        float x = (float)i * 0.75f;
        printf("mixed(%5.2f) = %.9f\n", x, mixed_poly(x, 2.0 / 3.0));
    }
    static const double vals[] = {2.5, -2.5, 3.49999, -0.5, 1e6 + 0.5, 7.0 / 3.0};
    for (int i = 0; i < 6; i++) {
        float f = (float)vals[i];
        printf("%.6f -> float %.6f, trunc %d, round %d, back to double diff %.3e\n", vals[i], f, (int)vals[i],
               round_half_away(vals[i]), (double)f - vals[i]);
    }
    struct body ball = {10.0f, 0.0f};
    for (int t = 0; t < 5; t++) {
        simulate(&ball, 100, 0.01f);
        printf("t=%d.0s pos %.4f vel %.4f\n", t + 1, ball.pos, ball.vel);
    }
    unsigned u = 4000000000u;
    double du = u;
    float fu = (float)u;
    printf("u=%u as double %.1f as float %.1f back %u\n", u, du, fu, (unsigned)fu);
    long big = 123456789012L;
    printf("long %ld as double %.1f as float %.1f\n", big, (double)big, (float)big);
    return 0;
}
