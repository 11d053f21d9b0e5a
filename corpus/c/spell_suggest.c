/* Edit distances for a spelling suggester: Levenshtein with two rolling rows, the
 * optimal-string-alignment variant that counts transpositions, Hamming distance and a
 * dictionary scan choosing the closest word (ties broken alphabetically). */
#include <stdio.h>
#include <string.h>

#define MAXW 24

static int min3(int a, int b, int c)
{
    int m = a < b ? a : b;
    return m < c ? m : c;
}

static int levenshtein(const char *a, const char *b)
{
    int la = (int)strlen(a), lb = (int)strlen(b);
    int prev[MAXW + 1], cur[MAXW + 1];
    for (int j = 0; j <= lb; j++)
        prev[j] = j;
    for (int i = 1; i <= la; i++) {
        cur[0] = i;
        for (int j = 1; j <= lb; j++) {
            int cost = a[i - 1] != b[j - 1];
            cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        }
        memcpy(prev, cur, sizeof(int) * (size_t)(lb + 1));
    }
    return prev[lb];
}

static int osa_distance(const char *a, const char *b)
{
    static int d[MAXW + 1][MAXW + 1];
    int la = (int)strlen(a), lb = (int)strlen(b);
    for (int i = 0; i <= la; i++)
        d[i][0] = i;
    for (int j = 0; j <= lb; j++)
        d[0][j] = j;
    for (int i = 1; i <= la; i++) {
        for (int j = 1; j <= lb; j++) {
            int cost = a[i - 1] != b[j - 1];
            d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < d[i][j])
                d[i][j] = d[i - 2][j - 2] + 1;
        }
    }
    return d[la][lb];
}

static int hamming(const char *a, const char *b)
{
    if (strlen(a) != strlen(b))
        return -1;
    int h = 0;
    for (; *a; a++, b++)
        h += *a != *b;
    return h;
}

static const char *dictionary[] = {
    "apple", "apply", "banana", "bandana", "cherry", "chary", "receive", "recipe", "separate",
    "desperate", "definitely", "defiantly", "necessary", "accommodate", "occurrence", "weird",
};
#define NDICT ((int)(sizeof dictionary / sizeof dictionary[0]))

static const char *suggest(const char *word, int *dist)
{
    const char *best = NULL;
    int bd = 1 << 20;
    for (int i = 0; i < NDICT; i++) {
        int d = osa_distance(word, dictionary[i]);
        if (d < bd || (d == bd && strcmp(dictionary[i], best) < 0)) {
            bd = d;
            best = dictionary[i];
        }
    }
    *dist = bd;
    return best;
}

int main(void)
{
    static const char *pairs[][2] = {
        {"kitten", "sitting"}, {"flaw", "lawn"}, {"ca", "abc"}, {"abcdef", "abdcef"}, {"", "abc"},
        {"karolin", "kathrin"}, {"same", "same"}, {"intention", "execution"},
    };
    printf("%-10s %-10s %4s %4s %4s\n", "a", "b", "lev", "osa", "ham");
    for (int i = 0; i < 8; i++)
        printf("%-10s %-10s %4d %4d %4d\n", pairs[i][0], pairs[i][1], levenshtein(pairs[i][0], pairs[i][1]),
               osa_distance(pairs[i][0], pairs[i][1]), hamming(pairs[i][0], pairs[i][1]));
    static const char *typos[] = {"aple", "recieve", "seperate", "definately", "neccessary", "wierd", "bananna", "chery"};
    for (int i = 0; i < 8; i++) {
        int d;
        const char *s = suggest(typos[i], &d);
        printf("%-11s -> %-11s (distance %d, lev %d)\n", typos[i], s, d, levenshtein(typos[i], s));
    }
    return 0;
}
