/* In-place string reversal: reversing a whole buffer, reversing each word, reversing word
 * order with the two-pass trick, rotating a string left by k, and palindrome tests that skip
 * punctuation (pointer walks from both ends). */
#include <stdio.h>
#include <string.h>

static void reverse_range(char *lo, char *hi)
{
    while (lo < hi) {
        char t = *lo;
        *lo++ = *hi;
        *hi-- = t;
    }
}

static void reverse(char *s)
{
    size_t n = strlen(s);
    if (n > 1)
        reverse_range(s, s + n - 1);
}

static void reverse_each_word(char *s)
{
    char *w = s;
    for (char *p = s;; p++) {
        if (*p == ' ' || *p == '\0') {
            if (p > w)
                reverse_range(w, p - 1);
            if (*p == '\0')
                break;
            w = p + 1;
        }
    }
}

static void reverse_word_order(char *s)
{
    reverse(s);
    reverse_each_word(s);
}

static void rotate_left(char *s, size_t k)
{
    size_t n = strlen(s);
    if (n == 0)
        return;
    k %= n;
    if (k == 0)
        return;
    reverse_range(s, s + k - 1);
    reverse_range(s + k, s + n - 1);
    reverse_range(s, s + n - 1);
}

static int alnum_lower(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c + 32;
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        return c;
    return 0;
}

static int is_palindrome(const char *s)
{
    const char *a = s, *b = s + strlen(s);
    if (b == a)
        return 1;
    b--;
    while (a < b) {
        int ca = alnum_lower((unsigned char)*a), cb = alnum_lower((unsigned char)*b);
        if (!ca) {
            a++;
            continue;
        }
        if (!cb) {
            b--;
            continue;
        }
        if (ca != cb)
            return 0;
        a++;
        b--;
    }
    return 1;
}

static int longest_palindrome(const char *s, int *start)
{
    int n = (int)strlen(s), best = n > 0, bs = 0;
    for (int c = 0; c < n; c++) {
        for (int odd = 0; odd < 2; odd++) {
            int lo = c, hi = c + odd;
            while (lo >= 0 && hi < n && s[lo] == s[hi]) {
                lo--;
                hi++;
            }
            if (hi - lo - 1 > best) {
                best = hi - lo - 1;
                bs = lo + 1;
            }
        }
    }
    *start = bs;
    return best;
}

int main(void)
{
    char a[] = "stressed desserts";
    reverse(a);
    printf("reverse: %s\n", a);
    char b[] = "the quick brown fox jumps";
    reverse_each_word(b);
    printf("each word: %s\n", b);
    char c[] = "one two three four five";
    reverse_word_order(c);
    printf("word order: %s\n", c);
    for (size_t k = 0; k < 9; k += 2) {
        char d[] = "abcdefg";
        rotate_left(d, k);
        printf("rotate %zu: %s\n", k, d);
    }
    static const char *tests[] = {"A man, a plan, a canal: Panama", "No lemon, no melon", "hello", "", "ab!ba", "12321x"};
    for (int i = 0; i < 6; i++)
        printf("palindrome(\"%s\") = %d\n", tests[i], is_palindrome(tests[i]));
    static const char *words[] = {"forgeeksskeegfor", "babad", "cbbd", "racecarxyz", "q"};
    for (int i = 0; i < 5; i++) {
        int st, len = longest_palindrome(words[i], &st);
        printf("longest in %-18s %.*s (at %d, len %d)\n", words[i], len, words[i] + st, st, len);
    }
    return 0;
}
