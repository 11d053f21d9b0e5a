/* Histograms over integer samples: fixed-width binning, an ASCII bar chart scaled to a
 * maximum width, a counting sort used for median and mode, and percentiles by rank; the
 * samples come from a small linear congruential generator. */
#include <stdio.h>
#include <stdint.h>

#define NSAMPLES 300
#define MAXV 100
#define NBINS 10

static uint32_t lcg_state = 12345u;

static int next_sample(void)
{
    /* sum of three uniform draws gives a bell-ish shape in 0..99 */
    int s = 0;
    for (int k = 0; k < 3; k++) {
        lcg_state = lcg_state * 1103515245u + 12345u;
        s += (int)((lcg_state >> 16) % 34u);
    }
    return s;
}

static void bin(const int *v, int n, int *bins)
{
    for (int i = 0; i < NBINS; i++)
        bins[i] = 0;
    for (int i = 0; i < n; i++)
        bins[v[i] * NBINS / MAXV]++;
}

static void chart(const int *bins, int width)
{
    int max = 1;
    for (int i = 0; i < NBINS; i++)
        if (bins[i] > max)
            max = bins[i];
    for (int i = 0; i < NBINS; i++) {
        int len = bins[i] * width / max;
        printf("%2d-%-3d|", i * MAXV / NBINS, (i + 1) * MAXV / NBINS - 1);
        for (int k = 0; k < len; k++)
            putchar(bins[i] == max ? '#' : '*');
        printf(" %d\n", bins[i]);
    }
}

static void counting_sort(const int *v, int n, int *out, int *counts)
{
    for (int i = 0; i < MAXV; i++)
        counts[i] = 0;
    for (int i = 0; i < n; i++)
        counts[v[i]]++;
    int k = 0;
    for (int x = 0; x < MAXV; x++)
        for (int c = 0; c < counts[x]; c++)
            out[k++] = x;
}

static int percentile(const int *sorted, int n, int p)
{
    int rank = (p * (n - 1) + 50) / 100;
    return sorted[rank];
}

static int mode(const int *counts, int *freq)
{
    int best = 0;
    for (int x = 1; x < MAXV; x++)
        if (counts[x] > counts[best])
            best = x;
    *freq = counts[best];
    return best;
}

int main(void)
{
    static int samples[NSAMPLES], sorted[NSAMPLES];
    int bins[NBINS], counts[MAXV];
    long sum = 0;
    for (int i = 0; i < NSAMPLES; i++) {
        samples[i] = next_sample();
        sum += samples[i];
    }
    printf("n=%d sum=%ld mean=%ld.%02ld\n", NSAMPLES, sum, sum / NSAMPLES, (sum % NSAMPLES) * 100 / NSAMPLES);
    bin(samples, NSAMPLES, bins);
    chart(bins, 40);
    counting_sort(samples, NSAMPLES, sorted, counts);
    int f, m = mode(counts, &f);
    printf("min %d max %d mode %d (x%d)\n", sorted[0], sorted[NSAMPLES - 1], m, f);
    static const int ps[] = {10, 25, 50, 75, 90, 99};
    for (int i = 0; i < 6; i++)
        printf("p%-2d = %d\n", ps[i], percentile(sorted, NSAMPLES, ps[i]));
    int distinct = 0;
    for (int x = 0; x < MAXV; x++)
        distinct += counts[x] != 0;
    printf("distinct values %d\n", distinct);
    return 0;
}
