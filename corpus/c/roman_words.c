/* Number formats as text: integers to Roman numerals and back with validation by
 * round-trip, and integers to English words (hundreds, thousands, millions), using const
 * tables of values and strings. */
#include <stdio.h>
#include <string.h>

static const int rvals[13] = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1};
static const char *rsyms[13] = {"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"};

static int to_roman(int n, char *out)
{
    if (n <= 0 || n >= 4000)
        return 0;
    out[0] = '\0';
    for (int i = 0; i < 13; i++)
        while (n >= rvals[i]) {
            strcat(out, rsyms[i]);
            n -= rvals[i];
        }
    return 1;
}

static int roman_digit(char c)
{
    switch (c) {
    case 'I': return 1;
    case 'V': return 5;
    case 'X': return 10;
    case 'L': return 50;
    case 'C': return 100;
    case 'D': return 500;
    case 'M': return 1000;
    default: return 0;
    }
}

/* Returns the value, or -1 if the string is not the canonical numeral for it. */
static int from_roman(const char *s)
{
    int total = 0;
    for (int i = 0; s[i]; i++) {
        int v = roman_digit(s[i]);
        if (!v)
            return -1;
        int next = s[i + 1] ? roman_digit(s[i + 1]) : 0;
        total += v < next ? -v : v;
    }
    char canon[32];
    if (!to_roman(total, canon) || strcmp(canon, s) != 0)
        return -1;
    return total;
}

static const char *ones[20] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                               "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                               "eighteen", "nineteen"};
static const char *tens[10] = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};

static void below_thousand(int n, char *out)
{
    if (n >= 100) {
        strcat(out, ones[n / 100]);
        strcat(out, " hundred");
        n %= 100;
        if (n)
            strcat(out, " and ");
    }
    if (n >= 20) {
        strcat(out, tens[n / 10]);
        if (n % 10) {
            strcat(out, "-");
            strcat(out, ones[n % 10]);
        }
    } else if (n > 0) {
        strcat(out, ones[n]);
    }
}

static void to_words(long n, char *out)
{
    static const char *scale[4] = {"", " thousand", " million", " billion"};
    out[0] = '\0';
    if (n == 0) {
        strcpy(out, "zero");
        return;
    }
    if (n < 0) {
        strcat(out, "minus ");
        n = -n;
    }
    int groups[4] = {0}, ng = 0;
    while (n > 0 && ng < 4) {
        groups[ng++] = (int)(n % 1000);
        n /= 1000;
    }
    int first = 1;
    for (int g = ng - 1; g >= 0; g--) {
        if (!groups[g])
            continue;
        if (!first)
            strcat(out, g == 0 && groups[g] < 100 ? " and " : ", ");
        below_thousand(groups[g], out);
        strcat(out, scale[g]);
        first = 0;
    }
}

int main(void)
{
    static const int nums[] = {1, 4, 9, 14, 40, 90, 400, 1994, 2024, 3999, 0, 4000};
    for (int i = 0; i < 12; i++) {
        char r[32];
        if (to_roman(nums[i], r))
            printf("%4d = %-12s -> %d\n", nums[i], r, from_roman(r));
        else
            printf("%4d has no roman numeral\n", nums[i]);
    }
    static const char *bad[] = {"IIII", "VX", "IC", "MCMXCIV", "XLII", "ABC", "MMMM"};
    for (int i = 0; i < 7; i++)
        printf("parse %-8s = %d\n", bad[i], from_roman(bad[i]));
    static const long w[] = {0, 7, 13, 45, 100, 101, 999, 1005, 21000, 123456, 1000001, -2500, 2147483647L};
    for (int i = 0; i < 13; i++) {
        char buf[256];
        to_words(w[i], buf);
        printf("%ld: %s\n", w[i], buf);
    }
    return 0;
}
