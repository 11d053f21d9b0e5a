/* Identifier case conversion: camelCase to snake_case and back, SCREAMING_CASE, kebab-case,
 * Title Case of sentences and toggling case, all with hand-written character classes and
 * byte-by-byte copying into caller buffers. */
#include <stdio.h>
#include <string.h>

static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static int is_lower(char c) { return c >= 'a' && c <= 'z'; }
static char to_upper(char c) { return is_lower(c) ? (char)(c - 32) : c; }
static char to_lower(char c) { return is_upper(c) ? (char)(c + 32) : c; }

static void camel_to_snake(const char *in, char *out)
{
    int o = 0;
    for (int i = 0; in[i]; i++) {
        char c = in[i];
        if (is_upper(c)) {
            if (i > 0 && (is_lower(in[i - 1]) || (in[i + 1] && is_lower(in[i + 1]) && is_upper(in[i - 1]))))
                out[o++] = '_';
            out[o++] = to_lower(c);
        } else {
            out[o++] = c;
        }
    }
    out[o] = '\0';
}

static void snake_to_camel(const char *in, char *out, int pascal)
{
    int o = 0, up = pascal;
    for (const char *p = in; *p; p++) {
        if (*p == '_' || *p == '-') {
            up = o > 0 || pascal;
            continue;
        }
        out[o++] = up ? to_upper(*p) : to_lower(*p);
        up = 0;
    }
    out[o] = '\0';
}

static void screaming(const char *snake, char *out)
{
    while ((*out++ = to_upper(*snake++)) != '\0')
        ;
}

static void kebab(const char *snake, char *out)
{
    for (; *snake; snake++)
        *out++ = *snake == '_' ? '-' : *snake;
    *out = '\0';
}

static void title_case(char *s)
{
    static const char *small[] = {"a", "an", "the", "of", "and", "in", "on"};
    int first = 1;
    char *w = s;
    while (*w) {
        while (*w == ' ')
            w++;
        char *e = w;
        while (*e && *e != ' ')
            e++;
        size_t len = (size_t)(e - w);
        int is_small = 0;
        for (int k = 0; k < 7; k++)
            if (strlen(small[k]) == len && strncmp(small[k], w, len) == 0)
                is_small = 1;
        if (len > 0 && (first || !is_small || *e == '\0'))
            *w = to_upper(*w);
        for (char *q = w + 1; q < e; q++)
            *q = to_lower(*q);
        if (len > 0)
            first = 0;
        w = e;
    }
}

static int toggle(char *s)
{
    int changed = 0;
    for (; *s; s++) {
        if (is_upper(*s)) {
            *s = to_lower(*s);
            changed++;
        } else if (is_lower(*s)) {
            *s = to_upper(*s);
            changed++;
        }
    }
    return changed;
}

int main(void)
{
    static const char *idents[] = {"parseHttpRequest", "XMLHttpRequest", "getX", "simple", "userID2Name", "aB"};
    char snake[64], camel[64], pascal[64], scream[64], keb[64];
    for (int i = 0; i < 6; i++) {
        camel_to_snake(idents[i], snake);
        snake_to_camel(snake, camel, 0);
        snake_to_camel(snake, pascal, 1);
        screaming(snake, scream);
        kebab(snake, keb);
        printf("%-18s %-20s %-18s %-18s %-20s %s\n", idents[i], snake, camel, pascal, scream, keb);
    }
    char title[][48] = {"the lord of the rings", "a tale OF two cities", "war and peace", "  gone   with the wind in"};
    for (int i = 0; i < 4; i++) {
        title_case(title[i]);
        printf("title: '%s'\n", title[i]);
    }
    char mixed[] = "Hello, World! 123 abcXYZ";
    int n = toggle(mixed);
    printf("toggled %d: %s\n", n, mixed);
    return 0;
}
