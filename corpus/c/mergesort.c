/* Recursive divide and conquer on arrays: top-down mergesort with a scratch buffer, a
 * bottom-up iterative mergesort, inversion counting during the merge, and quickselect with
 * a Lomuto partition for order statistics. */
#include <stdio.h>
#include <string.h>

#define N 24

static long merge(int *a, int *tmp, int lo, int mid, int hi)
{
    int i = lo, j = mid, k = lo;
    long inv = 0;
    while (i < mid && j < hi) {
        if (a[i] <= a[j]) {
            tmp[k++] = a[i++];
        } else {
            inv += mid - i;
            tmp[k++] = a[j++];
        }
    }
    while (i < mid)
        tmp[k++] = a[i++];
    while (j < hi)
        tmp[k++] = a[j++];
    memcpy(a + lo, tmp + lo, sizeof(int) * (size_t)(hi - lo));
    return inv;
}

static long sort_td(int *a, int *tmp, int lo, int hi)
{
    if (hi - lo < 2)
        return 0;
    int mid = lo + (hi - lo) / 2;
    long inv = sort_td(a, tmp, lo, mid);
    inv += sort_td(a, tmp, mid, hi);
    return inv + merge(a, tmp, lo, mid, hi);
}

static void sort_bu(int *a, int *tmp, int n)
{
    for (int width = 1; width < n; width *= 2) {
        for (int lo = 0; lo < n - width; lo += 2 * width) {
            int hi = lo + 2 * width;
            if (hi > n)
                hi = n;
            merge(a, tmp, lo, lo + width, hi);
        }
    }
}

static int partition(int *a, int lo, int hi)
{
    int pivot = a[hi], i = lo;
    for (int j = lo; j < hi; j++) {
        if (a[j] < pivot) {
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
            i++;
        }
    }
    int t = a[i];
    a[i] = a[hi];
    a[hi] = t;
    return i;
}

static int quickselect(int *a, int lo, int hi, int k)
{
    while (lo < hi) {
        int p = partition(a, lo, hi);
        if (p == k)
            return a[p];
        if (k < p)
            hi = p - 1;
        else
            lo = p + 1;
    }
    return a[lo];
}

static int is_sorted(const int *a, int n)
{
    for (int i = 1; i < n; i++)
        if (a[i - 1] > a[i])
            return 0;
    return 1;
}

static void show(const char *label, const int *a, int n)
{
    printf("%-8s", label);
    for (int i = 0; i < n; i++)
        printf(" %d", a[i]);
    printf("\n");
}

int main(void)
{
    static const int data[N] = {38, 27, 43, 3, 9, 82, 10, -5, 17, 64, 0, 27, 99, -12, 55, 31, 8, 8, 71, 2, 46, 13, -1, 20};
    int a[N], tmp[N], b[N];
    memcpy(a, data, sizeof a);
    long inv = sort_td(a, tmp, 0, N);
    show("topdown", a, N);
    printf("inversions %ld, sorted %d\n", inv, is_sorted(a, N));
    memcpy(b, data, sizeof b);
    sort_bu(b, tmp, N);
    show("bottomup", b, N);
    printf("same result %d\n", memcmp(a, b, sizeof a) == 0);
    for (int k = 0; k < N; k += 5) {
        memcpy(b, data, sizeof b);
        printf("select k=%2d -> %d (sorted %d)\n", k, quickselect(b, 0, N - 1, k), a[k]);
    }
    int rev[10];
    for (int i = 0; i < 10; i++)
        rev[i] = 10 - i;
    printf("inversions of reversed 10: %ld\n", sort_td(rev, tmp, 0, 10));
    return 0;
}
