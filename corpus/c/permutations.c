/* Combinatorial enumeration: all permutations by recursive swapping, lexicographic
 * next_permutation on a multiset, k-combinations by recursion, subsets by bitmask and the
 * rank of a permutation in the factorial number system. */
#include <stdio.h>

static int perm_count;

static void swap(char *a, char *b)
{
    char t = *a;
    *a = *b;
    *b = t;
}

static void permute(char *s, int k, int n)
{
    if (k == n) {
        if (perm_count < 8)
            printf(" %s", s);
        perm_count++;
        return;
    }
    for (int i = k; i < n; i++) {
        swap(&s[k], &s[i]);
        permute(s, k + 1, n);
        swap(&s[k], &s[i]);
    }
}

static int next_permutation(int *a, int n)
{
    int i = n - 2;
    while (i >= 0 && a[i] >= a[i + 1])
        i--;
    if (i < 0)
        return 0;
    int j = n - 1;
    while (a[j] <= a[i])
        j--;
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
    for (int l = i + 1, r = n - 1; l < r; l++, r--) {
        t = a[l];
        a[l] = a[r];
        a[r] = t;
    }
    return 1;
}

static int combos(int start, int n, int k, int *chosen, int depth)
{
    if (depth == k) {
        printf(" {");
        for (int i = 0; i < k; i++)
            printf(i ? ",%d" : "%d", chosen[i]);
        printf("}");
        return 1;
    }
    int c = 0;
    for (int v = start; v <= n - (k - depth); v++) {
        chosen[depth] = v;
        c += combos(v + 1, n, k, chosen, depth + 1);
    }
    return c;
}

static int subsets_with_sum(const int *w, int n, int target)
{
    int found = 0;
    for (unsigned mask = 0; mask < (1u << n); mask++) {
        int s = 0;
        for (int i = 0; i < n; i++)
            if (mask & (1u << i))
                s += w[i];
        if (s == target) {
            found++;
            printf(" %02x", mask);
        }
    }
    return found;
}

static long perm_rank(const int *p, int n)
{
    long rank = 0, fact = 1;
    for (int i = n - 1; i >= 0; i--) {
        int smaller = 0;
        for (int j = i + 1; j < n; j++)
            if (p[j] < p[i])
                smaller++;
        rank += smaller * fact;
        fact *= n - i;
    }
    return rank;
}

int main(void)
{
    char s[] = "abcd";
    printf("first perms:");
    permute(s, 0, 4);
    printf("\ntotal %d, string back to %s\n", perm_count, s);
    int m[] = {1, 1, 2, 3};
    int n = 0;
    printf("multiset perms:");
    do {
        printf(" %d%d%d%d", m[0], m[1], m[2], m[3]);
        n++;
    } while (next_permutation(m, 4));
    printf("\ncount %d\n", n);
    int chosen[5];
    printf("C(6,3):");
    int c = combos(0, 6, 3, chosen, 0);
    printf("\ncount %d\n", c);
    static const int w[] = {3, 34, 4, 12, 5, 2, 7, 9};
    printf("subsets summing to 16:");
    int f = subsets_with_sum(w, 8, 16);
    printf("\ncount %d\n", f);
    int p[] = {0, 1, 2, 3, 4};
    for (int k = 0; k < 7; k++) {
        printf("rank %ld: %d%d%d%d%d\n", perm_rank(p, 5), p[0], p[1], p[2], p[3], p[4]);
        for (int step = 0; step < 17; step++)
            if (!next_permutation(p, 5))
                break;
    }
    return 0;
}
