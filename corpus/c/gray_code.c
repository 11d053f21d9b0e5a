/* Bit sequences: binary-reflected Gray code and its inverse, bit reversal by table and by
 * swaps, next power of two, Gosper's hack for same-popcount successors, Morton (Z-order)
 * interleaving and a popcount lookup table on 64-bit words. */
#include <stdint.h>
#include <stdio.h>
#include <inttypes.h>

static uint8_t pop8[256];
static uint8_t rev8[256];

static void init_tables(void)
{
    for (int i = 0; i < 256; i++) {
        int c = 0, r = 0;
        for (int b = 0; b < 8; b++) {
            if (i & (1 << b)) {
                c++;
                r |= 1 << (7 - b);
            }
        }
        pop8[i] = (uint8_t)c;
        rev8[i] = (uint8_t)r;
    }
}

static uint32_t to_gray(uint32_t b) { return b ^ (b >> 1); }

static uint32_t from_gray(uint32_t g)
{
    for (uint32_t shift = 1; shift < 32; shift <<= 1)
        g ^= g >> shift;
    return g;
}

static int popcount64(uint64_t x)
{
    int c = 0;
    for (int i = 0; i < 8; i++, x >>= 8)
        c += pop8[x & 0xFF];
    return c;
}

static uint32_t reverse32_table(uint32_t x)
{
    return ((uint32_t)rev8[x & 0xFF] << 24) | ((uint32_t)rev8[(x >> 8) & 0xFF] << 16) |
           ((uint32_t)rev8[(x >> 16) & 0xFF] << 8) | rev8[x >> 24];
}

static uint32_t reverse32_swap(uint32_t x)
{
    x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
    x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
    x = ((x >> 4) & 0x0F0F0F0Fu) | ((x & 0x0F0F0F0Fu) << 4);
    x = ((x >> 8) & 0x00FF00FFu) | ((x & 0x00FF00FFu) << 8);
    return (x >> 16) | (x << 16);
}

static uint64_t next_pow2(uint64_t x)
{
    if (x <= 1)
        return 1;
    x--;
    x |= x >> 1;
    x |= x >> 2;
    x |= x >> 4;
    x |= x >> 8;
    x |= x >> 16;
    x |= x >> 32;
    return x + 1;
}

static uint32_t gosper_next(uint32_t x)
{
    uint32_t c = x & (0u - x);
    uint32_t r = x + c;
    return (((r ^ x) >> 2) / c) | r;
}

static uint32_t spread16(uint32_t x)
{
    x &= 0xFFFF;
    x = (x | (x << 8)) & 0x00FF00FFu;
    x = (x | (x << 4)) & 0x0F0F0F0Fu;
    x = (x | (x << 2)) & 0x33333333u;
    x = (x | (x << 1)) & 0x55555555u;
    return x;
}

static uint32_t morton(uint32_t x, uint32_t y) { return spread16(x) | (spread16(y) << 1); }

int main(void)
{
    init_tables();
    printf(" n  gray  bits   back\n");
    for (uint32_t n = 0; n < 16; n++) {
        uint32_t g = to_gray(n);
        printf("%2u  %4u  %u%u%u%u  %4u\n", (unsigned)n, (unsigned)g, (unsigned)(g >> 3) & 1, (unsigned)(g >> 2) & 1,
               (unsigned)(g >> 1) & 1, (unsigned)g & 1, (unsigned)from_gray(g));
    }
    static const uint32_t vals[] = {1u, 0x80000000u, 0x12345678u, 0xF0F0F0F0u, 0xDEADBEEFu};
    for (int i = 0; i < 5; i++) {
        uint32_t a = reverse32_table(vals[i]), b = reverse32_swap(vals[i]);
        printf("rev %08" PRIx32 " = %08" PRIx32 " %s, gray %08" PRIx32 "\n", vals[i], a, a == b ? "ok" : "MISMATCH",
               to_gray(vals[i]));
    }
    static const uint64_t p[] = {0, 1, 2, 3, 17, 1000, 65536, 65537, 0x123456789ULL, 0x4000000000000000ULL};
    for (int i = 0; i < 10; i++)
        printf("next_pow2(%" PRIu64 ") = %" PRIu64 ", popcount %d\n", p[i], next_pow2(p[i]), popcount64(p[i]));
    printf("3-of-6 subsets:");
    for (uint32_t x = 7; x < 64; x = gosper_next(x))
        printf(" %02" PRIx32, x);
    printf("\nmorton:");
    for (uint32_t y = 0; y < 4; y++)
        for (uint32_t x = 0; x < 4; x++)
            printf(" %2" PRIu32, morton(x, y));
    printf("\nmorton(1234,4321) = %" PRIu32 "\n", morton(1234, 4321));
    printf("popcount(all ones) = %d\n", popcount64(~0ULL));
    return 0;
}
