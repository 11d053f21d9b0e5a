/* Variadic helpers built on stdarg: a levelled logger that forwards to vsnprintf with a
 * prefix, a sentinel-terminated integer sum, a counted maximum over doubles, a string joiner
 * over const char * arguments, and a va_list passed down to a helper twice via va_copy. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum level { DEBUG, INFO, WARN, ERROR };

static enum level threshold = INFO;
static int lines_logged, lines_dropped;

static void log_msg(enum level lv, const char *fmt, ...)
{
    static const char *tags[] = {"DEBUG", "INFO", "WARN", "ERROR"};
    if (lv < threshold) {
        lines_dropped++;
        return;
    }
    char buf[80];
    int n = snprintf(buf, sizeof buf, "[%-5s] ", tags[lv]);
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(buf + n, sizeof buf - (size_t)n, fmt, ap);
    va_end(ap);
    lines_logged++;
    printf("%s%s\n", buf, n + m >= (int)sizeof buf ? " <truncated>" : "");
}

static long sum_until_negative(int first, ...)
{
    long total = 0;
    va_list ap;
    va_start(ap, first);
    for (int v = first; v >= 0; v = va_arg(ap, int))
        total += v;
    va_end(ap);
    return total;
}

static double max_of(int count, ...)
{
    va_list ap;
    va_start(ap, count);
    double best = va_arg(ap, double);
    for (int i = 1; i < count; i++) {
        double v = va_arg(ap, double);
        if (v > best)
            best = v;
    }
    va_end(ap);
    return best;
}

static int join(char *out, size_t cap, const char *sep, ...)
{
    va_list ap;
    va_start(ap, sep);
    size_t len = 0;
    int parts = 0;
    out[0] = '\0';
    for (const char *s = va_arg(ap, const char *); s; s = va_arg(ap, const char *)) {
        size_t need = strlen(s) + (parts ? strlen(sep) : 0);
        if (len + need + 1 > cap)
            break;
        if (parts)
            strcat(out, sep);
        strcat(out, s);
        len += need;
        parts++;
    }
    va_end(ap);
    return parts;
}

static long vsum_longs(int n, va_list ap)
{
    long s = 0;
    for (int i = 0; i < n; i++)
        s += va_arg(ap, long);
    return s;
}

static void stats(int n, ...)
{
    va_list ap, copy;
    va_start(ap, n);
    va_copy(copy, ap);
    long sum = vsum_longs(n, ap);
    long sq = 0;
    for (int i = 0; i < n; i++) {
        long v = va_arg(copy, long);
        sq += v * v;
    }
    va_end(copy);
    va_end(ap);
    printf("n=%d sum=%ld sumsq=%ld\n", n, sum, sq);
}

int main(void)
{
    log_msg(INFO, "starting %s v%d.%d", "corpus", 1, 2);
    log_msg(DEBUG, "this is dropped: %d", 42);
    log_msg(WARN, "disk %d%% full, %.1f GiB left", 91, 12.75);
    threshold = DEBUG;
    log_msg(DEBUG, "chars %c%c%c hex %#x long %ld", 'a', 'b', 'c', 48879u, -1234567890123L);
    log_msg(ERROR, "a very long message that will certainly not fit into the eighty byte buffer: %s",
            "overflowing tail text");
    printf("sum = %ld\n", sum_until_negative(5, 10, 15, 20, -1));
    printf("sum = %ld\n", sum_until_negative(-1));
    printf("max = %.3f\n", max_of(5, 1.5, -2.0, 9.25, 3.0, 9.0));
    printf("max = %.3f\n", max_of(1, -7.5));
    char buf[40];
    int parts = join(buf, sizeof buf, ", ", "alpha", "beta", "gamma", (const char *)NULL);
    printf("joined %d: %s\n", parts, buf);
    parts = join(buf, sizeof buf, " | ", "one", "two", "three", "four", "five", "six", "seven", (const char *)NULL);
    printf("joined %d: %s\n", parts, buf);
    stats(4, 3L, -4L, 5L, 100000L);
    stats(0);
    printf("logged %d, dropped %d\n", lines_logged, lines_dropped);
    return 0;
}
