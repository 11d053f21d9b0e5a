/* 8-bit grayscale image processing on fixed-size 2D arrays: a synthetic test pattern, a
 * 3x3 box blur with edge clamping, Sobel gradient magnitude (|gx| + |gy|, saturated),
 * thresholding, 90-degree rotation, a histogram and an ASCII rendering. */
#include <stdio.h>

#define H 12
#define W 16

typedef unsigned char img[H][W];

static int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

static void pattern(img out)
{
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            int v = x * 12 + y * 4;
            if (x >= 5 && x < 11 && y >= 3 && y < 9)
                v = 240;
            if ((x - 3) * (x - 3) + (y - 8) * (y - 8) <= 4)
                v = 20;
            out[y][x] = (unsigned char)clampi(v, 0, 255);
        }
}

static void blur(img in, img out)
{
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            int s = 0;
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++)
                    s += in[clampi(y + dy, 0, H - 1)][clampi(x + dx, 0, W - 1)];
            out[y][x] = (unsigned char)((s + 4) / 9);
        }
}

static int pix(img in, int y, int x) { return in[clampi(y, 0, H - 1)][clampi(x, 0, W - 1)]; }

static void sobel(img in, img out)
{
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            int gx = -pix(in, y - 1, x - 1) + pix(in, y - 1, x + 1) - 2 * pix(in, y, x - 1) + 2 * pix(in, y, x + 1) -
                     pix(in, y + 1, x - 1) + pix(in, y + 1, x + 1);
            int gy = -pix(in, y - 1, x - 1) - 2 * pix(in, y - 1, x) - pix(in, y - 1, x + 1) + pix(in, y + 1, x - 1) +
                     2 * pix(in, y + 1, x) + pix(in, y + 1, x + 1);
            int m = (gx < 0 ? -gx : gx) + (gy < 0 ? -gy : gy);
            out[y][x] = (unsigned char)clampi(m / 4, 0, 255);
        }
}

static int threshold(img in, img out, int t)
{
    int on = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            out[y][x] = in[y][x] >= t ? 255 : 0;
            on += in[y][x] >= t;
        }
    return on;
}

static void rotate90(img in, unsigned char out[W][H])
{
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            out[x][H - 1 - y] = in[y][x];
}

static void render(const char *title, const unsigned char *p, int h, int w)
{
    static const char ramp[] = " .:-=+*#%@";
    printf("%s\n", title);
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++)
            putchar(ramp[p[y * w + x] * 9 / 255]);
        putchar('\n');
    }
}

static void histogram(img in, int *bins)
{
    for (int i = 0; i < 8; i++)
        bins[i] = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            bins[in[y][x] / 32]++;
}

int main(void)
{
    static img a, b, e, t;
    static unsigned char r[W][H];
    pattern(a);
    render("original", &a[0][0], H, W);
    blur(a, b);
    render("blurred", &b[0][0], H, W);
    sobel(a, e);
    render("edges", &e[0][0], H, W);
    int on = threshold(e, t, 64);
    printf("edge pixels above 64: %d\n", on);
    rotate90(a, r);
    render("rotated", &r[0][0], W, H);
    int bins[8];
    histogram(a, bins);
    printf("histogram:");
    for (int i = 0; i < 8; i++)
        printf(" %d", bins[i]);
    long sum = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            sum += b[y][x];
    printf("\nblurred mean %ld.%02ld\n", sum / (H * W), sum % (H * W) * 100 / (H * W));
    return 0;
}
