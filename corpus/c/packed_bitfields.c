/* Bit-packed structs with unsigned bitfields: a FAT-style packed date and time, an RGB565
 * pixel with channel conversion, and a packet header whose fields are serialized to bytes by
 * explicit shifts (never by reinterpreting memory), with wrap-around in narrow fields. */
#include <stdint.h>
#include <stdio.h>

struct fat_date {
    unsigned day : 5;
    unsigned month : 4;
    unsigned year : 7; /* since 1980 */
};

struct fat_time {
    unsigned sec2 : 5; /* seconds / 2 */
    unsigned min : 6;
    unsigned hour : 5;
};

struct rgb565 {
    unsigned b : 5;
    unsigned g : 6;
    unsigned r : 5;
};

struct header {
    unsigned version : 3;
    unsigned flags : 5;
    unsigned ttl : 8;
    unsigned length : 12;
    unsigned seq : 4;
};

static uint16_t pack_date(struct fat_date d) { return (uint16_t)(d.day | d.month << 5 | d.year << 9); }

static struct fat_date unpack_date(uint16_t v)
{
    struct fat_date d;
    d.day = v & 31;
    d.month = (v >> 5) & 15;
    d.year = (v >> 9) & 127;
    return d;
}

static struct rgb565 to_565(unsigned r8, unsigned g8, unsigned b8)
{
    struct rgb565 p;
    p.r = (r8 * 31 + 127) / 255;
    p.g = (g8 * 63 + 127) / 255;
    p.b = (b8 * 31 + 127) / 255;
    return p;
}

static void from_565(struct rgb565 p, unsigned *r8, unsigned *g8, unsigned *b8)
{
    *r8 = (p.r * 255 + 15) / 31;
    *g8 = (p.g * 255 + 31) / 63;
    *b8 = (p.b * 255 + 15) / 31;
}

static void serialize(const struct header *h, uint8_t out[4])
{
    uint32_t w = (uint32_t)h->version | (uint32_t)h->flags << 3 | (uint32_t)h->ttl << 8 | (uint32_t)h->length << 16 |
                 (uint32_t)h->seq << 28;
    for (int i = 0; i < 4; i++)
        out[i] = (uint8_t)(w >> (8 * i));
}

static struct header deserialize(const uint8_t in[4])
{
    uint32_t w = (uint32_t)in[0] | (uint32_t)in[1] << 8 | (uint32_t)in[2] << 16 | (uint32_t)in[3] << 24;
    struct header h;
    h.version = w & 7;
    h.flags = (w >> 3) & 31;
    h.ttl = (w >> 8) & 255;
    h.length = (w >> 16) & 4095;
    h.seq = w >> 28;
    return h;
}

int main(void)
{
    struct fat_date d = {29, 2, 2024 - 1980};
    struct fat_time t = {59 / 2, 30, 23};
    uint16_t pd = pack_date(d);
    struct fat_date back = unpack_date(pd);
    printf("date %04x -> %04u-%02u-%02u, time %02u:%02u:%02u\n", (unsigned)pd, back.year + 1980, back.month, back.day,
           t.hour, t.min, t.sec2 * 2);
    d.day++;
    d.day += 3; /* 29+4 = 33 wraps to 1 in a 5-bit field */
    d.month += 15;
    printf("wrapped day %u month %u\n", d.day, d.month);
    static const unsigned colors[][3] = {{255, 255, 255}, {0, 0, 0}, {255, 128, 0}, {18, 52, 86}, {200, 100, 50}};
    for (int i = 0; i < 5; i++) {
        struct rgb565 p = to_565(colors[i][0], colors[i][1], colors[i][2]);
        unsigned r, g, b;
        from_565(p, &r, &g, &b);
        unsigned word = p.r << 11 | p.g << 5 | p.b;
        printf("rgb(%3u,%3u,%3u) -> %04x -> rgb(%3u,%3u,%3u)\n", colors[i][0], colors[i][1], colors[i][2], word, r, g,
               b);
    }
    struct header h = {5, 0x13, 64, 1500, 9};
    uint8_t bytes[4];
    for (int k = 0; k < 4; k++) {
        serialize(&h, bytes);
        struct header r = deserialize(bytes);
        printf("hdr v%u f%02x ttl%3u len%4u seq%2u -> %02x %02x %02x %02x -> same %d\n", h.version, h.flags, h.ttl,
               h.length, h.seq, bytes[0], bytes[1], bytes[2], bytes[3],
               r.version == h.version && r.flags == h.flags && r.ttl == h.ttl && r.length == h.length && r.seq == h.seq);
        h.ttl -= 100;
        h.seq += 5;
        h.length += 1500;
        h.flags ^= 0x1F;
    }
    return 0;
}
