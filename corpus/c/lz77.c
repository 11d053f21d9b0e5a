/* A tiny LZ77 compressor: greedy longest-match search in a sliding window, tokens packed as
 * a flag byte followed by literals or (offset, length) pairs, a decompressor that copies
 * overlapping matches byte by byte, and round-trip checks with compression ratios. */
#include <stdio.h>
#include <string.h>

#define WINDOW 255
#define MIN_MATCH 3
#define MAX_MATCH 18

static int find_match(const unsigned char *in, int pos, int n, int *best_off)
{
    int best = 0;
    int start = pos > WINDOW ? pos - WINDOW : 0;
    for (int cand = pos - 1; cand >= start; cand--) {
        int len = 0;
        while (len < MAX_MATCH && pos + len < n && in[cand + len] == in[pos + len])
            len++;
        if (len > best) {
            best = len;
            *best_off = pos - cand;
            if (len == MAX_MATCH)
                break;
        }
    }
    return best;
}

/* Groups of 8 tokens share one flag byte: bit set = match (2 bytes), clear = literal. */
static int compress(const unsigned char *in, int n, unsigned char *out)
{
    int pos = 0, o = 0;
    while (pos < n) {
        int flag_at = o++;
        unsigned char flags = 0;
        for (int bit = 0; bit < 8 && pos < n; bit++) {
            int off = 0, len = find_match(in, pos, n, &off);
            if (len >= MIN_MATCH) {
                flags |= (unsigned char)(1u << bit);
                out[o++] = (unsigned char)off;
                out[o++] = (unsigned char)(len - MIN_MATCH);
                pos += len;
            } else {
                out[o++] = in[pos++];
            }
        }
        out[flag_at] = flags;
    }
    return o;
}

static int decompress(const unsigned char *in, int n, unsigned char *out, int cap)
{
    int i = 0, o = 0;
    while (i < n) {
        unsigned char flags = in[i++];
        for (int bit = 0; bit < 8 && i < n; bit++) {
            if (flags & (1u << bit)) {
                if (i + 1 >= n)
                    return -1;
                int off = in[i], len = in[i + 1] + MIN_MATCH;
                i += 2;
                if (off == 0 || off > o || o + len > cap)
                    return -1;
                for (int k = 0; k < len; k++, o++)
                    out[o] = out[o - off];
            } else {
                if (o >= cap)
                    return -1;
                out[o++] = in[i++];
            }
        }
    }
    return o;
}

static void hexdump(const unsigned char *p, int n, int max)
{
    for (int i = 0; i < n && i < max; i++)
        printf("%02x%s", p[i], (i % 16 == 15) ? "\n" : " ");
    if (n > max || n % 16)
        printf("%s\n", n > max ? "..." : "");
}

int main(void)
{
    static const char *texts[] = {
        "abababababababababababab",
        "TOBEORNOTTOBEORTOBEORNOT#",
        "the rain in spain falls mainly on the plain, the rain in spain",
        "no repeats here!",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    };
    for (int t = 0; t < 5; t++) {
        const unsigned char *in = (const unsigned char *)texts[t];
        int n = (int)strlen(texts[t]);
        unsigned char comp[256], back[256];
        int c = compress(in, n, comp);
        int d = decompress(comp, c, back, (int)sizeof back);
        int ok = d == n && memcmp(back, in, (size_t)n) == 0;
        printf("%2d -> %2d bytes (%3d%%) roundtrip %s\n", n, c, c * 100 / n, ok ? "ok" : "FAILED");
        if (t < 2)
            hexdump(comp, c, 32);
    }
    unsigned char corrupt[] = {0x01, 0x05, 0x00, 'a'};
    unsigned char out[16];
    printf("corrupt stream -> %d\n", decompress(corrupt, 4, out, 16));
    return 0;
}
