/* Substring search three ways: naive, Knuth-Morris-Pratt with a failure table, and
 * Boyer-Moore-Horspool with a 256-entry skip table; all occurrences are counted and the
 * character comparisons of each algorithm are reported. */
#include <stdio.h>
#include <string.h>

static long comparisons;

static int naive_search(const char *t, int n, const char *p, int m, int *first)
{
    int count = 0;
    *first = -1;
    for (int i = 0; i + m <= n; i++) {
        int j = 0;
        while (j < m) {
            comparisons++;
            if (t[i + j] != p[j])
                break;
            j++;
        }
        if (j == m) {
            if (*first < 0)
                *first = i;
            count++;
        }
    }
    return count;
}

static void build_failure(const char *p, int m, int *fail)
{
    fail[0] = 0;
    int k = 0;
    for (int i = 1; i < m; i++) {
        while (k > 0 && p[i] != p[k])
            k = fail[k - 1];
        if (p[i] == p[k])
            k++;
        fail[i] = k;
    }
}

static int kmp_search(const char *t, int n, const char *p, int m, int *first)
{
    int fail[64];
    int count = 0, k = 0;
    build_failure(p, m, fail);
    *first = -1;
    for (int i = 0; i < n; i++) {
        for (;;) {
            comparisons++;
            if (t[i] == p[k])
                break;
            if (k == 0)
                break;
            k = fail[k - 1];
        }
        if (t[i] == p[k])
            k++;
        if (k == m) {
            if (*first < 0)
                *first = i - m + 1;
            count++;
            k = fail[k - 1];
        }
    }
    return count;
}

static int horspool_search(const char *t, int n, const char *p, int m, int *first)
{
    int skip[256];
    int count = 0;
    for (int i = 0; i < 256; i++)
        skip[i] = m;
    for (int i = 0; i < m - 1; i++)
        skip[(unsigned char)p[i]] = m - 1 - i;
    *first = -1;
    int i = 0;
    while (i + m <= n) {
        int j = m - 1;
        while (j >= 0) {
            comparisons++;
            if (t[i + j] != p[j])
                break;
            j--;
        }
        if (j < 0) {
            if (*first < 0)
                *first = i;
            count++;
        }
        i += skip[(unsigned char)t[i + m - 1]];
    }
    return count;
}

typedef int (*searcher)(const char *, int, const char *, int, int *);

static void print_failure(const char *p)
{
    int fail[64];
    int m = (int)strlen(p);
    build_failure(p, m, fail);
    printf("failure(%s):", p);
    for (int i = 0; i < m; i++)
        printf(" %d", fail[i]);
    printf("\n");
}

int main(void)
{
    static const char text[] =
        "abracadabra abracadabra! the rain in spain stays mainly in the plain; "
        "aaaaaaaaaaaaaaaaaaaab ababababcabababab needle in a haystack with needles";
    static const char *pats[] = {"abra", "ain", "aaab", "ababc", "needle", "xyz", "a", "abababab"};
    static const char *names[] = {"naive", "kmp", "horspool"};
    searcher algos[] = {naive_search, kmp_search, horspool_search};
    int n = (int)strlen(text);
    printf("text length %d\n", n);
    for (int k = 0; k < 8; k++) {
        int m = (int)strlen(pats[k]);
        printf("%-9s", pats[k]);
        for (int a = 0; a < 3; a++) {
            int first;
            comparisons = 0;
            int c = algos[a](text, n, pats[k], m, &first);
            printf("  %s=%d@%d/%ld", names[a], c, first, comparisons);
        }
        printf("\n");
    }
    print_failure("abababab");
    print_failure("aabaaab");
    print_failure("abcdabd");
    return 0;
}
