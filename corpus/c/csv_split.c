/* Trimming and splitting: trims whitespace in place, splits CSV lines with quoted fields
 * and doubled quotes into a fixed field array, joins fields back with a separator, and
 * parses numeric columns by hand. */
#include <stdio.h>
#include <string.h>

#define MAX_FIELDS 8
#define FIELD_LEN 32

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

static int split_csv(const char *line, char fields[][FIELD_LEN])
{
    int nf = 0, len = 0, quoted = 0;
    const char *p = line;
    for (;;) {
        char c = *p;
        if (quoted) {
            if (c == '\0') {
                break;
            } else if (c == '"' && p[1] == '"') {
                if (len < FIELD_LEN - 1)
                    fields[nf][len++] = '"';
                p += 2;
                continue;
            } else if (c == '"') {
                quoted = 0;
            } else if (len < FIELD_LEN - 1) {
                fields[nf][len++] = c;
            }
        } else if (c == '"') {
            quoted = 1;
        } else if (c == ',' || c == '\0') {
            fields[nf][len] = '\0';
            nf++;
            len = 0;
            if (c == '\0' || nf == MAX_FIELDS)
                break;
        } else if (len < FIELD_LEN - 1) {
            fields[nf][len++] = c;
        }
        p++;
    }
    return nf;
}

static int join(char *out, size_t cap, char fields[][FIELD_LEN], int n, const char *sep)
{
    size_t pos = 0, seplen = strlen(sep);
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        size_t fl = strlen(fields[i]);
        if (pos + fl + seplen + 1 > cap)
            return -1;
        if (i > 0) {
            memcpy(out + pos, sep, seplen);
            pos += seplen;
        }
        memcpy(out + pos, fields[i], fl);
        pos += fl;
        out[pos] = '\0';
    }
    return (int)pos;
}

static int parse_cents(const char *s, long *out)
{
    long whole = 0, frac = 0;
    int neg = 0, digits = 0, fd = 0;
    if (*s == '-') {
        neg = 1;
        s++;
    }
    while (*s >= '0' && *s <= '9' && digits < 12) {
        whole = whole * 10 + (*s++ - '0');
        digits++;
    }
    if (*s == '.') {
        s++;
        while (*s >= '0' && *s <= '9' && fd < 2) {
            frac = frac * 10 + (*s++ - '0');
            fd++;
        }
        if (fd == 1)
            frac *= 10;
    }
    if (digits == 0 || *s != '\0')
        return 0;
    *out = (whole * 100 + frac) * (neg ? -1 : 1);
    return 1;
}

int main(void)
{
    static const char *lines[] = {
        "  apple, 1.25 ,fruit,\"red, green\"  ",
        "bread,2.5,bakery,\"say \"\"hi\"\"\"",
        "cheese , -0.75, dairy ,",
        "\"\",7,,x",
        "water,abc,drink,plain",
    };
    long total = 0;
    for (int i = 0; i < 5; i++) {
        char buf[96];
        char fields[MAX_FIELDS][FIELD_LEN];
        strncpy(buf, lines[i], sizeof buf - 1);
        buf[sizeof buf - 1] = '\0';
        char *t = trim(buf);
        int n = split_csv(t, fields);
        printf("line %d: %d fields:", i, n);
        for (int k = 0; k < n; k++) {
            char *f = trim(fields[k]);
            memmove(fields[k], f, strlen(f) + 1);
            printf(" [%s]", fields[k]);
        }
        printf("\n");
        long cents;
        if (n > 1 && parse_cents(fields[1], &cents)) {
            total += cents;
            printf("  price %ld cents\n", cents);
        } else {
            printf("  bad price\n");
        }
        char joined[128];
        int jl = join(joined, sizeof joined, fields, n, " | ");
        printf("  joined(%d): %s\n", jl, joined);
    }
    printf("total %ld.%02ld\n", total / 100, total % 100);
    return 0;
}
