/* Plane geometry on integer points: structs passed and returned by value and by pointer,
 * cross products, shoelace polygon area, segment intersection tests, bounding boxes and an
 * Andrew monotone-chain convex hull sorted with qsort. */
#include <stdio.h>
#include <stdlib.h>

struct point {
    long x, y;
};

struct box {
    struct point lo, hi;
};

static struct point sub(struct point a, struct point b)
{
    struct point r = {a.x - b.x, a.y - b.y};
    return r;
}

static long cross(struct point o, struct point a, struct point b)
{
    struct point u = sub(a, o), v = sub(b, o);
    return u.x * v.y - u.y * v.x;
}

static long dist2(const struct point *a, const struct point *b)
{
    long dx = a->x - b->x, dy = a->y - b->y;
    return dx * dx + dy * dy;
}

/* Twice the signed area. */
static long area2(const struct point *p, int n)
{
    long s = 0;
    for (int i = 0; i < n; i++) {
        const struct point *a = &p[i], *b = &p[(i + 1) % n];
        s += a->x * b->y - b->x * a->y;
    }
    return s;
}

static int sign(long v) { return (v > 0) - (v < 0); }

static int on_segment(struct point p, struct point a, struct point b)
{
    return (p.x >= (a.x < b.x ? a.x : b.x)) && (p.x <= (a.x > b.x ? a.x : b.x)) &&
           (p.y >= (a.y < b.y ? a.y : b.y)) && (p.y <= (a.y > b.y ? a.y : b.y));
}

static int segments_intersect(struct point a, struct point b, struct point c, struct point d)
{
    int d1 = sign(cross(c, d, a)), d2 = sign(cross(c, d, b));
    int d3 = sign(cross(a, b, c)), d4 = sign(cross(a, b, d));
    if (d1 * d2 < 0 && d3 * d4 < 0)
        return 1;
    return (d1 == 0 && on_segment(a, c, d)) || (d2 == 0 && on_segment(b, c, d)) ||
           (d3 == 0 && on_segment(c, a, b)) || (d4 == 0 && on_segment(d, a, b));
}

static struct box bounds(const struct point *p, int n)
{
    struct box b = {p[0], p[0]};
    for (int i = 1; i < n; i++) {
        if (p[i].x < b.lo.x) b.lo.x = p[i].x;
        if (p[i].y < b.lo.y) b.lo.y = p[i].y;
        if (p[i].x > b.hi.x) b.hi.x = p[i].x;
        if (p[i].y > b.hi.y) b.hi.y = p[i].y;
    }
    return b;
}

static int cmp_point(const void *a, const void *b)
{
    const struct point *p = a, *q = b;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    return (p->y > q->y) - (p->y < q->y);
}

static int convex_hull(struct point *p, int n, struct point *h)
{
    qsort(p, (size_t)n, sizeof *p, cmp_point);
    int k = 0;
    for (int i = 0; i < n; i++) {
        while (k >= 2 && cross(h[k - 2], h[k - 1], p[i]) <= 0)
            k--;
        h[k++] = p[i];
    }
    for (int i = n - 2, t = k + 1; i >= 0; i--) {
        while (k >= t && cross(h[k - 2], h[k - 1], p[i]) <= 0)
            k--;
        h[k++] = p[i];
    }
    return k - 1;
}

int main(void)
{
    struct point poly[] = {{0, 0}, {8, 0}, {8, 6}, {4, 9}, {0, 6}};
    long a2 = area2(poly, 5);
    printf("pentagon area %ld.%d\n", a2 / 2, a2 % 2 ? 5 : 0);
    struct box b = bounds(poly, 5);
    printf("bounds (%ld,%ld)-(%ld,%ld)\n", b.lo.x, b.lo.y, b.hi.x, b.hi.y);
    printf("diag^2 %ld\n", dist2(&b.lo, &b.hi));
    struct point s[][4] = {
        {{0, 0}, {4, 4}, {0, 4}, {4, 0}}, {{0, 0}, {2, 2}, {3, 3}, {5, 5}}, {{0, 0}, {3, 3}, {3, 3}, {5, 1}},
        {{0, 0}, {4, 0}, {1, 1}, {3, 2}}, {{-2, 1}, {2, 1}, {0, -3}, {0, 5}},
    };
    for (int i = 0; i < 5; i++)
        printf("segments %d intersect: %d\n", i, segments_intersect(s[i][0], s[i][1], s[i][2], s[i][3]));
    struct point cloud[] = {{3, 1}, {0, 0}, {5, 5}, {2, 3}, {6, 2}, {1, 4}, {4, 4}, {3, 3}, {0, 5}, {6, 0}, {2, 1}, {5, 3}};
    struct point hull[24];
    int hn = convex_hull(cloud, 12, hull);
    printf("hull of 12 points has %d vertices:", hn);
    for (int i = 0; i < hn; i++)
        printf(" (%ld,%ld)", hull[i].x, hull[i].y);
    a2 = area2(hull, hn);
    printf("\nhull area %ld.%d\n", a2 / 2, a2 % 2 ? 5 : 0);
    return 0;
}
