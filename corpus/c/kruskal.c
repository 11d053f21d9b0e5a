/* Union-find with path halving and union by rank: connected components of an edge list,
 * cycle detection, and Kruskal's minimum spanning tree with edges sorted by qsort on
 * (weight, u, v) so the result never depends on sort stability. */
#include <stdio.h>
#include <stdlib.h>

#define MAXV 16

static int parent[MAXV], rnk[MAXV], comp_size[MAXV];

static void uf_init(int n)
{
    for (int i = 0; i < n; i++) {
        parent[i] = i;
        rnk[i] = 0;
        comp_size[i] = 1;
    }
}

static int uf_find(int x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

static int uf_union(int a, int b)
{
    a = uf_find(a);
    b = uf_find(b);
    if (a == b)
        return 0;
    if (rnk[a] < rnk[b]) {
        int t = a;
        a = b;
        b = t;
    }
    parent[b] = a;
    comp_size[a] += comp_size[b];
    if (rnk[a] == rnk[b])
        rnk[a]++;
    return 1;
}

struct edge {
    int u, v, w;
};

static int edge_cmp(const void *pa, const void *pb)
{
    const struct edge *a = pa, *b = pb;
    if (a->w != b->w)
        return a->w < b->w ? -1 : 1;
    if (a->u != b->u)
        return a->u < b->u ? -1 : 1;
    return (a->v > b->v) - (a->v < b->v);
}

static long kruskal(struct edge *e, int ne, int nv, struct edge *tree, int *nt)
{
    qsort(e, (size_t)ne, sizeof *e, edge_cmp);
    uf_init(nv);
    long total = 0;
    *nt = 0;
    for (int i = 0; i < ne && *nt < nv - 1; i++) {
        if (uf_union(e[i].u, e[i].v)) {
            tree[(*nt)++] = e[i];
            total += e[i].w;
        }
    }
    return total;
}

static int components(int nv, const int (*pairs)[2], int np, int *first_cycle)
{
    uf_init(nv);
    int count = nv;
    *first_cycle = -1;
    for (int i = 0; i < np; i++) {
        if (uf_union(pairs[i][0], pairs[i][1]))
            count--;
        else if (*first_cycle < 0)
            *first_cycle = i;
    }
    return count;
}

int main(void)
{
    static const int pairs[][2] = {{0, 1}, {2, 3}, {1, 4}, {5, 6}, {4, 0}, {7, 8}, {8, 9}, {3, 2}, {10, 11}, {9, 7}};
    int cyc;
    int c = components(12, pairs, 10, &cyc);
    printf("components %d, first cycle-closing pair #%d (%d-%d)\n", c, cyc, pairs[cyc][0], pairs[cyc][1]);
    for (int i = 0; i < 12; i++)
        if (uf_find(i) == i)
            printf("  root %2d size %d\n", i, comp_size[i]);
    struct edge edges[] = {
        {0, 1, 7}, {0, 3, 5}, {1, 2, 8}, {1, 3, 9}, {1, 4, 7}, {2, 4, 5}, {3, 4, 15}, {3, 5, 6},
        {4, 5, 8}, {4, 6, 9}, {5, 6, 11}, {6, 7, 3}, {5, 7, 12}, {2, 7, 14}, {0, 7, 3},
    };
    int ne = (int)(sizeof edges / sizeof edges[0]);
    struct edge tree[MAXV];
    int nt;
    long w = kruskal(edges, ne, 8, tree, &nt);
    printf("mst weight %ld with %d edges:", w, nt);
    for (int i = 0; i < nt; i++)
        printf(" %d-%d(%d)", tree[i].u, tree[i].v, tree[i].w);
    printf("\nsorted edges:");
    for (int i = 0; i < ne; i++)
        printf(" %d", edges[i].w);
    printf("\n");
    struct edge forest[] = {{0, 1, 4}, {2, 3, 1}, {1, 0, 2}, {3, 4, 6}, {5, 6, 3}};
    w = kruskal(forest, 5, 7, tree, &nt);
    printf("spanning forest weight %ld, %d edges, %d trees\n", w, nt, 7 - nt);
    return 0;
}
