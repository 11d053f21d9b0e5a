/* Calendar arithmetic: Gregorian leap years, day of week by Sakamoto's method, days since an
 * epoch and back (civil-from-days), adding days to dates, ISO-style week numbers, and a
 * printed month grid. */
#include <stdio.h>

struct date {
    int y, m, d;
};

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* 0 = Sunday */
static int day_of_week(int y, int m, int d)
{
    static const int t[12] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3)
        y -= 1;
    return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

/* Days since 1970-01-01 for years >= 1 (Howard Hinnant's algorithm, non-negative eras only). */
static long days_from_civil(struct date dt)
{
    int y = dt.m <= 2 ? dt.y - 1 : dt.y;
    int era = y / 400;
    int yoe = y - era * 400;
    int mp = (dt.m + 9) % 12;
    int doy = (153 * mp + 2) / 5 + dt.d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (long)era * 146097 + doe - 719468;
}

static struct date civil_from_days(long z)
{
    z += 719468;
    long era = z / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    struct date r;
    r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
    r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
    r.y = (int)(yoe + era * 400 + (r.m <= 2));
    return r;
}

static int day_of_year(struct date dt)
{
    int n = dt.d;
    for (int m = 1; m < dt.m; m++)
        n += days_in_month(dt.y, m);
    return n;
}

static int iso_week(struct date dt)
{
    int wd = (day_of_week(dt.y, dt.m, dt.d) + 6) % 7; /* Monday = 0 */
    int week = (day_of_year(dt) - wd + 9) / 7;
    if (week < 1) {
        struct date prev = {dt.y - 1, 12, 31};
        return iso_week(prev);
    }
    if (week == 53) {
        int jan1 = (day_of_week(dt.y + 1, 1, 1) + 6) % 7;
        if (jan1 <= 3 && dt.d - wd + 3 > 31 && dt.m == 12)
            return 1;
    }
    return week;
}

static void print_month(int y, int m)
{
    static const char *names[12] = {"January", "February", "March", "April", "May", "June", "July", "August",
                                    "September", "October", "November", "December"};
    printf("   %s %d\nSu Mo Tu We Th Fr Sa\n", names[m - 1], y);
    int start = day_of_week(y, m, 1), n = days_in_month(y, m);
    for (int i = 0; i < start; i++)
        printf("   ");
    for (int d = 1; d <= n; d++)
        printf("%2d%c", d, (start + d) % 7 == 0 || d == n ? '\n' : ' ');
}

int main(void)
{
    static const char *wd[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const struct date dates[] = {{1970, 1, 1}, {2000, 2, 29}, {1969, 7, 20}, {2024, 12, 30},
                                        {2021, 1, 3}, {1900, 3, 1}, {2038, 1, 19}, {1600, 12, 31}};
    for (int i = 0; i < 8; i++) {
        struct date dt = dates[i];
        long days = days_from_civil(dt);
        struct date back = civil_from_days(days);
        printf("%04d-%02d-%02d %s day %3d week %2d epoch %7ld back %04d-%02d-%02d\n", dt.y, dt.m, dt.d,
               wd[day_of_week(dt.y, dt.m, dt.d)], day_of_year(dt), iso_week(dt), days, back.y, back.m, back.d);
    }
    struct date a = {2023, 11, 15};
    for (int add = 30; add <= 1000; add *= 3) {
        struct date r = civil_from_days(days_from_civil(a) + add);
        printf("2023-11-15 + %4d days = %04d-%02d-%02d\n", add, r.y, r.m, r.d);
    }
    struct date b1 = {1999, 12, 31}, b2 = {2024, 2, 29};
    printf("days between: %ld\n", days_from_civil(b2) - days_from_civil(b1));
    int leaps = 0;
    for (int y = 1900; y <= 2100; y++)
        leaps += is_leap(y);
    printf("leap years 1900..2100: %d\n", leaps);
    print_month(2024, 2);
    print_month(2025, 6);
    return 0;
}
