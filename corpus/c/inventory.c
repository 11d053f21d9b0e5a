/* Inventory records in an array of structs: lookup by SKU, stock movements that may be
 * rejected, a reorder report, value totals in cents, and qsort with comparators on several
 * keys (every order is total, so stability never matters). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum category { TOOLS, GARDEN, KITCHEN, TOYS, NCATEGORIES };

struct item {
    int sku;
    char name[20];
    enum category cat;
    int qty;
    int reorder_level;
    long price_cents;
};

static struct item stock[] = {
    {1042, "hammer", TOOLS, 14, 10, 1299},     {2210, "rake", GARDEN, 3, 5, 2450},
    {3301, "whisk", KITCHEN, 40, 12, 499},     {1107, "screwdriver", TOOLS, 8, 10, 799},
    {4410, "yo-yo", TOYS, 0, 20, 350},         {3380, "ladle", KITCHEN, 11, 6, 675},
    {2255, "hose", GARDEN, 6, 4, 3199},        {4402, "kite", TOYS, 25, 8, 1575},
    {1150, "wrench", TOOLS, 9, 9, 1450},       {3322, "colander", KITCHEN, 2, 3, 1100},
};
#define NITEMS ((int)(sizeof stock / sizeof stock[0]))

static const char *cat_names[NCATEGORIES] = {"tools", "garden", "kitchen", "toys"};

static struct item *find_sku(int sku)
{
    for (int i = 0; i < NITEMS; i++)
        if (stock[i].sku == sku)
            return &stock[i];
    return NULL;
}

static int move_stock(int sku, int delta)
{
    struct item *it = find_sku(sku);
    if (!it)
        return -1;
    if (it->qty + delta < 0)
        return -2;
    it->qty += delta;
    return it->qty;
}

static int by_sku(const void *a, const void *b)
{
    const struct item *x = a, *y = b;
    return (x->sku > y->sku) - (x->sku < y->sku);
}

static int by_value_desc(const void *a, const void *b)
{
    const struct item *x = a, *y = b;
    long vx = x->price_cents * x->qty, vy = y->price_cents * y->qty;
    if (vx != vy)
        return vx < vy ? 1 : -1;
    return by_sku(a, b);
}

static int by_cat_then_name(const void *a, const void *b)
{
    const struct item *x = a, *y = b;
    if (x->cat != y->cat)
        return (int)x->cat - (int)y->cat;
    return strcmp(x->name, y->name);
}

static void print_item(const struct item *it)
{
    printf("  %5d %-12s %-8s %4d @ %4ld.%02ld = %7ld.%02ld\n", it->sku, it->name, cat_names[it->cat], it->qty,
           it->price_cents / 100, it->price_cents % 100, it->price_cents * it->qty / 100,
           it->price_cents * it->qty % 100);
}

static void report(const char *title)
{
    printf("%s\n", title);
    for (int i = 0; i < NITEMS; i++)
        print_item(&stock[i]);
}

static void category_totals(void)
{
    long value[NCATEGORIES] = {0};
    int units[NCATEGORIES] = {0};
    for (int i = 0; i < NITEMS; i++) {
        value[stock[i].cat] += stock[i].price_cents * stock[i].qty;
        units[stock[i].cat] += stock[i].qty;
    }
    for (int c = 0; c < NCATEGORIES; c++)
        printf("  %-8s units %3d value %6ld.%02ld\n", cat_names[c], units[c], value[c] / 100, value[c] % 100);
}

int main(void)
{
    static const int moves[][2] = {{1042, -5}, {4410, 30}, {2210, -4}, {9999, 1}, {3322, -2}, {1107, 12}, {4402, -25}};
    for (int i = 0; i < 7; i++) {
        int r = move_stock(moves[i][0], moves[i][1]);
        printf("move %d %+d -> %s %d\n", moves[i][0], moves[i][1], r >= 0 ? "qty" : "error", r);
    }
    qsort(stock, NITEMS, sizeof stock[0], by_sku);
    report("by sku:");
    qsort(stock, NITEMS, sizeof stock[0], by_value_desc);
    report("by value:");
    qsort(stock, NITEMS, sizeof stock[0], by_cat_then_name);
    report("by category, name:");
    printf("reorder:");
    for (int i = 0; i < NITEMS; i++)
        if (stock[i].qty <= stock[i].reorder_level)
            printf(" %s(%d)", stock[i].name, stock[i].reorder_level * 2 - stock[i].qty);
    printf("\n");
    category_totals();
    return 0;
}
