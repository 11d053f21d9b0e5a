/* Radix conversion: formatting signed and unsigned 64-bit values in any base 2..36 (with the
 * INT64_MIN corner handled through unsigned negation), parsing with overflow and digit
 * validation, balanced ternary, and base-negative-two representation. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <inttypes.h>

static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";

static char *format_u(uint64_t v, int base, char *buf)
{
    char tmp[65];
    int n = 0;
    do {
        tmp[n++] = digits[v % (unsigned)base];
        v /= (unsigned)base;
    } while (v);
    for (int i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return buf;
}

static char *format_s(int64_t v, int base, char *buf)
{
    if (v < 0) {
        buf[0] = '-';
        format_u(0 - (uint64_t)v, base, buf + 1);
    } else {
        format_u((uint64_t)v, base, buf);
    }
    return buf;
}

static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

/* 0 ok, 1 bad digit, 2 overflow, 3 empty */
static int parse_u(const char *s, int base, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s)
        return 3;
    for (; *s; s++) {
        int d = digit_value(*s);
        if (d >= base)
            return 1;
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
            return 2;
        v = v * (uint64_t)base + (uint64_t)d;
    }
    *out = v;
    return 0;
}

static char *balanced_ternary(int64_t v, char *buf)
{
    char tmp[64];
    int n = 0;
    if (v == 0)
        tmp[n++] = '0';
    while (v != 0) {
        int64_t r = v % 3;
        if (r < 0)
            r += 3;
        if (r == 2) {
            tmp[n++] = 'T';
            v = (v + 1) / 3;
        } else {
            tmp[n++] = r ? '1' : '0';
            v = (v - r) / 3;
        }
    }
    for (int i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return buf;
}

static char *negabinary(int64_t v, char *buf)
{
    char tmp[72];
    int n = 0;
    do {
        int64_t r = v % -2;
        v /= -2;
        if (r < 0) {
            r += 2;
            v += 1;
        }
        tmp[n++] = (char)('0' + r);
    } while (v != 0);
    for (int i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return buf;
}

int main(void)
{
    static const int64_t vals[] = {0, 255, -255, 1000000, INT64_MAX, INT64_MIN, -1};
    static const int bases[] = {2, 8, 16, 36};
    for (int i = 0; i < 7; i++) {
        printf("%" PRId64 ":", vals[i]);
        for (int b = 0; b < 4; b++) {
            char buf[80];
            printf(" b%d=%s", bases[b], format_s(vals[i], bases[b], buf));
        }
        printf("\n");
    }
    static const struct {
        const char *s;
        int base;
    } inputs[] = {{"ff", 16}, {"777", 8}, {"zz", 36}, {"102", 2}, {"18446744073709551615", 10},
                  {"18446744073709551616", 10}, {"", 10}, {"DeadBeef", 16}, {"1y2p0ij32e8e7", 36}};
    for (int i = 0; i < 9; i++) {
        uint64_t v = 0;
        int rc = parse_u(inputs[i].s, inputs[i].base, &v);
        printf("parse(\"%s\", %d): rc %d value %" PRIu64 "\n", inputs[i].s, inputs[i].base, rc, rc ? 0 : v);
    }
    for (int64_t v = -13; v <= 13; v += 5) {
        char a[72], b[72];
        printf("%4" PRId64 ": balanced ternary %-6s negabinary %s\n", v, balanced_ternary(v, a), negabinary(v, b));
    }
    return 0;
}
