/* Grid search on a text maze: a recursive depth-first path finder that marks its route, a
 * breadth-first search with a queue and parent links for the shortest path, and a recursive
 * flood fill that counts the cells of each open region. */
#include <stdio.h>
#include <string.h>

#define H 11
#define W 21

static char maze[H][W + 1];
static const char *source[H] = {
    "#####################",
    "#S  #     #       # #",
    "# # # ### # ##### # #",
    "# #   #   #     #   #",
    "# ##### ####### ### #",
    "#     #       #   # #",
    "##### # ##### ### # #",
    "#   # #   #   #   # #",
    "# # # ### # ### ### #",
    "# #       #       #E#",
    "#####################",
};

static const int dr[4] = {0, 1, 0, -1};
static const int dc[4] = {1, 0, -1, 0};

static void load(void)
{
    for (int r = 0; r < H; r++)
        memcpy(maze[r], source[r], W + 1);
}

static int dfs(int r, int c, int *steps)
{
    if (maze[r][c] == 'E')
        return 1;
    if (maze[r][c] != ' ' && maze[r][c] != 'S')
        return 0;
    ++*steps;
    if (maze[r][c] == ' ')
        maze[r][c] = '.';
    for (int d = 0; d < 4; d++)
        if (dfs(r + dr[d], c + dc[d], steps))
            return 1;
    if (maze[r][c] == '.')
        maze[r][c] = ',';
    return 0;
}

static int bfs(int sr, int sc, int er, int ec)
{
    static int queue[H * W], parent[H * W];
    int head = 0, tail = 0;
    for (int i = 0; i < H * W; i++)
        parent[i] = -1;
    queue[tail++] = sr * W + sc;
    parent[sr * W + sc] = sr * W + sc;
    while (head < tail) {
        int cur = queue[head++], r = cur / W, c = cur % W;
        if (r == er && c == ec)
            break;
        for (int d = 0; d < 4; d++) {
            int nr = r + dr[d], nc = c + dc[d], n = nr * W + nc;
            if (maze[nr][nc] != '#' && parent[n] < 0) {
                parent[n] = cur;
                queue[tail++] = n;
            }
        }
    }
    int len = 0;
    for (int at = er * W + ec; at != sr * W + sc; at = parent[at]) {
        if (maze[at / W][at % W] == ' ')
            maze[at / W][at % W] = '*';
        len++;
    }
    return len;
}

static int fill(int r, int c, char mark)
{
    if (r < 0 || r >= H || c < 0 || c >= W || maze[r][c] != ' ')
        return 0;
    maze[r][c] = mark;
    int n = 1;
    for (int d = 0; d < 4; d++)
        n += fill(r + dr[d], c + dc[d], mark);
    return n;
}

static void print_maze(void)
{
    for (int r = 0; r < H; r++)
        printf("%s\n", maze[r]);
}

int main(void)
{
    load();
    int steps = 0;
    int found = dfs(1, 1, &steps);
    printf("dfs found=%d visited=%d\n", found, steps);
    print_maze();
    load();
    printf("bfs shortest path length %d\n", bfs(1, 1, 9, 19));
    print_maze();
    load();
    maze[5][7] = '#';
    maze[3][16] = '#';
    char mark = 'a';
    for (int r = 0; r < H; r++)
        for (int c = 0; c < W; c++)
            if (maze[r][c] == ' ') {
                int n = fill(r, c, mark);
                printf("region %c at (%d,%d): %d cells\n", mark, r, c, n);
                mark++;
            }
    print_maze();
    return 0;
}
