/* Shortest paths on a small weighted digraph: O(n^2) Dijkstra with path reconstruction,
 * Bellman-Ford that tolerates negative edges and detects negative cycles, and Floyd-Warshall
 * all-pairs distances cross-checked against Dijkstra. */
#include <stdio.h>

#define N 7
#define INF 1000000

static int w[N][N];

static void init_graph(void)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            w[i][j] = i == j ? 0 : INF;
    static const int edges[][3] = {{0, 1, 4}, {0, 2, 1}, {2, 1, 2}, {1, 3, 5}, {2, 3, 8}, {2, 4, 10},
                                   {3, 4, 2}, {4, 5, 3}, {3, 5, 6}, {5, 6, 1}, {4, 6, 7}, {6, 0, 9}};
    for (int i = 0; i < 12; i++)
        w[edges[i][0]][edges[i][1]] = edges[i][2];
}

static void dijkstra(int src, int *dist, int *prev)
{
    int done[N] = {0};
    for (int i = 0; i < N; i++) {
        dist[i] = INF;
        prev[i] = -1;
    }
    dist[src] = 0;
    for (int iter = 0; iter < N; iter++) {
        int u = -1;
        for (int i = 0; i < N; i++)
            if (!done[i] && (u < 0 || dist[i] < dist[u]))
                u = i;
        if (u < 0 || dist[u] == INF)
            break;
        done[u] = 1;
        for (int v = 0; v < N; v++) {
            if (w[u][v] < INF && u != v && dist[u] + w[u][v] < dist[v]) {
                dist[v] = dist[u] + w[u][v];
                prev[v] = u;
            }
        }
    }
}

static int bellman_ford(int src, int *dist)
{
    for (int i = 0; i < N; i++)
        dist[i] = INF;
    dist[src] = 0;
    for (int round = 0; round < N - 1; round++) {
        int changed = 0;
        for (int u = 0; u < N; u++)
            for (int v = 0; v < N; v++)
                if (u != v && w[u][v] < INF && dist[u] < INF && dist[u] + w[u][v] < dist[v]) {
                    dist[v] = dist[u] + w[u][v];
                    changed = 1;
                }
        if (!changed)
            return 1;
    }
    for (int u = 0; u < N; u++)
        for (int v = 0; v < N; v++)
            if (u != v && w[u][v] < INF && dist[u] < INF && dist[u] + w[u][v] < dist[v])
                return 0;
    return 1;
}

static void floyd(int d[N][N])
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            d[i][j] = w[i][j];
    for (int k = 0; k < N; k++)
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                if (d[i][k] < INF && d[k][j] < INF && d[i][k] + d[k][j] < d[i][j])
                    d[i][j] = d[i][k] + d[k][j];
}

static void print_route(const int *prev, int v)
{
    int stack[N], sp = 0;
    for (; v >= 0; v = prev[v])
        stack[sp++] = v;
    while (sp > 0) {
        sp--;
        printf("%d%s", stack[sp], sp ? "->" : "");
    }
}

int main(void)
{
    init_graph();
    int dist[N], prev[N];
    dijkstra(0, dist, prev);
    for (int v = 0; v < N; v++) {
        printf("0 to %d: %2d via ", v, dist[v]);
        print_route(prev, v);
        printf("\n");
    }
    int d[N][N];
    floyd(d);
    printf("all pairs:\n");
    int mismatches = 0;
    for (int i = 0; i < N; i++) {
        int di[N], pi[N];
        dijkstra(i, di, pi);
        for (int j = 0; j < N; j++) {
            printf(d[i][j] >= INF ? "   -" : "%4d", d[i][j]);
            mismatches += d[i][j] != di[j];
        }
        printf("\n");
    }
    printf("dijkstra/floyd mismatches: %d\n", mismatches);
    w[1][2] = -3;
    w[2][1] = INF;
    int ok = bellman_ford(0, dist);
    printf("with negative edge 1->2: ok=%d dists", ok);
    for (int v = 0; v < N; v++)
        printf(" %d", dist[v]);
    printf("\n");
    w[2][1] = 2;
    ok = bellman_ford(0, dist);
    printf("with negative cycle 1->2->1: ok=%d\n", ok);
    return 0;
}
