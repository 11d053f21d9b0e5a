/* Graph traversals on an adjacency matrix: breadth-first distances and parent links, a
 * recursive depth-first search with discovery/finish times and edge classification, Kahn's
 * topological sort on a DAG, and a two-colouring bipartite test. */
#include <stdio.h>

#define MAXN 10

static int adj[MAXN][MAXN];
static int n;
static int disc[MAXN], fin[MAXN], clock_;
static int tree_edges, back_edges, other_edges;

static void add_edge(int u, int v, int directed)
{
    adj[u][v] = 1;
    if (!directed)
        adj[v][u] = 1;
}

static void clear(int nodes)
{
    n = nodes;
    for (int i = 0; i < MAXN; i++)
        for (int j = 0; j < MAXN; j++)
            adj[i][j] = 0;
}

static void bfs(int src, int *dist, int *par)
{
    int q[MAXN], h = 0, t = 0;
    for (int i = 0; i < n; i++) {
        dist[i] = -1;
        par[i] = -1;
    }
    dist[src] = 0;
    q[t++] = src;
    while (h < t) {
        int u = q[h++];
        for (int v = 0; v < n; v++) {
            if (adj[u][v] && dist[v] < 0) {
                dist[v] = dist[u] + 1;
                par[v] = u;
                q[t++] = v;
            }
        }
    }
}

static void dfs(int u)
{
    disc[u] = ++clock_;
    for (int v = 0; v < n; v++) {
        if (!adj[u][v])
            continue;
        if (!disc[v]) {
            tree_edges++;
            dfs(v);
        } else if (!fin[v]) {
            back_edges++;
        } else {
            other_edges++;
        }
    }
    fin[u] = ++clock_;
}

static int topo_sort(int *order)
{
    int indeg[MAXN] = {0}, q[MAXN], h = 0, t = 0, k = 0;
    for (int u = 0; u < n; u++)
        for (int v = 0; v < n; v++)
            indeg[v] += adj[u][v];
    for (int v = 0; v < n; v++)
        if (indeg[v] == 0)
            q[t++] = v;
    while (h < t) {
        int u = q[h++];
        order[k++] = u;
        for (int v = 0; v < n; v++)
            if (adj[u][v] && --indeg[v] == 0)
                q[t++] = v;
    }
    return k;
}

static int bipartite(int *color)
{
    int q[MAXN];
    for (int i = 0; i < n; i++)
        color[i] = -1;
    for (int s = 0; s < n; s++) {
        if (color[s] >= 0)
            continue;
        int h = 0, t = 0;
        color[s] = 0;
        q[t++] = s;
        while (h < t) {
            int u = q[h++];
            for (int v = 0; v < n; v++) {
                if (!adj[u][v])
                    continue;
                if (color[v] < 0) {
                    color[v] = 1 - color[u];
                    q[t++] = v;
                } else if (color[v] == color[u]) {
                    return 0;
                }
            }
        }
    }
    return 1;
}

static void print_path(const int *par, int v)
{
    if (par[v] >= 0)
        print_path(par, par[v]);
    printf(" %d", v);
}

int main(void)
{
    clear(9);
    static const int e1[][2] = {{0, 1}, {0, 2}, {1, 3}, {2, 3}, {3, 4}, {4, 5}, {5, 6}, {4, 7}, {7, 6}, {1, 7}};
    for (int i = 0; i < 10; i++)
        add_edge(e1[i][0], e1[i][1], 0);
    int dist[MAXN], par[MAXN], color[MAXN];
    bfs(0, dist, par);
    for (int v = 0; v < n; v++) {
        printf("dist(0,%d) = %2d path:", v, dist[v]);
        if (dist[v] >= 0)
            print_path(par, v);
        printf("\n");
    }
    printf("bipartite: %d\n", bipartite(color));
    clear(8);
    static const int e2[][2] = {{0, 1}, {0, 2}, {1, 3}, {2, 3}, {3, 4}, {2, 5}, {5, 4}, {6, 7}, {4, 6}};
    for (int i = 0; i < 9; i++)
        add_edge(e2[i][0], e2[i][1], 1);
    for (int u = 0; u < n; u++)
        if (!disc[u])
            dfs(u);
    for (int u = 0; u < n; u++)
        printf("node %d: [%2d,%2d]\n", u, disc[u], fin[u]);
    printf("tree %d back %d forward/cross %d\n", tree_edges, back_edges, other_edges);
    int order[MAXN];
    int k = topo_sort(order);
    printf("topological order (%d):", k);
    for (int i = 0; i < k; i++)
        printf(" %d", order[i]);
    printf("\n");
    add_edge(4, 1, 1);
    printf("with cycle, sorted %d of %d\n", topo_sort(order), n);
    clear(6);
    for (int i = 0; i < 6; i++)
        add_edge(i, (i + 1) % 6, 0);
    printf("hexagon bipartite %d, colors:", bipartite(color));
    for (int i = 0; i < 6; i++)
        printf(" %d", color[i]);
    add_edge(0, 2, 0);
    printf("; with chord %d\n", bipartite(color));
    return 0;
}
