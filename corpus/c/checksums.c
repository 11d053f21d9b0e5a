/* Checksums over the same messages: CRC-32 both bitwise and with a 256-entry table built at
 * startup, CRC-16/CCITT, Adler-32, Fletcher-16 and an 8-bit XOR/sum pair, so the corpus has
 * shift/xor loops, table lookups and modular reductions. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint32_t crc_table[256];

static void crc32_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t crc32_bitwise(const uint8_t *p, size_t n)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

static uint32_t crc32_table(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    while (n--)
        crc = crc_table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

static uint16_t crc16_ccitt(const uint8_t *p, size_t n)
{
    uint16_t crc = 0xFFFF;
    for (size_t i = 0; i < n; i++) {
        crc ^= (uint16_t)(p[i] << 8);
        for (int k = 0; k < 8; k++)
            crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
    }
    return crc;
}

static uint32_t adler32(const uint8_t *p, size_t n)
{
    uint32_t a = 1, b = 0;
    for (size_t i = 0; i < n; i++) {
        a = (a + p[i]) % 65521u;
        b = (b + a) % 65521u;
    }
    return (b << 16) | a;
}

static uint16_t fletcher16(const uint8_t *p, size_t n)
{
    uint16_t s1 = 0, s2 = 0;
    for (size_t i = 0; i < n; i++) {
        s1 = (uint16_t)((s1 + p[i]) % 255);
        s2 = (uint16_t)((s2 + s1) % 255);
    }
    return (uint16_t)((s2 << 8) | s1);
}

static void xor_sum(const uint8_t *p, size_t n, uint8_t *x, uint8_t *s)
{
    *x = 0;
    *s = 0;
    for (size_t i = 0; i < n; i++) {
        *x ^= p[i];
        *s = (uint8_t)(*s + p[i]);
    }
}

int main(void)
{
    static const char *msgs[] = {
        "", "a", "abc", "123456789", "The quick brown fox jumps over the lazy dog", "Wikipedia",
        "message digest", "\x01\x02\x03\xff\xfe\x80",
    };
    crc32_init();
    printf("table[1]=%08x table[128]=%08x table[255]=%08x\n", (unsigned)crc_table[1], (unsigned)crc_table[128],
           (unsigned)crc_table[255]);
    for (int i = 0; i < 8; i++) {
        const uint8_t *p = (const uint8_t *)msgs[i];
        size_t n = strlen(msgs[i]);
        uint8_t x, s;
        xor_sum(p, n, &x, &s);
        uint32_t c1 = crc32_bitwise(p, n), c2 = crc32_table(0, p, n);
        printf("%-2zu crc32 %08x %s crc16 %04x adler %08x fletcher %04x xor %02x sum %02x\n", n, (unsigned)c1,
               c1 == c2 ? "==" : "!=", (unsigned)crc16_ccitt(p, n), (unsigned)adler32(p, n),
               (unsigned)fletcher16(p, n), (unsigned)x, (unsigned)s);
    }
    /* incremental CRC over pieces must equal the one-shot value */
    const uint8_t *fox = (const uint8_t *)msgs[4];
    uint32_t inc = 0;
    for (size_t off = 0; off < 43; off += 10)
        inc = crc32_table(inc, fox + off, off + 10 <= 43 ? 10 : 43 - off);
    printf("incremental %08x\n", (unsigned)inc);
    return 0;
}
