/* A bump allocator over a static, 16-byte aligned buffer: aligned allocation by offset
 * rounding, save/restore marks, a growable array that reallocates by copying with memcpy,
 * string duplication, memset clearing and memmove for overlapping in-place edits. */
#include <stdio.h>
#include <string.h>
#include <stddef.h>

#define ARENA_SIZE 4096

static _Alignas(16) unsigned char arena_buf[ARENA_SIZE];
static size_t arena_off, arena_peak;
static int arena_fail;

static void *arena_alloc(size_t size, size_t align)
{
    size_t off = (arena_off + align - 1) & ~(align - 1);
    if (off + size > ARENA_SIZE) {
        arena_fail++;
        return NULL;
    }
    arena_off = off + size;
    if (arena_off > arena_peak)
        arena_peak = arena_off;
    return arena_buf + off;
}

static size_t arena_mark(void) { return arena_off; }
static void arena_reset(size_t mark) { arena_off = mark; }

static char *arena_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = arena_alloc(n, 1);
    if (p)
        memcpy(p, s, n);
    return p;
}

struct vec {
    int *data;
    int len, cap;
};

static int vec_push(struct vec *v, int x)
{
    if (v->len == v->cap) {
        int ncap = v->cap ? v->cap * 2 : 4;
        int *nd = arena_alloc(sizeof(int) * (size_t)ncap, _Alignof(int));
        if (!nd)
            return 0;
        if (v->len)
            memcpy(nd, v->data, sizeof(int) * (size_t)v->len);
        v->data = nd;
        v->cap = ncap;
    }
    v->data[v->len++] = x;
    return 1;
}

static void insert_at(char *buf, size_t pos, const char *ins)
{
    size_t n = strlen(buf), k = strlen(ins);
    memmove(buf + pos + k, buf + pos, n - pos + 1);
    memcpy(buf + pos, ins, k);
}

static void delete_range(char *buf, size_t pos, size_t k)
{
    size_t n = strlen(buf);
    memmove(buf + pos, buf + pos + k, n - pos - k + 1);
}

struct record {
    char tag;
    double value;
    short id;
};

int main(void)
{
    char *a = arena_alloc(3, 1);
    double *d = arena_alloc(sizeof(double) * 4, _Alignof(double));
    struct record *r = arena_alloc(sizeof(struct record) * 3, _Alignof(struct record));
    printf("offsets: a=%td d=%td r=%td end=%zu\n", (unsigned char *)a - arena_buf, (unsigned char *)d - arena_buf,
           (unsigned char *)r - arena_buf, arena_off);
    memset(a, 'x', 3);
    for (int i = 0; i < 4; i++)
        d[i] = i * 1.5;
    for (int i = 0; i < 3; i++) {
        r[i].tag = (char)('A' + i);
        r[i].value = d[i] + d[3];
        r[i].id = (short)(100 + i);
    }
    printf("a=%.3s d3=%.1f r2={%c %.2f %d}\n", a, d[3], r[2].tag, r[2].value, r[2].id);
    size_t mark = arena_mark();
    struct vec v = {NULL, 0, 0};
    for (int i = 0; i < 100; i++)
        vec_push(&v, i * i);
    long sum = 0;
    for (int i = 0; i < v.len; i++)
        sum += v.data[i];
    printf("vec len %d cap %d sum %ld, arena used %zu\n", v.len, v.cap, sum, arena_off);
    arena_reset(mark);
    char *s1 = arena_strdup("hello arena");
    char *s2 = arena_strdup("second string");
    printf("after reset: used %zu, s1 at %td, s2 at %td: %s / %s\n", arena_off, (unsigned char *)s1 - arena_buf,
           (unsigned char *)s2 - arena_buf, s1, s2);
    char *buf = arena_alloc(64, 1);
    strcpy(buf, "the fox jumps");
    insert_at(buf, 4, "quick brown ");
    printf("insert: %s\n", buf);
    delete_range(buf, 10, 6);
    printf("delete: %s\n", buf);
    memmove(buf + 1, buf, 5);
    printf("overlap shift: %.12s\n", buf);
    void *big = arena_alloc(ARENA_SIZE, 16);
    printf("oversized alloc %s, failures %d, peak %zu\n", big ? "succeeded" : "failed", arena_fail, arena_peak);
    return 0;
}
