/* Q15 fixed-point signal processing: saturating add and multiply with rounding (no shifts
 * of negative values, only divisions), a sine table from an integer recurrence oscillator,
 * a moving-average FIR filter, peak and RMS-like energy measurements. */
#include <stdint.h>
#include <stdio.h>

typedef int16_t q15;
#define Q15_ONE 32767
#define NS 64

static q15 sat16(int32_t v)
{
    if (v > 32767)
        return 32767;
    if (v < -32768)
        return -32768;
    return (q15)v;
}

static q15 q_add(q15 a, q15 b) { return sat16((int32_t)a + b); }

/* Round half away from zero, by division so no negative shifts are needed. */
static q15 q_mul(q15 a, q15 b)
{
    int32_t p = (int32_t)a * b;
    return sat16(p >= 0 ? (p + 16384) / 32768 : (p - 16384) / 32768);
}

static q15 from_milli(int m) { return sat16(m * 32768 / 1000); }

static int to_milli(q15 v) { return v * 1000 / 32768; }

/* Goertzel-style oscillator: s[n] = 2cos(w) s[n-1] - s[n-2], in 32-bit Q15. */
static void make_sine(q15 *out, int n, int32_t two_cos, int32_t s1)
{
    int32_t a = 0, b = s1;
    for (int i = 0; i < n; i++) {
        out[i] = sat16(a);
        int64_t prod = (int64_t)two_cos * b;
        int32_t next = (int32_t)((prod >= 0 ? prod + 16384 : prod - 16384) / 32768) - a;
        a = b;
        b = next;
    }
}

static void fir_average(const q15 *in, q15 *out, int n, int taps)
{
    q15 coef = sat16(32768 / taps);
    for (int i = 0; i < n; i++) {
        int32_t acc = 0;
        for (int k = 0; k < taps && k <= i; k++)
            acc += (int32_t)q_mul(in[i - k], coef);
        out[i] = sat16(acc);
    }
}

static void measure(const char *label, const q15 *x, int n)
{
    int peak = 0;
    int64_t energy = 0;
    for (int i = 0; i < n; i++) {
        int a = x[i] < 0 ? -x[i] : x[i];
        if (a > peak)
            peak = a;
        energy += (int64_t)x[i] * x[i];
    }
    printf("%-8s peak %5d (%4d milli) mean energy %lld\n", label, peak, to_milli((q15)(peak > 32767 ? 32767 : peak)),
           (long long)(energy / n));
}

int main(void)
{
    printf("0.5+0.75 = %d milli, -0.9-0.9 = %d milli\n", to_milli(q_add(from_milli(500), from_milli(750))),
           to_milli(q_add(from_milli(-900), from_milli(-900))));
    printf("0.5*0.5 = %d, -0.5*0.25 = %d, -1*-1 = %d\n", q_mul(from_milli(500), from_milli(500)),
           q_mul(from_milli(-500), from_milli(250)), q_mul(-32768, -32768));
    static q15 sine[NS], noisy[NS], smooth[NS];
    /* w = 2*pi/16: 2cos(w) = 1.847759 in Q15, first sample sin(w) = 0.382683 */
    make_sine(sine, NS, 60547, 12540);
    uint32_t lcg = 7;
    for (int i = 0; i < NS; i++) {
        lcg = lcg * 1103515245u + 12345u;
        int noise = (int)((lcg >> 16) % 4001u) - 2000;
        noisy[i] = q_add(q_mul(sine[i], from_milli(700)), (q15)noise);
    }
    fir_average(noisy, smooth, NS, 4);
    printf("  i   sine  noisy smooth\n");
    for (int i = 0; i < 20; i++)
        printf("%3d %6d %6d %6d\n", i, sine[i], noisy[i], smooth[i]);
    measure("sine", sine, NS);
    measure("noisy", noisy, NS);
    measure("smooth", smooth, NS);
    return 0;
}
