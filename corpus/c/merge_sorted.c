/* Sorted-array algorithms: two-way merge, k-way merge by repeated minimum selection, and the
 * set operations union, intersection, difference and symmetric difference on sorted arrays
 * without duplicates, plus a merge-based median of two arrays. */
#include <stdio.h>

static int merge2(const int *a, int na, const int *b, int nb, int *out)
{
    int i = 0, j = 0, k = 0;
    while (i < na && j < nb)
        out[k++] = a[i] <= b[j] ? a[i++] : b[j++];
    while (i < na)
        out[k++] = a[i++];
    while (j < nb)
        out[k++] = b[j++];
    return k;
}

static int merge_k(const int *const *lists, const int *lens, int k, int *out)
{
    int pos[8] = {0};
    int n = 0;
    for (;;) {
        int best = -1;
        for (int i = 0; i < k; i++)
            if (pos[i] < lens[i] && (best < 0 || lists[i][pos[i]] < lists[best][pos[best]]))
                best = i;
        if (best < 0)
            return n;
        out[n++] = lists[best][pos[best]++];
    }
}

enum setop { UNION, INTERSECT, DIFF, SYMDIFF };

static int set_op(enum setop op, const int *a, int na, const int *b, int nb, int *out)
{
    int i = 0, j = 0, k = 0;
    while (i < na || j < nb) {
        int take_a = j >= nb || (i < na && a[i] < b[j]);
        int take_b = i >= na || (j < nb && b[j] < a[i]);
        if (take_a) {
            if (op == UNION || op == DIFF || op == SYMDIFF)
                out[k++] = a[i];
            i++;
        } else if (take_b) {
            if (op == UNION || op == SYMDIFF)
                out[k++] = b[j];
            j++;
        } else {
            if (op == UNION || op == INTERSECT)
                out[k++] = a[i];
            i++;
            j++;
        }
    }
    return k;
}

static void print_arr(const char *label, const int *a, int n)
{
    printf("%-10s (%2d):", label, n);
    for (int i = 0; i < n; i++)
        printf(" %d", a[i]);
    printf("\n");
}

/* Median of the union (with duplicates) of two sorted arrays, times 2 to stay integral. */
static int median2x(const int *a, int na, const int *b, int nb)
{
    int total = na + nb, i = 0, j = 0, prev = 0, cur = 0;
    for (int c = 0; c <= total / 2; c++) {
        prev = cur;
        if (j >= nb || (i < na && a[i] <= b[j]))
            cur = a[i++];
        else
            cur = b[j++];
    }
    return total % 2 ? 2 * cur : prev + cur;
}

int main(void)
{
    static const int a[] = {1, 3, 5, 7, 9, 11, 13, 20};
    static const int b[] = {2, 3, 4, 9, 10, 20, 25};
    static const int c[] = {-4, 0, 6, 8, 30};
    static const int d[] = {5};
    int out[40];
    int n = merge2(a, 8, b, 7, out);
    print_arr("merge", out, n);
    const int *lists[] = {a, b, c, d};
    const int lens[] = {8, 7, 5, 1};
    n = merge_k(lists, lens, 4, out);
    print_arr("merge4", out, n);
    static const char *names[] = {"union", "intersect", "diff", "symdiff"};
    for (int op = UNION; op <= SYMDIFF; op++) {
        n = set_op((enum setop)op, a, 8, b, 7, out);
        print_arr(names[op], out, n);
    }
    n = set_op(DIFF, b, 7, a, 8, out);
    print_arr("b-a", out, n);
    int m = median2x(a, 8, b, 7);
    printf("median(a,b) = %d.%d\n", m / 2, m % 2 ? 5 : 0);
    m = median2x(c, 5, d, 1);
    printf("median(c,d) = %d.%d\n", m / 2, m % 2 ? 5 : 0);
    return 0;
}
