/* Array scans with two indices: Kadane's maximum subarray, the shortest window whose sum
 * reaches a target, pair sums in a sorted array, in-place deduplication, the Dutch national
 * flag partition and trapping rain water. */
#include <stdio.h>

static long max_subarray(const int *a, int n, int *lo, int *hi)
{
    long best = a[0], cur = a[0];
    int start = 0;
    *lo = *hi = 0;
    for (int i = 1; i < n; i++) {
        if (cur < 0) {
            cur = a[i];
            start = i;
        } else {
            cur += a[i];
        }
        if (cur > best) {
            best = cur;
            *lo = start;
            *hi = i;
        }
    }
    return best;
}

static int min_window(const int *a, int n, int target)
{
    int best = n + 1, lo = 0;
    long sum = 0;
    for (int hi = 0; hi < n; hi++) {
        sum += a[hi];
        while (sum >= target) {
            if (hi - lo + 1 < best)
                best = hi - lo + 1;
            sum -= a[lo++];
        }
    }
    return best > n ? 0 : best;
}

static int count_pairs(const int *sorted, int n, int target)
{
    int i = 0, j = n - 1, pairs = 0;
    while (i < j) {
        int s = sorted[i] + sorted[j];
        if (s == target) {
            printf("  (%d,%d)", sorted[i], sorted[j]);
            pairs++;
            i++;
            j--;
        } else if (s < target) {
            i++;
        } else {
            j--;
        }
    }
    printf("\n");
    return pairs;
}

static int dedup(int *a, int n)
{
    if (n == 0)
        return 0;
    int w = 1;
    for (int r = 1; r < n; r++)
        if (a[r] != a[w - 1])
            a[w++] = a[r];
    return w;
}

static void dutch_flag(int *a, int n)
{
    int lo = 0, mid = 0, hi = n - 1;
    while (mid <= hi) {
        if (a[mid] == 0) {
            int t = a[lo];
            a[lo++] = a[mid];
            a[mid++] = t;
        } else if (a[mid] == 1) {
            mid++;
        } else {
            int t = a[hi];
            a[hi--] = a[mid];
            a[mid] = t;
        }
    }
}

static long trap_water(const int *h, int n)
{
    int l = 0, r = n - 1, lmax = 0, rmax = 0;
    long water = 0;
    while (l < r) {
        if (h[l] < h[r]) {
            if (h[l] >= lmax)
                lmax = h[l];
            else
                water += lmax - h[l];
            l++;
        } else {
            if (h[r] >= rmax)
                rmax = h[r];
            else
                water += rmax - h[r];
            r--;
        }
    }
    return water;
}

static void show(const char *label, const int *a, int n)
{
    printf("%s:", label);
    for (int i = 0; i < n; i++)
        printf(" %d", a[i]);
    printf("\n");
}

int main(void)
{
    static const int a[] = {-2, 1, -3, 4, -1, 2, 1, -5, 4, 3, -1, 2, -6};
    int lo, hi;
    long best = max_subarray(a, 13, &lo, &hi);
    printf("max subarray %ld at [%d..%d]\n", best, lo, hi);
    static const int w[] = {2, 3, 1, 2, 4, 3, 7, 1, 1, 8};
    for (int t = 5; t <= 25; t += 5)
        printf("min window for %d: %d\n", t, min_window(w, 10, t));
    static const int s[] = {-3, -1, 0, 1, 2, 4, 5, 6, 8, 9, 11};
    printf("pairs summing to 8:");
    printf("count %d\n", count_pairs(s, 11, 8));
    int d[] = {1, 1, 2, 2, 2, 3, 5, 5, 8, 8, 8, 8, 13};
    int nd = dedup(d, 13);
    show("dedup", d, nd);
    int f[] = {2, 0, 1, 2, 1, 0, 0, 2, 1, 1, 0, 2};
    dutch_flag(f, 12);
    show("flag", f, 12);
    static const int h[] = {0, 1, 0, 2, 1, 0, 1, 3, 2, 1, 2, 1};
    printf("trapped water %ld\n", trap_water(h, 12));
    static const int h2[] = {4, 2, 0, 3, 2, 5};
    printf("trapped water %ld\n", trap_water(h2, 6));
    return 0;
}
