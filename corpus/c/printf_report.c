/* A printf-heavy report: a unit conversion table with widths and precisions, an ASCII chart
 * of character codes in %c/%o/%x/%d, a ledger with signed money and thousands grouping done
 * by hand, and %e/%g/%ld/%lu/%*d/%-*s formatting of mixed values. */
#include <stdio.h>
#include <string.h>

static void conversion_table(void)
{
    printf("%6s | %10s | %10s | %8s\n", "km", "miles", "nautical", "feet(k)");
    printf("-------+------------+------------+---------\n");
    for (int km = 1; km <= 100; km = km < 10 ? km + 3 : km * 2) {
        double mi = km * 0.621371, nm = km * 0.539957, ft = km * 3.28084;
        printf("%6d | %10.3f | %10.4f | %8.2f\n", km, mi, nm, ft);
    }
}

static void ascii_chart(int from, int to)
{
    for (int c = from; c <= to; c++) {
        printf("%3d 0%03o 0x%02x %c%s", c, c, c, c, (c - from) % 4 == 3 ? "\n" : "   ");
    }
    printf("\n");
}

static const char *group(long v, char *buf)
{
    char tmp[32];
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    int n = 0, digits = 0;
    do {
        if (digits && digits % 3 == 0)
            tmp[n++] = ',';
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
        digits++;
    } while (u);
    int o = 0;
    if (v < 0)
        buf[o++] = '-';
    while (n > 0)
        buf[o++] = tmp[--n];
    buf[o] = '\0';
    return buf;
}

struct entry {
    const char *what;
    long cents;
};

static void ledger(const struct entry *e, int n)
{
    long bal = 0;
    int w = 0;
    for (int i = 0; i < n; i++)
        if ((int)strlen(e[i].what) > w)
            w = (int)strlen(e[i].what);
    for (int i = 0; i < n; i++) {
        char a[32], b[32];
        bal += e[i].cents;
        long abs_c = e[i].cents < 0 ? -e[i].cents : e[i].cents;
        long abs_b = bal < 0 ? -bal : bal;
        printf("%-*s %c%12s.%02ld %14s.%02ld%s\n", w, e[i].what, e[i].cents < 0 ? '-' : '+', group(abs_c / 100, a),
               abs_c % 100, group(bal < 0 ? -(abs_b / 100) : abs_b / 100, b), abs_b % 100, bal < 0 ? " DR" : "");
    }
}

static void scientific(void)
{
    static const double v[] = {0.000123456, 1.0, 3.14159265358979, 6.02214076e23, -1.602176634e-19, 123456789.0};
    for (int i = 0; i < 6; i++)
        printf("%-22.9g %14.4e %12.3g %+.2e\n", v[i], v[i], v[i], v[i]);
}

int main(void)
{
    conversion_table();
    ascii_chart(48, 59);
    ascii_chart(65, 76);
    static const struct entry e[] = {
        {"opening balance", 125000000}, {"rent", -240000}, {"salary", 785050}, {"car", -2599999},
        {"bonus", 100}, {"tax", -123456789}, {"refund", 1234},
    };
    ledger(e, 7);
    scientific();
    unsigned long big = 18446744073709551615UL;
    long neg = -9223372036854775807L - 1;
    printf("%lu %lx %lo\n%ld %ld\n", big, big, big >> 40, neg, neg + 1);
    for (int width = 2; width <= 10; width += 4)
        printf("[%*d] [%-*d] [%0*d] [%*.*s]\n", width, 42, width, 42, width, 42, width, width / 2, "abcdefgh");
    printf("[%5.1f%%] [%-8c] [%#x] [%#o] [%+d] [% d]\n", 99.44, 'z', 255, 8, 7, 7);
    return 0;
}
