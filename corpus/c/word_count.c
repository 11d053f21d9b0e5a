/* A wc-like text scanner: counts lines, words and bytes, tracks the longest word and the
 * average word length, and tallies word frequencies in a small sorted table (byte loops,
 * character classes by hand and a linear-search symbol table). */
#include <stdio.h>
#include <string.h>

#define MAX_WORDS 64
#define MAX_LEN 16

struct wstat {
    char word[MAX_LEN];
    int count;
};

static struct wstat table[MAX_WORDS];
static int nwords;

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '\'';
}

static int lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static void tally(const char *w, int len)
{
    char buf[MAX_LEN];
    if (len >= MAX_LEN)
        len = MAX_LEN - 1;
    for (int i = 0; i < len; i++)
        buf[i] = (char)lower((unsigned char)w[i]);
    buf[len] = '\0';
    for (int i = 0; i < nwords; i++) {
        if (strcmp(table[i].word, buf) == 0) {
            table[i].count++;
            return;
        }
    }
    if (nwords < MAX_WORDS) {
        memcpy(table[nwords].word, buf, (size_t)len + 1);
        table[nwords].count = 1;
        nwords++;
    }
}

struct counts {
    int lines, words, bytes, letters, longest;
    char longest_word[MAX_LEN];
};

static struct counts scan(const char *text)
{
    struct counts c;
    memset(&c, 0, sizeof c);
    const char *p = text;
    while (*p) {
        unsigned char ch = (unsigned char)*p;
        c.bytes++;
        if (ch == '\n')
            c.lines++;
        if (is_alpha(ch)) {
            const char *start = p;
            while (is_alpha((unsigned char)*p))
                p++;
            int len = (int)(p - start);
            c.words++;
            c.letters += len;
            c.bytes += len - 1;
            if (len > c.longest && len < MAX_LEN) {
                c.longest = len;
                memcpy(c.longest_word, start, (size_t)len);
                c.longest_word[len] = '\0';
            }
            tally(start, len);
            continue;
        }
        p++;
    }
    return c;
}

static void sort_table(void)
{
    /* insertion sort: count descending, then word ascending (a total order) */
    for (int i = 1; i < nwords; i++) {
        struct wstat key = table[i];
        int j = i - 1;
        while (j >= 0 && (table[j].count < key.count ||
                          (table[j].count == key.count && strcmp(table[j].word, key.word) > 0))) {
            table[j + 1] = table[j];
            j--;
        }
        table[j + 1] = key;
    }
}

static int count_blank_runs(const char *s)
{
    int runs = 0, in = 0;
    for (; *s; s++) {
        if (is_space((unsigned char)*s)) {
            if (!in)
                runs++;
            in = 1;
        } else {
            in = 0;
        }
    }
    return runs;
}

int main(void)
{
    static const char text[] =
        "It was the best of times, it was the worst of times,\n"
        "it was the age of wisdom, it was the age of foolishness,\n"
        "it was the epoch of belief, it was the epoch of incredulity,\n"
        "it was the season of Light, it was the season of Darkness.\n"
        "Don't   panic:\tthe  end.\n";
    struct counts c = scan(text);
    printf("lines %d words %d bytes %d (strlen %zu)\n", c.lines, c.words, c.bytes, strlen(text));
    printf("letters %d, avg %d.%02d, longest '%s' (%d)\n", c.letters, c.letters / c.words,
           (c.letters % c.words) * 100 / c.words, c.longest_word, c.longest);
    printf("blank runs %d, distinct words %d\n", count_blank_runs(text), nwords);
    sort_table();
    for (int i = 0; i < nwords && i < 10; i++)
        printf("%2d. %-12s %3d\n", i + 1, table[i].word, table[i].count);
    int singles = 0;
    for (int i = 0; i < nwords; i++)
        singles += table[i].count == 1;
    printf("words seen once: %d\n", singles);
    return 0;
}
