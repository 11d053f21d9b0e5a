/* Pattern matching: a glob matcher (* ? and [a-z] classes with negation) done recursively and
 * iteratively with backtracking, and a Pike-style regex matcher (^ $ . * c) built from small
 * mutually recursive functions. */
#include <stdio.h>

static int class_match(const char **pp, char c)
{
    const char *p = *pp + 1;
    int neg = 0, hit = 0;
    if (*p == '!' || *p == '^') {
        neg = 1;
        p++;
    }
    while (*p && *p != ']') {
        if (p[1] == '-' && p[2] && p[2] != ']') {
            if (c >= p[0] && c <= p[2])
                hit = 1;
            p += 3;
        } else {
            if (c == *p)
                hit = 1;
            p++;
        }
    }
    *pp = *p ? p + 1 : p;
    return hit != neg;
}

static int glob_rec(const char *p, const char *s)
{
    for (; *p; s++) {
        if (*p == '*') {
            while (*p == '*')
                p++;
            if (!*p)
                return 1;
            for (; *s; s++)
                if (glob_rec(p, s))
                    return 1;
            return 0;
        }
        if (!*s)
            return 0;
        if (*p == '?') {
            p++;
        } else if (*p == '[') {
            if (!class_match(&p, *s))
                return 0;
        } else {
            if (*p != *s)
                return 0;
            p++;
        }
    }
    return *s == '\0';
}

/* Iterative glob without classes: remember the last star and retry from there. */
static int glob_iter(const char *p, const char *s)
{
    const char *star = 0, *retry = 0;
    while (*s) {
        if (*p == '?' || *p == *s) {
            p++;
            s++;
        } else if (*p == '*') {
            star = p++;
            retry = s;
        } else if (star) {
            p = star + 1;
            s = ++retry;
        } else {
            return 0;
        }
    }
    while (*p == '*')
        p++;
    return *p == '\0';
}

static int has_class(const char *p)
{
    for (; *p; p++)
        if (*p == '[')
            return 1;
    return 0;
}

static int match_here(const char *re, const char *text);

static int match_star(int c, const char *re, const char *text)
{
    do {
        if (match_here(re, text))
            return 1;
    } while (*text != '\0' && (*text++ == c || c == '.'));
    return 0;
}

static int match_here(const char *re, const char *text)
{
    if (re[0] == '\0')
        return 1;
    if (re[1] == '*')
        return match_star(re[0], re + 2, text);
    if (re[0] == '$' && re[1] == '\0')
        return *text == '\0';
    if (*text != '\0' && (re[0] == '.' || re[0] == *text))
        return match_here(re + 1, text + 1);
    return 0;
}

static int regex_match(const char *re, const char *text)
{
    if (re[0] == '^')
        return match_here(re + 1, text);
    do {
        if (match_here(re, text))
            return 1;
    } while (*text++ != '\0');
    return 0;
}

int main(void)
{
    static const char *globs[][2] = {
        {"*.c", "main.c"}, {"*.c", "main.h"}, {"ma?n.*", "main.c"}, {"[a-m]*", "kernel"},
        {"[!a-m]*", "kernel"}, {"*a*b*c", "xaybzc"}, {"*a*b*c", "xaybz"}, {"file[0-9][0-9]", "file42"},
        {"**x", "abx"}, {"", ""}, {"?", ""}, {"a*", "a"},
    };
    for (int i = 0; i < 12; i++) {
        int r = glob_rec(globs[i][0], globs[i][1]);
        printf("glob %-16s %-8s -> %d", globs[i][0], globs[i][1], r);
        if (!has_class(globs[i][0]))
            printf(" (iter %d)", glob_iter(globs[i][0], globs[i][1]));
        printf("\n");
    }
    static const char *res[][2] = {
        {"^ab*c$", "ac"}, {"^ab*c$", "abbbc"}, {"^ab*c$", "abbd"}, {"b.d", "abcde"}, {"x*y", "zzz"},
        {"^$", ""}, {"a.*z", "a to z"}, {"^.*end$", "the end"}, {"o*o", "fooo"}, {"q", "abc"},
    };
    for (int i = 0; i < 10; i++)
        printf("regex %-8s %-8s -> %d\n", res[i][0], res[i][1], regex_match(res[i][0], res[i][1]));
    return 0;
}
